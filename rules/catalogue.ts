/** The rule catalogue, in RULE_IDS's order (the READMEs' rule table): one rule per file, one ID per rule. */
import { eksEphemeralStorage } from "./eks-ephemeral-storage";
import { eksFixedIp } from "./eks-fixed-ip";
import { eksHostNetwork } from "./eks-host-network";
import { eksImageRegistry } from "./eks-image-registry";
import { eksNoDaemonset } from "./eks-no-daemonset";
import { eksNoHostpath } from "./eks-no-hostpath";
import { eksNoNodeportService } from "./eks-no-nodeport-service";
import { eksNoRdma } from "./eks-no-rdma";
import { eksPodQuota } from "./eks-pod-quota";
import { eksReservedPorts } from "./eks-reserved-ports";
import { eksSysctls } from "./eks-sysctls";
import { veleroCosStorage } from "./velero-cos-storage";
import { veleroNoNodeAgent } from "./velero-no-node-agent";
import { veleroSnapshotClass } from "./velero-snapshot-class";
import { veleroVersions } from "./velero-versions";
import { k8sApiVersions } from "./k8s-api-versions";
import { RULE_IDS, type Rule, type RuleId } from "./types";

/** Each rule under its ID: the type makes the list complete, RULE_IDS gives the order. */
const BY_ID: Readonly<Record<RuleId, Rule>> = {
    "eks-no-daemonset": eksNoDaemonset,
    "eks-no-nodeport-service": eksNoNodeportService,
    "eks-reserved-ports": eksReservedPorts,
    "eks-sysctls": eksSysctls,
    "eks-no-rdma": eksNoRdma,
    "eks-fixed-ip": eksFixedIp,
    "eks-ephemeral-storage": eksEphemeralStorage,
    "eks-no-hostpath": eksNoHostpath,
    "eks-host-network": eksHostNetwork,
    "eks-pod-quota": eksPodQuota,
    "eks-image-registry": eksImageRegistry,
    "velero-no-node-agent": veleroNoNodeAgent,
    "velero-snapshot-class": veleroSnapshotClass,
    "velero-cos-storage": veleroCosStorage,
    "velero-versions": veleroVersions,
    "k8s-api-versions": k8sApiVersions,
};

export const RULES: readonly Rule[] = RULE_IDS.map((id) => BY_ID[id]);

export function ruleById(id: RuleId): Rule {
    const rule = RULES.find((r) => r.id === id);
    if (!rule) throw new Error(`no rule ${id} in the catalogue`);
    return rule;
}
