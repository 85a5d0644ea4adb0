/**
 * Turns the rules' automatic fixes into Velero restore resource modifiers for the target's
 * Velero: one rule per independent fix of each object (Velero applies a rule's JSON patches
 * all or nothing and skips the whole rule on a failure, resource_modifiers.go:206-224 and
 * json_patch.go:62-79 at v1.18.2, so one fix must never share a rule with another), matched
 * by exact group-resource, namespace and anchored name. Each fix is written so that it
 * applies whatever Velero's restore item actions did before it:
 *
 * - where the Velero reads them (v1.12.2 on), a merge patch (RFC 7386: null deletes, a
 *   missing field is nothing to delete) for fixes on maps, a strategic merge patch naming
 *   list elements by their merge key for fixes inside lists of kinds the Velero's scheme knows;
 * - otherwise JSON patches that cannot fail on a field being there or not: `add` sets (it
 *   replaces a present member), `add` then `remove` clears, and a `test` on each list
 *   element's merge key guards the index (a failed test skips the rule silently,
 *   json_patch.go:65-68).
 */
import { Document, stringify } from "yaml";
import { pointer } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import type { ResolvedEdit, ResolvedFix } from "./fixEdits";
import { MODIFIER_YAML_VERSION } from "./validate";
import { pasteRulesFor, readsModernModifiers, strategicApiVersions } from "./veleroLines";
import { encodePatchValue, MODIFIERS_VERSION, type PasteRules, type ResourceModifierRule, type ResourceModifiers, type VeleroJsonPatch } from "./veleroFormat";

/** The automatic fixes for one object, with the group-resource Velero restores it under. */
export interface ObjectFix {
    groupResource: string;
    /** The object's apiVersion (strategic patches need a kind the Velero's scheme knows). */
    apiVersion: string;
    namespace?: string;
    name: string;
    fixes: readonly ResolvedFix[];
}

/** A regex (Go RE2 syntax) matching exactly this name. */
export function exactNameRegex(name: string): string {
    return `^${name.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}$`;
}

type Json = Record<string, unknown>;

/** The patch document of a merge (no lists) or strategic merge patch: set is the value, unset is null. */
function patchDocument(edits: readonly ResolvedEdit[]): Json {
    const root: Json = {};
    for (const e of edits) {
        let cur: Json = root;
        const at = new Map(e.elements.map((el) => [el.at, el]));
        for (let i = 0; i < e.tokens.length - 1; i++) {
            const el = at.get(i + 1);
            if (el?.key) {
                // tokens[i] names a list; tokens[i + 1] is the element, named by its merge key.
                const list = (cur[e.tokens[i]] ??= []) as Json[];
                let item = list.find((x) => x[el.key!.name] === el.key!.value);
                if (!item) list.push((item = { [el.key.name]: el.key.value }));
                cur = item;
                i++;
            } else {
                cur = (cur[e.tokens[i]] ??= {}) as Json;
            }
        }
        cur[e.tokens[e.tokens.length - 1]] = e.op === "set" ? e.value : null;
    }
    return root;
}

function encodable(value: unknown, rules: PasteRules): ReturnType<typeof encodePatchValue> | undefined {
    try {
        return encodePatchValue(value, rules);
    } catch {
        return undefined;
    }
}

function nested(tokens: readonly string[], value: unknown): unknown {
    return tokens.reduceRight<unknown>((v, t) => ({ [t]: v }), value);
}

