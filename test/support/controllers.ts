/**
 * Wraps one Pod (metadata + spec) in every controller kind and API version a workload
 * rule must see through, so each rule is tested on every Pod-making kind.
 */
import type { KubeObject } from "../../rules";

export interface PodParts {
    metadata?: Record<string, unknown>;
    spec: Record<string, unknown>;
}

const VERSIONS: Record<string, string[]> = {
    Deployment: ["apps/v1", "apps/v1beta1", "apps/v1beta2", "extensions/v1beta1"],
    StatefulSet: ["apps/v1", "apps/v1beta1", "apps/v1beta2"],
    ReplicaSet: ["apps/v1", "apps/v1beta2", "extensions/v1beta1"],
    DaemonSet: ["apps/v1", "apps/v1beta2", "extensions/v1beta1"],
    ReplicationController: ["v1"],
    Job: ["batch/v1"],
    CronJob: ["batch/v1", "batch/v1beta1", "batch/v2alpha1"],
    Pod: ["v1"],
    PodTemplate: ["v1"],
};

export function inEveryController(pod: PodParts, name = "subject"): KubeObject[] {
    const template = { metadata: pod.metadata ?? {}, spec: pod.spec };
    const out: KubeObject[] = [];
    for (const [kind, versions] of Object.entries(VERSIONS)) {
        for (const apiVersion of versions) {
            const metadata = { name, namespace: "demo" };
            switch (kind) {
                case "Pod":
                    out.push({ apiVersion, kind, metadata: { ...metadata, ...template.metadata }, spec: template.spec });
                    break;
                case "PodTemplate":
                    out.push({ apiVersion, kind, metadata, template });
                    break;
                case "CronJob":
                    out.push({ apiVersion, kind, metadata, spec: { schedule: "* * * * *", jobTemplate: { spec: { template } } } });
                    break;
                default:
                    out.push({ apiVersion, kind, metadata, spec: { template } });
            }
        }
    }
    return out;
}
