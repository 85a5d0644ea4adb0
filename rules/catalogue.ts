/** The rule catalogue: one folder per rule (rules/<id>/: the rule, its specs and fixtures), one ID per rule. */
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
import type { Rule } from "./types";

/**
 * The rules, one line each, in their documented order (the READMEs' rule table, the pack's policies).
 * Adding a rule: its folder rules/<id>/ and its line here; RuleId and RULE_IDS follow.
 */
export const RULES = [
    eksNoDaemonset,
    eksNoNodeportService,
    eksReservedPorts,
    eksSysctls,
    eksNoRdma,
    eksFixedIp,
    eksEphemeralStorage,
    eksNoHostpath,
    eksHostNetwork,
    eksPodQuota,
    eksImageRegistry,
    veleroNoNodeAgent,
    veleroSnapshotClass,
    veleroCosStorage,
    veleroVersions,
    k8sApiVersions,
] as const;

export type RuleId = (typeof RULES)[number]["id"];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export function ruleById(id: RuleId): Rule<RuleId> {
    const rule = RULES.find((r) => r.id === id);
    if (!rule) throw new Error(`no rule ${id} in the catalogue`);
    return rule;
}
