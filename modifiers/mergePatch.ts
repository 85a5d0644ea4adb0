/**
 * The two merge patches Velero's resource modifiers apply: RFC 7386 JSON merge patches
 * (json_merge_patch.go:20-45 at v1.18.2, through evanphx/json-patch's MergePatch) and
 * Kubernetes strategic merge patches (strategic_merge_patch.go:28-52, through
 * apimachinery's StrategicMergeMapPatch) for the lists our fixes reach: maps merge, null
 * deletes, a list with a merge key (mergeKeys.ts) merges element by element on that key,
 * an element marked `$patch: delete` is removed, and any other list is replaced. Neither
 * mutates its input.
 */
import { isRecord } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { mergeKeyOf } from "./mergeKeys";

/** RFC 7386 section 2. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
    if (!isRecord(patch)) return structuredClone(patch);
    const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete out[key];
        else out[key] = applyMergePatch(out[key], value);
    }
    return out;
}

/** Throws as apimachinery does when a patch element lacks the list's merge key. */
function mergeList(original: unknown[], patch: unknown[], key: string, obj: KubeObject, at: string[]): unknown[] {
    const out = [...original];
    for (const p of patch) {
        if (!isRecord(p) || !(key in p)) throw new Error(`map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
        const i = out.findIndex((o) => isRecord(o) && o[key] === p[key]);
        if (p.$patch === "delete") {
            if (i >= 0) out.splice(i, 1);
        } else if (i >= 0) {
            out[i] = mergeMap(out[i] as Record<string, unknown>, p, obj, [...at, String(i)]);
        } else {
            out.push(structuredClone(p));
        }
    }
    return out;
}

function mergeMap(original: Record<string, unknown>, patch: Record<string, unknown>, obj: KubeObject, at: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { ...original };
    for (const [k, v] of Object.entries(patch)) {
        if (v === null) {
            delete out[k];
        } else if (isRecord(v) && isRecord(out[k])) {
            out[k] = mergeMap(out[k] as Record<string, unknown>, v, obj, [...at, k]);
        } else if (Array.isArray(v) && Array.isArray(out[k])) {
            const key = mergeKeyOf(obj, [...at, k]);
            out[k] = key === undefined ? structuredClone(v) : mergeList(out[k] as unknown[], v, key, obj, [...at, k]);
        } else {
            out[k] = structuredClone(v);
        }
    }
    return out;
}

/** A strategic merge patch applied to an object (its kind decides the lists' merge keys). */
export function applyStrategicMergePatch(obj: KubeObject, patch: Record<string, unknown>): KubeObject {
    return mergeMap(obj, patch, obj, []);
}
