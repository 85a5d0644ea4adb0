/**
 * Turns the rules' automatic fixes (RFC 6902 ops on one object) into Velero restore resource
 * modifiers: one rule per object, matched by exact group-resource, namespace and anchored
 * name, and the ConfigMap (in the Velero namespace) that a Restore references.
 */
import { stringify } from "yaml";
import type { JsonPatchOp, KubeObject } from "../rules/types";
import { MODIFIER_YAML_VERSION } from "./validate";
import { encodePatchValue, MODIFIERS_VERSION, type ResourceModifierRule, type ResourceModifiers, type VeleroJsonPatch } from "./veleroFormat";

/** The automatic fixes for one object, with the group-resource Velero restores it under. */
export interface ObjectFix {
    groupResource: string;
    namespace?: string;
    name: string;
    ops: readonly JsonPatchOp[];
}

/** A regex (Go RE2 syntax) matching exactly this name. */
export function exactNameRegex(name: string): string {
    return `^${name.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")}$`;
}

function toVeleroPatch(op: JsonPatchOp): VeleroJsonPatch {
    const p: VeleroJsonPatch = { operation: op.op, path: op.path };
    if (op.op !== "remove") p.value = encodePatchValue(op.value);
    return p;
}

/** The operations with exact repeats dropped (two rules removing the same field), in order. */
export function uniqueOps(ops: readonly JsonPatchOp[]): JsonPatchOp[] {
    const seen = new Set<string>();
    return ops.filter((op) => {
        const key = JSON.stringify([op.op, op.path, op.value]);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

/**
 * One modifier rule per object, in the order given; fixes for the same object are merged
 * and repeated operations kept once.
 */
export function modifierRules(fixes: readonly ObjectFix[]): ResourceModifierRule[] {
    const byObject = new Map<string, { fix: ObjectFix; ops: JsonPatchOp[] }>();
    for (const fix of fixes) {
        const id = JSON.stringify([fix.groupResource, fix.namespace ?? "", fix.name]);
        const entry = byObject.get(id);
        if (entry) entry.ops = uniqueOps([...entry.ops, ...fix.ops]);
        else byObject.set(id, { fix, ops: uniqueOps(fix.ops) });
    }
    return [...byObject.values()]
        .filter((e) => e.ops.length > 0)
        .map(({ fix, ops }) => {
            const rule: ResourceModifierRule = {
                conditions: { groupResource: fix.groupResource, resourceNameRegex: exactNameRegex(fix.name) },
                patches: ops.map(toVeleroPatch),
            };
            if (fix.namespace) rule.conditions.namespaces = [fix.namespace];
            return rule;
        });
}

export function resourceModifiers(fixes: readonly ObjectFix[]): ResourceModifiers {
    return { version: MODIFIERS_VERSION, resourceModifierRules: modifierRules(fixes) };
}

export interface ConfigMapOptions {
    /** Default `tke2eks-restore-modifiers`. */
    name?: string;
    /** The Velero namespace (default `velero`): Velero only reads modifiers from its own. */
    namespace?: string;
    /** The data key (default `resource-modifiers.yaml`). */
    key?: string;
}

export const DEFAULT_MODIFIERS_CONFIGMAP = "tke2eks-restore-modifiers";

/** YAML as Velero (go-yaml v2, YAML 1.1) reads it back. */
export function modifiersYaml(mods: ResourceModifiers): string {
    return stringify(mods, { version: MODIFIER_YAML_VERSION, lineWidth: 0 });
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
        data: { [opts.key ?? "resource-modifiers.yaml"]: modifiersYaml(mods) },
    };
}

/** The ConfigMap as a YAML manifest (`kubectl apply -f`). */
export function renderConfigMap(cm: KubeObject): string {
    return stringify(cm, { version: MODIFIER_YAML_VERSION, lineWidth: 0 });
}
