/**
 * The resource kinds a rule judges, whatever their version: each rule names them in its
 * `policy` metadata, and the policy pack (policy/resourceTypes.ts) matches Pulumi type tokens
 * against them.
 */

/** A kind in an API group ("" is the core group), whatever its version. */
export interface KindRef {
    group: string;
    kind: string;
}

const refs = (kind: string, ...groups: string[]): KindRef[] => groups.map((group) => ({ group, kind }));

export const DAEMONSETS: readonly KindRef[] = refs("DaemonSet", "apps", "extensions");
export const DEPLOYMENTS: readonly KindRef[] = refs("Deployment", "apps", "extensions");

/** Every kind that makes Pods, in every group @pulumi/kubernetes 4.34 has it in (old ones included). */
export const POD_CONTROLLERS: readonly KindRef[] = [
    ...refs("Pod", ""),
    ...refs("PodTemplate", ""),
    ...refs("ReplicationController", ""),
    ...DEPLOYMENTS,
    ...refs("StatefulSet", "apps"),
    ...refs("ReplicaSet", "apps", "extensions"),
    ...DAEMONSETS,
    ...refs("Job", "batch"),
    ...refs("CronJob", "batch"),
];

export const SERVICES: readonly KindRef[] = refs("Service", "");
export const AUTOSCALERS: readonly KindRef[] = refs("HorizontalPodAutoscaler", "autoscaling");
export const HELM_RELEASES: readonly KindRef[] = refs("Release", "helm.sh");
export const SNAPSHOT_CLASSES: readonly KindRef[] = refs("VolumeSnapshotClass", "snapshot.storage.k8s.io");

export function veleroKinds(...kinds: string[]): KindRef[] {
    return kinds.map((kind) => ({ group: "velero.io", kind }));
}
