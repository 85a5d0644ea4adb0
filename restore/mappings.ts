/**
 * `tke2eks:restore.storageClassMapping` and `tke2eks:restore.imageMapping` as Velero's own
 * restore item actions read them, and what those actions do to an item, so the preview says
 * what B gets. Velero runs them with the other restore item actions, before the resource
 * modifiers (pkg/restore/restore.go:1322-1420, then 1462-1468 at v1.18.2).
 */
import { array, isRecord, pointer, record, str } from "../rules/objects";
import type { KubeObject } from "../rules/types";

export interface RestoreMappings {
    storageClass: Readonly<Record<string, string>>;
    image: Readonly<Record<string, string>>;
}

/** The ConfigMaps' names: one each, as the actions fail when two carry their label (common.GetPluginConfig; change_image_name_action.go:86-92). */
export const STORAGE_CLASS_CONFIGMAP = "tke2eks-change-storage-class";
export const IMAGE_NAME_CONFIGMAP = "tke2eks-change-image-name";

/** How the actions find their ConfigMap in Velero's namespace (change_storageclass_action.go:72, change_image_name_action.go:71-73). */
function pluginLabels(action: string): Record<string, string> {
    return { "velero.io/plugin-config": "", [action]: "RestoreItemAction", "app.kubernetes.io/managed-by": "tke2eks" };
}

/**
 * Velero's ConfigMaps for the mappings, in its namespace; none for an empty mapping. The
 * storage-class one maps names as they are (data key: A's class, value: B's,
 * change_storageclass_action.go:149); the image one holds rows `<part in A>,<part in B>`
 * (change_image_name_action.go:189-195), keyed case1, case2… as Velero's docs write them.
 */
export function mappingConfigMaps(m: RestoreMappings, namespace: string): KubeObject[] {
    const out: KubeObject[] = [];
    const cm = (name: string, action: string, data: Record<string, string>): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, labels: pluginLabels(action) }, data });
    if (Object.keys(m.storageClass).length > 0) out.push(cm(STORAGE_CLASS_CONFIGMAP, "velero.io/change-storage-class", { ...m.storageClass }));
    const rows = Object.entries(m.image);
    if (rows.length > 0) out.push(cm(IMAGE_NAME_CONFIGMAP, "velero.io/change-image-name", Object.fromEntries(rows.map(([from, to], i) => [`case${i + 1}`, `${from},${to}`]))));
    return out;
}

/** change_image_name_action.go:61: the kinds whose pod templates it rewrites. */
const IMAGE_RESOURCES = new Set(["deployments.apps", "statefulsets.apps", "daemonsets.apps", "replicasets.apps", "replicationcontrollers", "jobs.batch", "cronjobs.batch", "pods"]);
/** change_storageclass_action.go:61. */
const STORAGE_CLASS_RESOURCES = new Set(["persistentvolumeclaims", "persistentvolumes", "statefulsets.apps"]);

/** Does either action change items of this group-resource under these mappings? */
export function mappingsTouch(m: RestoreMappings, groupResource: string): boolean {
    return (Object.keys(m.image).length > 0 && IMAGE_RESOURCES.has(groupResource)) || (Object.keys(m.storageClass).length > 0 && STORAGE_CLASS_RESOURCES.has(groupResource));
}

export interface MappedItem {
    object: KubeObject;
    /** One line per field changed, and a warning where Velero's choice is random. */
    changes: string[];
}

/** Where the pod spec is (change_image_name_action.go:104-143). */
function podSpecPath(kind: unknown): string[] {
    if (kind === "Pod") return ["spec"];
    if (kind === "CronJob") return ["spec", "jobTemplate", "spec", "template", "spec"];
    return ["spec", "template", "spec"];
}

function mapImages(obj: KubeObject, image: Readonly<Record<string, string>>, changes: string[]): KubeObject {
    const out = structuredClone(obj);
    const specPath = podSpecPath(obj.kind);
    const spec = specPath.reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), out);
    if (!isRecord(spec)) return obj;
    for (const list of ["containers", "initContainers"]) {
        array(spec[list]).forEach((c, i) => {
            const old = isRecord(c) ? str(c.image) : undefined;
            if (!old || !isRecord(c)) return;
            const rows = Object.entries(image).filter(([from]) => old.includes(from));
            if (rows.length === 0) return;
            // isImageReplaceRuleExist (change_image_name_action.go:196-207): every occurrence of the first matching part, in Go map order.
            const [from, to] = rows[0];
            c.image = old.split(from).join(to);
            const random = rows.length > 1 ? ` (it also holds ${rows.slice(1).map(([f]) => `"${f}"`).join(", ")}: Velero picks one row at random, change_image_name_action.go:196)` : "";
            changes.push(`imageMapping: ${pointer(...specPath, list, String(i), "image")} ${old} → ${String(c.image)}${random} (change_image_name_action.go:169)`);
        });
    }
    return out;
}

function mapStorageClasses(obj: KubeObject, storageClass: Readonly<Record<string, string>>, changes: string[]): KubeObject {
    const out = structuredClone(obj);
    const claims: { spec: Record<string, unknown>; at: string[] }[] =
        obj.kind === "StatefulSet"
            ? array(record(out.spec).volumeClaimTemplates).flatMap((t, i) => (isRecord(t) && isRecord(t.spec) ? [{ spec: t.spec, at: ["spec", "volumeClaimTemplates", String(i), "spec"] }] : []))
            : isRecord(out.spec)
              ? [{ spec: out.spec, at: ["spec"] }]
              : [];
    for (const { spec, at } of claims) {
        const old = str(spec.storageClassName);
        // Exact names only; an empty or unset class is left alone (change_storageclass_action.go:143-153).
        if (!old || storageClass[old] === undefined) continue;
        spec.storageClassName = storageClass[old];
        changes.push(`storageClassMapping: ${pointer(...at, "storageClassName")} ${old} → ${storageClass[old]}; Velero fails this item if B has no such StorageClass (change_storageclass_action.go:136, 156-158)`);
    }
    return changes.length > 0 ? out : obj;
}

/** The item after Velero's change-image-name and change-storage-class actions. */
export function applyMappings(m: RestoreMappings, groupResource: string, obj: KubeObject): MappedItem {
    const changes: string[] = [];
    let out = obj;
    if (Object.keys(m.image).length > 0 && IMAGE_RESOURCES.has(groupResource)) out = mapImages(out, m.image, changes);
    if (Object.keys(m.storageClass).length > 0 && STORAGE_CLASS_RESOURCES.has(groupResource)) out = mapStorageClasses(out, m.storageClass, changes);
    return { object: out, changes };
}
