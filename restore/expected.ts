/**
 * What cluster B should hold after a Restore: every item of the backup that Velero restores,
 * as the restore model says (restore/veleroModel.ts, the one the restore preview asks), under
 * its mapped namespace; everything else counted by why it is left out.
 */
import type { ExpectedObject, Expectation } from "../cluster/verify";
import { UserError } from "../core/errors";
import { apiVersionOf, kindOf, record, str, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import type { RestoreSpec } from "./filters";
import type { VeleroRestoreModel } from "./veleroModel";

/** One object of the backup, as its tarball holds it. */
export interface BackedUpItem {
    obj: KubeObject;
    /** Its group-resource, from its folder in the tarball (e.g. deployments.apps). */
    groupResource: string;
}

/**
 * Restored by Velero, then replaced by B's own controller: the EndpointSlice controller
 * deletes slices it manages that it did not make for the Service (they come back under new
 * names), so they are not checked by name.
 */
function replacedInB(groupResource: string, obj: KubeObject): string | undefined {
    if (groupResource !== "endpointslices.discovery.k8s.io") return undefined;
    const managedBy = stringMap(record(obj.metadata).labels)["endpointslice.kubernetes.io/managed-by"];
    return managedBy === "endpointslice-controller.k8s.io" ? "restored by Velero, then replaced under new names by B's EndpointSlice controller" : undefined;
}

export function expectedInB(items: Iterable<BackedUpItem>, model: VeleroRestoreModel): Expectation {
    const expected: ExpectedObject[] = [];
    const leftOut: Record<string, number> = {};
    const mapping = model.spec.namespaceMapping ?? {};
    for (const { obj, groupResource } of items) {
        const kind = kindOf(obj);
        const meta = record(obj.metadata);
        const name = str(meta.name) ?? "";
        const namespace = str(meta.namespace);
        const choice = model.choose(obj, groupResource);
        const why = choice.restored ? (choice.renamed ?? replacedInB(groupResource, obj)) : (choice.reason ?? "not restored");
        if (why) {
            const key = `${kind}: ${why}`;
            leftOut[key] = (leftOut[key] ?? 0) + 1;
            continue;
        }
        const base = { apiVersion: apiVersionOf(obj), kind, resource: groupResource };
        if (namespace) expected.push({ ...base, namespace: mapping[namespace] ?? namespace, name });
        else expected.push({ ...base, name: groupResource === "namespaces" ? (mapping[name] ?? name) : name });
    }
    return { expected, leftOut };
}

/**
 * A Restore's spec (as read from B) as the restore model reads it (RestoreSpec): the same
 * fields the preview models.
 */
export function restoreSpecOf(restoreName: string, spec: Record<string, unknown>): RestoreSpec {
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);
    const out: RestoreSpec = { backupName: str(spec.backupName) ?? "" };
    for (const k of ["includedNamespaces", "excludedNamespaces", "includedResources", "excludedResources"] as const) {
        const v = strings(spec[k]);
        if (v) out[k] = v;
    }
    for (const k of ["includeClusterResources", "restorePVs", "preserveNodePorts"] as const) if (typeof spec[k] === "boolean") out[k] = spec[k];
    const policy = str(spec.existingResourcePolicy);
    if (policy) out.existingResourcePolicy = policy;
    const mapping = record(spec.namespaceMapping);
    if (Object.keys(mapping).length > 0) out.namespaceMapping = Object.fromEntries(Object.entries(mapping).filter((e): e is [string, string] => typeof e[1] === "string"));
    const selector = record(spec.labelSelector);
    if (Object.keys(selector).length > 0) out.labelSelector = selector as RestoreSpec["labelSelector"];
    if (Array.isArray(spec.orLabelSelectors) && spec.orLabelSelectors.length > 0) {
        throw new UserError(`Restore ${restoreName} has spec.orLabelSelectors, which the restore model does not follow; verify cannot say what it restored`, 1);
    }
    return out;
}
