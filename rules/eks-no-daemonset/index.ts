import { record, stringMap } from "../objects";
import type { Rule } from "../types";
import { DAEMONSETS } from "../kinds";

/** DaemonSets need nodes; the serverless cluster has none (super nodes may inject them). */
export const eksNoDaemonset: Rule<"eks-no-daemonset"> = {
    id: "eks-no-daemonset",
    defaultLevel: "mandatory",
    title: "No DaemonSets",
    why: "the serverless cluster has no nodes to run a DaemonSet on (迁移限制: EKS 不支持部署 DaemonSet)",
    fix: "run the agent as a sidecar or a Deployment, or leave it out of the restore (excludedResources: daemonsets.apps)",
    policy: { onTarget: DAEMONSETS },
    check(obj, { profile }) {
        if (obj.kind !== "DaemonSet") return [];
        const optIn = profile.daemonSetOptIn;
        if (optIn && stringMap(record(obj.metadata).labels)[optIn.label] === optIn.value) return [];
        const hint = optIn ? `; on super nodes, label it ${optIn.label}: "${optIn.value}" to inject it into each Pod` : "";
        return [
            {
                path: "/kind",
                message: `DaemonSet cannot run: ${this.why}`,
                fix: this.fix + hint,
            },
        ];
    },
};
