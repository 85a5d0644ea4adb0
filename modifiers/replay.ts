/**
 * Replays resource modifiers on one object the way a Velero (≥ 1.13) restore does, so tests
 * can check that the fixes we emit really turn what the rules refuse into what they accept.
 * Conditions are matched against the object as it was before any rule patched it; rules
 * then patch in order. JSON patches only: merge and strategic patches need the API schema.
 */
import { array, isRecord, record, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { globToRegExp } from "./glob";
import { applyJsonPatch, JsonPatchError } from "./jsonPatch";
import { decodeVeleroPatch, type LabelSelector, type ModifierConditions, type ResourceModifiers } from "./veleroFormat";

function selects(sel: LabelSelector, labels: Record<string, string>): boolean {
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const e of sel.matchExpressions ?? []) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        const inValues = has && (e.values ?? []).includes(labels[e.key]);
        const ok = { In: inValues, NotIn: !inValues, Exists: has, DoesNotExist: !has }[e.operator];
        if (!ok) return false;
    }
    return true;
}

/** Velero's `matches`: every `test` holds (a missing path is no match). */
function matchesAll(c: ModifierConditions, obj: KubeObject): boolean {
    const tests = (c.matches ?? []).map((m) => decodeVeleroPatch({ operation: "test", path: m.path, value: m.value }));
    if (tests.length === 0) return true;
    try {
        applyJsonPatch(obj, tests);
        return true;
    } catch (err) {
        if (err instanceof JsonPatchError) return false;
        throw err;
    }
}

export function ruleMatches(c: ModifierConditions, obj: KubeObject, groupResource: string): boolean {
    const meta = record(obj.metadata);
    const ns = typeof meta.namespace === "string" ? meta.namespace : "";
    const namespaces = c.namespaces ?? [];
    if (ns !== "" && namespaces.length > 0 && !namespaces.some((n) => globToRegExp(n).test(ns))) return false;
    if (!globToRegExp(c.groupResource, ".").test(groupResource)) return false;
    const name = typeof meta.name === "string" ? meta.name : "";
    if (c.resourceNameRegex && !new RegExp(c.resourceNameRegex).test(name)) return false;
    if (c.labelSelector && !selects(c.labelSelector, stringMap(meta.labels))) return false;
    return matchesAll(c, obj);
}

/**
 * The object after every matching rule; throws (as Velero fails the item) when a patch does
 * not apply. A failing `test` operation leaves the object as it was, as in Velero.
 */
export function applyResourceModifiers(mods: ResourceModifiers, obj: KubeObject, groupResource: string): KubeObject {
    const origin = obj;
    let out = obj;
    for (const rule of mods.resourceModifierRules) {
        if (!ruleMatches(rule.conditions, origin, groupResource)) continue;
        if (array(rule.mergePatches).length > 0 || array(rule.strategicPatches).length > 0) {
            throw new Error("replaying merge and strategic patches is not supported");
        }
        const ops = (rule.patches ?? []).map((p) => decodeVeleroPatch(p));
        try {
            out = applyJsonPatch(out, ops);
        } catch (err) {
            if (err instanceof JsonPatchError && err.testFailed) continue;
            throw err;
        }
    }
    if (!isRecord(out)) throw new Error("a patch replaced the object with something that is not an object");
    return out;
}
