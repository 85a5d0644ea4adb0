/**
 * What cluster B should hold after a Restore: the objects the backup holds, filtered and
 * renamed the way the Restore asks (namespaces, resources, namespace mapping), minus what is
 * deliberately left out, each left-out kind with its reason.
 */
import { groupOf } from "../rules/objects";
import type { BackedUpObject } from "./verifyResourceList";

/** The Restore's spec fields that decide what it restores. */
export interface RestoreScope {
    includedNamespaces?: string[];
    excludedNamespaces?: string[];
    includedResources?: string[];
    excludedResources?: string[];
    namespaceMapping?: Record<string, string>;
    includeClusterResources?: boolean;
}

export interface ExpectedObject extends BackedUpObject {
    /** The group-resource, e.g. deployments.apps. */
    resource: string;
}

export interface Expectation {
    expected: ExpectedObject[];
    /** Why objects are not expected, with how many: "Pod: ...": 12. */
    leftOut: Record<string, number>;
}

/**
 * Velero never restores these (`nonRestorableResources`, pkg/controller/restore_controller.go:67-93
 * at v1.18.2), nor its own kinds.
 */
const NON_RESTORABLE = new Set(["nodes", "events", "events.events.k8s.io", "csinodes.storage.k8s.io", "volumeattachments.storage.k8s.io"]);

/** Kinds B re-creates under new names, or refuses: compared through their owners' readiness instead. */
const LEFT_OUT_KINDS: Record<string, string> = {
    Pod: "Pods are re-created by their controllers under new names (a bare Pod has no owner to check it by)",
    ReplicaSet: "ReplicaSets are re-created by their Deployments",
    DaemonSet: "B cannot run DaemonSets (eks-no-daemonset); they and their Pods stay out",
    EndpointSlice: "EndpointSlices are re-created by B for each Service",
    PersistentVolume: "volumes are provisioned anew in B from the snapshots, under new names; their claims are checked",
    VolumeSnapshot: "snapshots are Velero's means of moving volume data, not part of the application",
    VolumeSnapshotContent: "snapshots are Velero's means of moving volume data, not part of the application",
};

/**
 * Kubernetes' guess of a kind's resource name (apimachinery `meta.UnsafeGuessKindToResource`),
 * for kinds B does not serve and so cannot name.
 */
export function guessResource(kind: string): string {
    const lower = kind.toLowerCase();
    if (lower === "endpoints") return lower;
    if (lower.endsWith("s")) return `${lower}es`;
    if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
    return `${lower}s`;
}

function matches(list: string[] | undefined, ...names: string[]): boolean {
    return (list ?? []).some((entry) => entry === "*" || names.includes(entry));
}

/**
 * Velero restores other cluster-scoped objects when asked to, or, when not told either way,
 * when the Restore takes every namespace (pkg/restore/restore.go:2270-2278 at v1.18.2).
 */
function clusterScopedRestored(scope: RestoreScope): boolean {
    if (scope.includeClusterResources !== undefined) return scope.includeClusterResources;
    const included = scope.includedNamespaces ?? [];
    return (included.length === 0 || included.includes("*")) && (scope.excludedNamespaces ?? []).length === 0;
}

function namespaceIncluded(scope: RestoreScope, ns: string): boolean {
    const included = scope.includedNamespaces ?? [];
    if (included.length > 0 && !matches(included, ns)) return false;
    return !matches(scope.excludedNamespaces, ns);
}

/**
 * `resourceOf` names each kind's resource as B serves it (plural), `undefined` when B does
 * not serve the kind (then Kubernetes' guess is used for the filters).
 */
export function expectedInB(backedUp: readonly BackedUpObject[], scope: RestoreScope, resourceOf: (apiVersion: string, kind: string) => string | undefined): Expectation {
    const expected: ExpectedObject[] = [];
    const leftOut: Record<string, number> = {};
    const leave = (why: string) => {
        leftOut[why] = (leftOut[why] ?? 0) + 1;
    };
    for (const obj of backedUp) {
        const group = groupOf(obj.apiVersion);
        const plural = resourceOf(obj.apiVersion, obj.kind) ?? guessResource(obj.kind);
        const resource = group === "" ? plural : `${plural}.${group}`;
        if (group === "velero.io" || NON_RESTORABLE.has(resource)) {
            leave(`${obj.kind}: Velero does not restore it`);
            continue;
        }
        const why = LEFT_OUT_KINDS[obj.kind];
        if (why) {
            leave(`${obj.kind}: ${why}`);
            continue;
        }
        if (scope.includedResources && scope.includedResources.length > 0 && !matches(scope.includedResources, plural, resource)) {
            leave(`${obj.kind}: not in the Restore's includedResources`);
            continue;
        }
        if (matches(scope.excludedResources, plural, resource)) {
            leave(`${obj.kind}: in the Restore's excludedResources`);
            continue;
        }
        if (obj.namespace === undefined) {
            // Namespaces come with the objects in them; other cluster-scoped objects only when asked for.
            if (obj.kind === "Namespace" && obj.apiVersion === "v1") {
                if (!namespaceIncluded(scope, obj.name)) {
                    leave("Namespace: outside the Restore's namespaces");
                    continue;
                }
                expected.push({ ...obj, name: scope.namespaceMapping?.[obj.name] ?? obj.name, resource });
            } else if (clusterScopedRestored(scope)) {
                expected.push({ ...obj, resource });
            } else {
                leave(`${obj.kind}: cluster-scoped, left out by the Restore (includeClusterResources)`);
            }
            continue;
        }
        if (!namespaceIncluded(scope, obj.namespace)) {
            leave(`${obj.kind}: outside the Restore's namespaces`);
            continue;
        }
        expected.push({ ...obj, namespace: scope.namespaceMapping?.[obj.namespace] ?? obj.namespace, resource });
    }
    return { expected, leftOut };
}
