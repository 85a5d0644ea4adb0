/**
 * How the Restore leaves out what controllers own, and how the preview explains it.
 *
 * Velero has no per-owner exclusion: a Restore filters items by resource, namespace and
 * label selector only. The selector is built once from `spec.labelSelector`
 * (pkg/restore/restore.go:192-212 at v1.18.2) and checked against every item's labels
 * before anything else happens to it (restore.go:2349-2352; only datauploads and
 * volumesnapshotcontents bypass it, restore.go:86-89). Controllers stamp what they create
 * with a hash label that users do not write themselves:
 *
 * - `pod-template-hash`: the ReplicaSets a Deployment makes, and their Pods;
 * - `controller-revision-hash`: the Pods of StatefulSets and DaemonSets (and a DaemonSet's
 *   ControllerRevisions, which it recreates too).
 *
 * So the Restore carries `labelSelector.matchExpressions` with `DoesNotExist` on both keys
 * (a plain metav1.LabelSelector, which the Restore CRD accepts): those objects stay in the
 * backup, and the Deployments and StatefulSets, restored with their fixed templates, create
 * new ones; a DaemonSet's Pods never come back. Job Pods are not covered on purpose: a Job
 * without labels of its own takes its template's (`job-name`, `controller-uid`) when it is
 * created, so a selector on those labels would drop the Jobs as well.
 */
import { array, isRecord, record, str } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import type { LabelSelector } from "../modifiers/veleroFormat";

export const CONTROLLER_HASH_LABELS = ["pod-template-hash", "controller-revision-hash"] as const;

/** The Restore's `spec.labelSelector` (restore/manifests.ts sets it). */
export function ownedObjectsSelector(): LabelSelector {
    return { matchExpressions: CONTROLLER_HASH_LABELS.map((key) => ({ key, operator: "DoesNotExist" })) };
}

/** metav1.LabelSelector semantics: every matchLabels entry and every expression must hold. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
    return (sel.matchExpressions ?? []).every((e) => {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        const inValues = has && (e.values ?? []).includes(labels[e.key]);
        return { In: inValues, NotIn: !inValues, Exists: has, DoesNotExist: !has }[e.operator] ?? false;
    });
}

/** The controller owning an object in cluster A (`DaemonSet node-exporter`), if any. */
export function controllerOf(obj: KubeObject): string | undefined {
    const owner = array(record(obj.metadata).ownerReferences).find((o) => isRecord(o) && o.controller === true);
    if (!isRecord(owner)) return undefined;
    return `${str(owner.kind) ?? "controller"} ${str(owner.name) ?? ""}`.trim();
}

/** Why the selector leaves this object out, in the preview's words. */
export function ownedSkipReason(obj: KubeObject, label: string): string {
    const owner = controllerOf(obj) ?? "a controller";
    const comesBack =
        obj.kind === "Pod" && owner.startsWith("DaemonSet ") ? "DaemonSet Pods never come back" : "the restored controller makes new ones from its (fixed) template";
    return `owned by ${owner}: left out by the Restore's labelSelector (${label} DoesNotExist); ${comesBack}`;
}
