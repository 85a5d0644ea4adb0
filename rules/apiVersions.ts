/**
 * Which API versions a cluster serves, and the version Velero restores an object as.
 *
 * The table is Kubernetes' deprecated API migration guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/, "Removed APIs by
 * release", v1.16 through v1.32; the guide lists no removal after 1.32), with the minor each
 * replacement became available in, so the versions a built-in group serves at any minor
 * from 1.16 on can be derived. Groups and kinds outside the table are not judged from it.
 *
 * Velero with `EnableAPIGroupVersions` picks, per group-resource of the backup, B's
 * preferred version if the backup holds it, else A's preferred if B serves it, else the
 * first common version that is neither side's first; failing all, A's preferred
 * (velero v1.18.2 pkg/restore/prioritize_group_version.go:52-146). Both version lists are
 * sorted by Kubernetes' version priority first (same file, 164-173, 188-192).
 */
import { groupOf } from "./objects";
import type { GroupVersions, ServedApis } from "./types";


/** One row of the table: `kinds` of `apiVersion` are served from minor `since` (0: before 1.16) until `removedIn`. */
interface Row {
    apiVersion: string;
    kinds: readonly string[];
    since: number;
    removedIn?: number;
}

const WORKLOADS = ["Deployment", "DaemonSet", "ReplicaSet"];
const RBAC = ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"];
const WEBHOOKS = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];
const FLOW = ["FlowSchema", "PriorityLevelConfiguration"];
const REVIEWS = ["SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview"];

