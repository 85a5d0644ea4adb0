/**
 * The restore fixes one object gets, and how they are applied: the two seams of the
 * preview. The fixes come from the rules' automatic fixes for the object as the backup holds
 * it (what the restore stage computes from the same backup); the applier replays Velero's
 * resource modifiers. Both are functions so a new source of fixes or a new applier plugs in
 * without touching the pipeline.
 */
import { resourceModifiers, modifiersYaml, type ObjectFix } from "../modifiers/build";
import { ruleMatches, applyResourceModifiers } from "../modifiers/replay";
import { validateResourceModifiers } from "../modifiers/validate";
import { MODIFIERS_VERSION, type ResourceModifiers } from "../modifiers/veleroFormat";
import type { WaiverBook } from "../preflight/waivers";
import { checkObject, type EngineOptions } from "../rules/engine";
import { record, str } from "../rules/objects";
import type { Finding, JsonPatchOp, KubeObject } from "../rules/types";

export interface ObjectFixes {
    /** The modifier rules for this object, when it has fixes. */
    modifiers?: ResourceModifiers;
    /** What each fix does, `rule: ops`. */
    fixes: string[];
    /** Findings accepted by a waiver. */
    waived: string[];
    /** A mandatory rule reported it: the rules judge it again after the pipeline. */
    judged: boolean;
}

export type FixSource = (obj: KubeObject, groupResource: string) => ObjectFixes;

export interface ModifierOutcome {
    obj: KubeObject;
    /** One line per rule that failed (Velero records it and goes on with the next rule). */
    errors: string[];
}

/** Applies resource modifiers to one object as Velero does (internal/resourcemodifiers). */
export type ModifierApplier = (mods: ResourceModifiers, obj: KubeObject, groupResource: string) => ModifierOutcome;

/** Findings that count: not waived, or waived by an expired waiver. */
export function counts(f: Finding, obj: KubeObject, waivers: WaiverBook | undefined): { counts: boolean; note?: string } {
    const meta = record(obj.metadata);
    const match = waivers?.match(f.rule, str(meta.namespace), str(meta.name));
    if (!match) return { counts: true };
    if (match.expired) return { counts: true, note: `${f.rule}: waiver expired on ${match.waiver.expires}` };
    return { counts: false, note: `${f.rule} waived until ${match.waiver.expires}: ${match.waiver.reason}` };
}

function describeOps(ops: readonly JsonPatchOp[]): string {
    return ops.map((op) => (op.op === "remove" ? `remove ${op.path}` : `${op.op} ${op.path} ${JSON.stringify(op.value)}`)).join(", ");
}

/** The rules' automatic fixes for one object, as the restore stage derives them. */
export function ruleFixes(engine: EngineOptions, waivers?: WaiverBook): FixSource {
    return (obj, groupResource) => {
        const findings = checkObject(obj, engine);
        const out: ObjectFixes = { fixes: [], waived: [], judged: false };
        const ops: JsonPatchOp[] = [];
        for (const f of findings) {
            const c = counts(f, obj, waivers);
            if (!c.counts) {
                if (c.note) out.waived.push(c.note);
                continue;
            }
            if (f.severity === "error") out.judged = true;
            if (f.autofix && f.autofix.length > 0) {
                ops.push(...f.autofix);
                out.fixes.push(`${f.rule}: ${describeOps(f.autofix)}`);
            }
        }
        const meta = record(obj.metadata);
        const name = str(meta.name);
        if (ops.length > 0 && name) {
            const fix: ObjectFix = { groupResource, name, ops };
            const namespace = str(meta.namespace);
            if (namespace) fix.namespace = namespace;
            out.modifiers = resourceModifiers([fix]);
        }
        return out;
    };
}

/**
 * Today's applier (modifiers/replay.ts) throws on the first failing rule; Velero records
 * the error and goes on with the next rule (resource_modifiers.go:87-111), matching every
 * rule against the object as it was before any rule. This adapter runs it one rule at a
 * time to get that behaviour until the applier returns its errors itself.
 */
export const replayApplier: ModifierApplier = (mods, obj, groupResource) => {
    let out = obj;
    const errors: string[] = [];
    mods.resourceModifierRules.forEach((rule, i) => {
        if (!ruleMatches(rule.conditions, obj, groupResource)) return;
        try {
            out = applyResourceModifiers({ version: MODIFIERS_VERSION, resourceModifierRules: [rule] }, out, groupResource);
        } catch (err) {
            errors.push(`resource modifier rule ${i + 1} failed and was skipped: ${(err as Error).message}`);
        }
    });
    return { obj: out, errors };
};

/**
 * What the target's Velero cannot read in the modifiers (it then fails the whole Restore).
 * The objects' rules differ only in the name and namespace they match (exact, escaped), so
 * the verdict is kept per rule shape: validating YAML for every fixed object would cost as
 * much as reading the backup.
 */
export class ModifierCheck {
    private readonly verdicts = new Map<string, string[]>();

    constructor(private readonly velero: string) {}

    problems(mods: ResourceModifiers): string[] {
        const key = JSON.stringify(mods.resourceModifierRules.map(({ conditions, ...patches }) => [conditions.groupResource, patches]));
        let verdict = this.verdicts.get(key);
        if (verdict === undefined) {
            const check = validateResourceModifiers(modifiersYaml(mods), { velero: this.velero });
            verdict = check.ok ? [] : check.errors;
            this.verdicts.set(key, verdict);
        }
        return verdict;
    }
}