/** JSON patches for one fix that apply whether or not each field is already there. */
function jsonPatches(edits: readonly ResolvedEdit[], rules: PasteRules): VeleroJsonPatch[] {
    const out: VeleroJsonPatch[] = [];
    const seen = new Set<string>();
    const push = (p: VeleroJsonPatch) => {
        const id = JSON.stringify(p);
        if (!seen.has(id)) out.push(p);
        seen.add(id);
    };
    for (const e of edits) {
        for (const el of e.elements) {
            const value = el.key && encodable(el.key.value, rules);
            // A key this Velero cannot paste back (a container named "T" before v1.12.2) goes unguarded.
            if (el.key && value !== undefined) push({ operation: "test", path: pointer(...e.tokens.slice(0, el.at + 1), el.key.name), value });
        }
    }
    for (const e of edits) {
        const path = pointer(...e.tokens);
        if (e.op === "unset" && e.existing < e.tokens.length - 1) {
            continue; // its map is not there: nothing to clear
        } else if (e.op === "unset") {
            // `add` makes the member exist (or replaces it) so that `remove` cannot fail.
            push({ operation: "add", path, value: 0 });
            push({ operation: "remove", path });
        } else if (e.existing < e.tokens.length - 1) {
            push({ operation: "add", path: pointer(...e.tokens.slice(0, e.existing + 1)), value: encodePatchValue(nested(e.tokens.slice(e.existing + 1), e.value), rules) });
        } else if (rules === "1.12" && e.legacyParent) {
            push({ operation: "add", path: pointer(...e.tokens.slice(0, -1)), value: encodePatchValue(e.legacyParent, rules) });
        } else {
            push({ operation: "add", path, value: encodePatchValue(e.value, rules) });
        }
    }
    return out;
}

function ruleFor(obj: ObjectFix, fix: ResolvedFix, velero: string): ResourceModifierRule {
    const rule: ResourceModifierRule = { conditions: { groupResource: obj.groupResource, resourceNameRegex: exactNameRegex(obj.name) } };
    if (obj.namespace) rule.conditions.namespaces = [obj.namespace];
    const elements = fix.edits.flatMap((e) => e.elements);
    if (readsModernModifiers(velero) && elements.length === 0) {
        rule.mergePatches = [{ patchData: JSON.stringify(patchDocument(fix.edits)) }];
    } else if (readsModernModifiers(velero) && elements.every((el) => el.key) && strategicApiVersions(velero).has(obj.apiVersion)) {
        rule.strategicPatches = [{ patchData: JSON.stringify(patchDocument(fix.edits)) }];
    } else {
        rule.patches = jsonPatches(fix.edits, pasteRulesFor(velero));
    }
    return rule;
}

/** One modifier rule per fix of each object, in the order given. */
export function modifierRules(fixes: readonly ObjectFix[], velero: string): ResourceModifierRule[] {
    return fixes.flatMap((obj) => obj.fixes.map((fix) => ruleFor(obj, fix, velero)));
}

/** The resource modifiers for this Velero (e.g. "v1.18.2": the target's image tag). */
export function resourceModifiers(fixes: readonly ObjectFix[], velero: string): ResourceModifiers {
    return { version: MODIFIERS_VERSION, resourceModifierRules: modifierRules(fixes, velero) };
}

export interface ConfigMapOptions {
    /** Default `tke2eks-restore-modifiers`. */
    name?: string;
    /** The Velero namespace (default `velero`): Velero only reads modifiers from its own. */
    namespace?: string;
    /** The data key (default `resource-modifiers.yaml`). */
    key?: string;
    /** Where the rules come from, one line each: a comment atop the YAML, for whoever reads the ConfigMap. */
    origins?: readonly string[];
}

export const DEFAULT_MODIFIERS_CONFIGMAP = "tke2eks-restore-modifiers";

/** YAML as Velero (go-yaml v2, YAML 1.1) reads it back. */
export function modifiersYaml(mods: ResourceModifiers, origins?: readonly string[]): string {
    const doc = new Document(mods, { version: MODIFIER_YAML_VERSION });
    if (origins && origins.length > 0) doc.commentBefore = origins.map((o) => ` ${o}`).join("\n");
    return doc.toString({ lineWidth: 0 });
}

export function modifierConfigMap(mods: ResourceModifiers, opts: ConfigMapOptions = {}): KubeObject {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
            name: opts.name ?? DEFAULT_MODIFIERS_CONFIGMAP,
            namespace: opts.namespace ?? "velero",
            labels: { "app.kubernetes.io/managed-by": "tke2eks" },
        },
        data: { [opts.key ?? "resource-modifiers.yaml"]: modifiersYaml(mods, opts.origins) },
    };
}

/** The ConfigMap as a YAML manifest (`kubectl apply -f`). */
export function renderConfigMap(cm: KubeObject): string {
    return stringify(cm, { version: MODIFIER_YAML_VERSION, lineWidth: 0 });
}