export const API_TABLE: readonly Row[] = [
    // 1.16
    { apiVersion: "extensions/v1beta1", kinds: [...WORKLOADS, "NetworkPolicy", "PodSecurityPolicy"], since: 0, removedIn: 16 },
    { apiVersion: "apps/v1beta1", kinds: ["Deployment", "StatefulSet", "ControllerRevision"], since: 0, removedIn: 16 },
    { apiVersion: "apps/v1beta2", kinds: [...WORKLOADS, "StatefulSet", "ControllerRevision"], since: 0, removedIn: 16 },
    { apiVersion: "apps/v1", kinds: [...WORKLOADS, "StatefulSet", "ControllerRevision"], since: 0 },
    // 1.22
    { apiVersion: "extensions/v1beta1", kinds: ["Ingress"], since: 0, removedIn: 22 },
    { apiVersion: "networking.k8s.io/v1beta1", kinds: ["Ingress"], since: 0, removedIn: 22 },
    { apiVersion: "networking.k8s.io/v1beta1", kinds: ["IngressClass"], since: 18, removedIn: 22 },
    { apiVersion: "networking.k8s.io/v1", kinds: ["NetworkPolicy"], since: 0 },
    { apiVersion: "networking.k8s.io/v1", kinds: ["Ingress", "IngressClass"], since: 19 },
    { apiVersion: "admissionregistration.k8s.io/v1beta1", kinds: WEBHOOKS, since: 0, removedIn: 22 },
    { apiVersion: "admissionregistration.k8s.io/v1", kinds: WEBHOOKS, since: 16 },
    { apiVersion: "apiextensions.k8s.io/v1beta1", kinds: ["CustomResourceDefinition"], since: 0, removedIn: 22 },
    { apiVersion: "apiextensions.k8s.io/v1", kinds: ["CustomResourceDefinition"], since: 16 },
    { apiVersion: "apiregistration.k8s.io/v1beta1", kinds: ["APIService"], since: 0, removedIn: 22 },
    { apiVersion: "apiregistration.k8s.io/v1", kinds: ["APIService"], since: 0 },
    { apiVersion: "authentication.k8s.io/v1beta1", kinds: ["TokenReview"], since: 0, removedIn: 22 },
    { apiVersion: "authentication.k8s.io/v1", kinds: ["TokenReview"], since: 0 },
    { apiVersion: "authorization.k8s.io/v1beta1", kinds: REVIEWS, since: 0, removedIn: 22 },
    { apiVersion: "authorization.k8s.io/v1", kinds: REVIEWS, since: 0 },
    { apiVersion: "certificates.k8s.io/v1beta1", kinds: ["CertificateSigningRequest"], since: 0, removedIn: 22 },
    { apiVersion: "certificates.k8s.io/v1", kinds: ["CertificateSigningRequest"], since: 19 },
    { apiVersion: "coordination.k8s.io/v1beta1", kinds: ["Lease"], since: 0, removedIn: 22 },
    { apiVersion: "coordination.k8s.io/v1", kinds: ["Lease"], since: 0 },
    { apiVersion: "rbac.authorization.k8s.io/v1beta1", kinds: RBAC, since: 0, removedIn: 22 },
    { apiVersion: "rbac.authorization.k8s.io/v1", kinds: RBAC, since: 0 },
    { apiVersion: "scheduling.k8s.io/v1beta1", kinds: ["PriorityClass"], since: 0, removedIn: 22 },
    { apiVersion: "scheduling.k8s.io/v1", kinds: ["PriorityClass"], since: 0 },
    { apiVersion: "storage.k8s.io/v1beta1", kinds: ["StorageClass", "VolumeAttachment", "CSINode", "CSIDriver"], since: 0, removedIn: 22 },
    { apiVersion: "storage.k8s.io/v1", kinds: ["StorageClass", "VolumeAttachment"], since: 0 },
    { apiVersion: "storage.k8s.io/v1", kinds: ["CSINode"], since: 17 },
    { apiVersion: "storage.k8s.io/v1", kinds: ["CSIDriver"], since: 18 },
    // 1.25
    { apiVersion: "batch/v1beta1", kinds: ["CronJob"], since: 0, removedIn: 25 },
    { apiVersion: "batch/v1", kinds: ["Job"], since: 0 },
    { apiVersion: "batch/v1", kinds: ["CronJob"], since: 21 },
    { apiVersion: "discovery.k8s.io/v1beta1", kinds: ["EndpointSlice"], since: 17, removedIn: 25 },
    { apiVersion: "discovery.k8s.io/v1", kinds: ["EndpointSlice"], since: 21 },
    { apiVersion: "events.k8s.io/v1beta1", kinds: ["Event"], since: 0, removedIn: 25 },
    { apiVersion: "events.k8s.io/v1", kinds: ["Event"], since: 19 },
    { apiVersion: "autoscaling/v2beta1", kinds: ["HorizontalPodAutoscaler"], since: 0, removedIn: 25 },
    { apiVersion: "autoscaling/v1", kinds: ["HorizontalPodAutoscaler"], since: 0 },
    { apiVersion: "autoscaling/v2", kinds: ["HorizontalPodAutoscaler"], since: 23 },
    { apiVersion: "policy/v1beta1", kinds: ["PodDisruptionBudget", "PodSecurityPolicy"], since: 0, removedIn: 25 },
    { apiVersion: "policy/v1", kinds: ["PodDisruptionBudget"], since: 21 },
    { apiVersion: "node.k8s.io/v1beta1", kinds: ["RuntimeClass"], since: 0, removedIn: 25 },
    { apiVersion: "node.k8s.io/v1", kinds: ["RuntimeClass"], since: 20 },
    // 1.26
    { apiVersion: "autoscaling/v2beta2", kinds: ["HorizontalPodAutoscaler"], since: 0, removedIn: 26 },
    { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", kinds: FLOW, since: 20, removedIn: 26 },
    // 1.27
    { apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIStorageCapacity"], since: 21, removedIn: 27 },
    { apiVersion: "storage.k8s.io/v1", kinds: ["CSIStorageCapacity"], since: 24 },
    // 1.29, 1.32
    { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kinds: FLOW, since: 23, removedIn: 29 },
    { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kinds: FLOW, since: 26, removedIn: 32 },
    { apiVersion: "flowcontrol.apiserver.k8s.io/v1", kinds: FLOW, since: 29 },
];

/** The oldest minor the table answers for. */
export const OLDEST_MINOR = 16;

/** "1.22" → 22; undefined for anything but `1.N` (an optional `v` and patch are accepted). */
export function parseMinor(version: string): number | undefined {
    const m = /^v?1\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
    return m ? Number(m[1]) : undefined;
}

/** "networking.k8s.io/v1" → ["networking.k8s.io", "v1"]; "v1" → ["", "v1"]. */
export function groupAndVersion(apiVersion: string): [string, string] {
    const group = groupOf(apiVersion);
    return [group, group === "" ? apiVersion : apiVersion.slice(group.length + 1)];
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version priority (apimachinery's CompareKubeAwareVersionStrings, which Velero
 * sorts with): GA before beta before alpha, higher numbers first, anything else last by name.
 * Negative when `a` comes first.
 */
export function compareKubeVersions(a: string, b: string): number {
    const ma = KUBE_VERSION.exec(a);
    const mb = KUBE_VERSION.exec(b);
    if (!ma || !mb) return ma ? -1 : mb ? 1 : a.localeCompare(b);
    const rank = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === "beta" ? 1 : 0);
    if (rank(ma) !== rank(mb)) return rank(mb) - rank(ma);
    if (ma[1] !== mb[1]) return Number(mb[1]) - Number(ma[1]);
    return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

export function sortKubeVersions(versions: readonly string[]): string[] {
    return [...versions].sort(compareKubeVersions);
}

/** What a Kubernetes minor serves, according to the table; groups the table does not hold are unknown. */
export function servedAtMinor(minor: number): ServedApis {
    const rows = API_TABLE.filter((r) => r.since <= minor && (r.removedIn === undefined || minor < r.removedIn));
    const known = new Set(API_TABLE.map((r) => groupAndVersion(r.apiVersion)[0]));
    return {
        describe: `Kubernetes 1.${minor} (upstream removals)`,
        group(group) {
            if (!known.has(group)) return undefined;
            // Preferred: the highest-priority version still served (what discovery lists first for these groups).
            const versions = sortKubeVersions([...new Set(rows.filter((r) => groupAndVersion(r.apiVersion)[0] === group).map((r) => groupAndVersion(r.apiVersion)[1]))]);
            return { preferred: versions[0] ?? "", versions };
        },
        serves(group, version, kind) {
            const apiVersion = group === "" ? version : `${group}/${version}`;
            if (!API_TABLE.some((r) => groupAndVersion(r.apiVersion)[0] === group && r.kinds.includes(kind))) return undefined;
            return rows.some((r) => r.apiVersion === apiVersion && r.kinds.includes(kind));
        },
    };
}

/** Which of Velero's priorities chose the version (prioritize_group_version.go). */
export type Choice = "target-preferred" | "source-preferred" | "common" | "source-preferred-fallback" | "group-not-on-target";

/**
 * The version Velero restores a group-resource as, given the versions the backup holds (A)
 * and the versions B's discovery lists for the group. Velero v1.18.2
 * pkg/restore/prioritize_group_version.go: 62-67 (B lacks the group: A's preferred), 88-104
 * (B's preferred, if the backup holds it), 107-119 (A's preferred, if B serves it), 122-136
 * (a common version, skipping each sorted list's first), 139-145 (A's preferred anyway).
 * User priorities (the `enableapigroupversions` ConfigMap) are not modelled: the migration
 * creates none.
 */
export function chooseRestoreVersion(source: GroupVersions, target: GroupVersions): { version: string; choice: Choice } {
    if (target.versions.length === 0) return { version: source.preferred, choice: "group-not-on-target" };
    const sv = sortKubeVersions(source.versions);
    const tv = sortKubeVersions(target.versions);
    if (sv.includes(target.preferred)) return { version: target.preferred, choice: "target-preferred" };
    if (tv.includes(source.preferred)) return { version: source.preferred, choice: "source-preferred" };
    for (const v of tv.slice(1)) if (sv.slice(1).includes(v)) return { version: v, choice: "common" };
    return { version: source.preferred, choice: "source-preferred-fallback" };
}

/** The versions of `group` that serve `kind` on B, best first (to name in a fix). */
export function servingVersions(apis: ServedApis, group: string, kind: string): string[] {
    const g = apis.group(group);
    return g ? sortKubeVersions(g.versions).filter((v) => apis.serves(group, v, kind) === true) : [];
}

/** The newer groups a kind moved to (Ingress: extensions → networking.k8s.io), to name the right fix. */
export function groupsServing(apis: ServedApis, kind: string): string[] {
    const groups = [...new Set(API_TABLE.filter((r) => r.kinds.includes(kind)).map((r) => groupAndVersion(r.apiVersion)[0]))];
    return groups.filter((g) => servingVersions(apis, g, kind).length > 0);
}
