/**
 * Applies resource modifiers to one object the way a Velero restore does
 * (internal/resourcemodifiers at the given release; v1.18.2 cited), so that tests and the
 * restore preview can tell what cluster B will receive:
 *
 * - conditions are matched against the object before any rule patched it from v1.14.0
 *   (resource_modifiers.go:89-95), against the object as patched so far before;
 * - patches accumulate, rule after rule (:94-108);
 * - a rule's JSON patches apply all or nothing: a failure skips the rule and records an
 *   error, never stopping the other rules (:104-107, json_patch.go:62-70); a failed `test`
 *   leaves the object unchanged without an error (json_patch.go:65-68);
 * - merge patches (RFC 7386) and strategic merge patches, the latter only for kinds the
 *   Velero's scheme knows (strategic_merge_patch.go:29-33).
 */
import { isRecord, record, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { globToRegExp } from "./glob";
import { applyJsonPatch, JsonPatchError } from "./jsonPatch";
import { applyMergePatch, applyStrategicMergePatch } from "./mergePatch";
import { matchesOriginal, pasteRulesFor, strategicApiVersions } from "./veleroLines";
import { decodeVeleroPatch, type LabelSelector, type ModifierConditions, type ResourceModifierRule, type ResourceModifiers } from "./veleroFormat";
import { parse } from "yaml";
import { MODIFIER_YAML_VERSION } from "./validate";

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

/** What Velero's YAMLToJSON makes of a patchData (YAML 1.1, like go-yaml v2). */
function patchData(text: string): Record<string, unknown> {
    const doc: unknown = parse(text, { version: MODIFIER_YAML_VERSION });
    if (!isRecord(doc)) throw new Error(`patch data ${JSON.stringify(text)} is not a mapping`);
    return doc;
}

/** The object after one rule's patches; throws Velero's error for the rule. */
function applyRule(rule: ResourceModifierRule, obj: KubeObject, velero: string): KubeObject {
    if ((rule.patches ?? []).length > 0) {
        const rules = pasteRulesFor(velero);
        const ops = (rule.patches ?? []).map((p) => decodeVeleroPatch(p, rules));
        try {
            return applyJsonPatch(obj, ops);
        } catch (err) {
            if (err instanceof JsonPatchError && err.testFailed) return obj;
            throw new Error(`error in applying JSON Patch ${(err as Error).message}`);
        }
    }
    if ((rule.mergePatches ?? []).length > 0) {
        return (rule.mergePatches ?? []).reduce<KubeObject>((o, p) => applyMergePatch(o, patchData(p.patchData)) as KubeObject, obj);
    }
    if ((rule.strategicPatches ?? []).length > 0) {
        const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
        if (!strategicApiVersions(velero).has(apiVersion)) {
            throw new Error(`no kind "${String(obj.kind)}" is registered for version "${apiVersion}" in Velero ${velero}'s scheme`);
        }
        return (rule.strategicPatches ?? []).reduce<KubeObject>((o, p) => applyStrategicMergePatch(o, patchData(p.patchData)), obj);
    }
    throw new Error("no patch data found");
}

export interface ModifierOutcome {
    /** The object once every matching rule that applied has patched it. */
    object: KubeObject;
    /** One line per rule Velero would record an error for (its patch skipped). */
    errors: string[];
}

/**
 * The object after the resource modifiers, as the given Velero (its image tag, e.g.
 * "v1.18.2") restores it, and the errors Velero would record. Never throws on a rule.
 */
export function applyResourceModifiers(
    mods: ResourceModifiers,
    obj: KubeObject,
    groupResource: string,
    velero: string,
    /** Told of each rule that applied, with the object before and after it (modifiers/trace.ts). */
    onApplied?: (index: number, before: KubeObject, after: KubeObject) => void,
): ModifierOutcome {
    const original = obj;
    let out = obj;
    const errors: string[] = [];
    mods.resourceModifierRules.forEach((rule, i) => {
        try {
            if (!ruleMatches(rule.conditions, matchesOriginal(velero) ? original : out, groupResource)) return;
            const next = applyRule(rule, out, velero);
            if (!isRecord(next)) throw new Error("the patch replaced the object with something that is not an object");
            onApplied?.(i, out, next);
            out = next;
        } catch (err) {
            errors.push(`resource modifier rule ${i}: ${(err as Error).message}`);
        }
    });
    return { object: out, errors };
}
