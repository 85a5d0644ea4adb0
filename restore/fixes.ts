/**
 * The restore fixes one object gets, and how they are applied: the two seams of the
 * preview. The fixes come from the rules' automatic fixes for the object as the backup holds
 * it (what the restore stage computes from the same backup); the applier replays Velero's
 * resource modifiers. Both are functions so a new source of fixes or a new applier plugs in
 * without touching the pipeline.
 */
import { resourceModifiers, modifiersYaml, type ObjectFix } from "../modifiers/build";
import { resolveFixes } from "../modifiers/fixEdits";
import { applyResourceModifiers, type ModifierOutcome } from "../modifiers/replay";
import { validateResourceModifiers } from "../modifiers/validate";
import type { ResourceModifiers } from "../modifiers/veleroFormat";
import type { WaiverBook } from "../preflight/waivers";
import { checkObject, type EngineOptions } from "../rules/engine";
import { record, str } from "../rules/objects";
import type { Finding, FixEdit, KubeObject } from "../rules";

export interface ObjectFixes {
    /** The modifier rules for this object, when it has fixes. */
    modifiers?: ResourceModifiers;
    /** What each fix does, `rule: edits`. */
    fixes: string[];
    /** Fixes that could not be written for this object, and why (the others still apply). */
    unwritable: string[];
    /** Findings accepted by a waiver. */
    waived: string[];
    /** A mandatory rule reported it: the rules judge it again after the pipeline. */
    judged: boolean;
}

export type FixSource = (obj: KubeObject, groupResource: string) => ObjectFixes;

/** Applies resource modifiers to one object as Velero does (internal/resourcemodifiers). */
export type ModifierApplier = (mods: ResourceModifiers, obj: KubeObject, groupResource: string) => ModifierOutcome & { notes?: string[] };

/** Findings that count: not waived, or waived by an expired waiver. */
export function counts(f: Finding, obj: KubeObject, waivers: WaiverBook | undefined): { counts: boolean; note?: string } {
    const meta = record(obj.metadata);
    const match = waivers?.match(f.rule, str(meta.namespace), str(meta.name));
    if (!match) return { counts: true };
    if (match.expired) return { counts: true, note: `${f.rule}: waiver expired on ${match.waiver.expires}` };
    return { counts: false, note: `${f.rule} waived until ${match.waiver.expires}: ${match.waiver.reason}` };
}

function describeEdits(edits: readonly FixEdit[]): string {
    return edits.map((e) => (e.op === "unset" ? `unset ${e.path}` : `set ${e.path} ${JSON.stringify(e.value)}`)).join(", ");
}

/** The rules' automatic fixes for one object, written for the target's Velero as the restore stage writes them. */
export function ruleFixes(engine: EngineOptions, velero: string, waivers?: WaiverBook): FixSource {
    return (obj, groupResource) => {
        const findings = checkObject(obj, engine);
        const out: ObjectFixes = { fixes: [], unwritable: [], waived: [], judged: false };
        const edits: FixEdit[][] = [];
        for (const f of findings) {
            const c = counts(f, obj, waivers);
            if (!c.counts) {
                if (c.note) out.waived.push(c.note);
                continue;
            }
            if (f.severity === "error") out.judged = true;
            if (f.autofix && f.autofix.length > 0) {
                edits.push(f.autofix);
                out.fixes.push(`${f.rule}: ${describeEdits(f.autofix)}`);
            }
        }
        const meta = record(obj.metadata);
        const name = str(meta.name);
        if (edits.length > 0 && name) {
            const resolved = resolveFixes(obj, edits);
            out.unwritable.push(...resolved.problems);
            if (resolved.fixes.length > 0) {
                const fix: ObjectFix = { groupResource, apiVersion: String(obj.apiVersion), name, fixes: resolved.fixes };
                const namespace = str(meta.namespace);
                if (namespace) fix.namespace = namespace;
                out.modifiers = resourceModifiers([fix], velero);
            }
        }
        return out;
    };
}

/** Velero's own way of applying the modifiers (modifiers/replay.ts): a failed rule is recorded and skipped. */
export function veleroApplier(velero: string): ModifierApplier {
    return (mods, obj, groupResource) => applyResourceModifiers(mods, obj, groupResource, velero);
}

/**
 * A value whose exact text changes nothing in how Velero reads the rule: the YAML writer
 * leaves it plain, Velero pastes it quoted as a string, and no check of validate.ts looks at
 * it (no quote, brace, bracket, backslash, no boolean, null, number or special float word);
 * integers that fit a float64 exactly alike.
 */
const PLAIN_VALUE = /^[A-Za-z][A-Za-z0-9._/:-]*$/;
const SPECIAL_WORD = /^(?:y|n|yes|no|on|off|true|false|null|inf|infinity|nan)$/i;

function plain(value: unknown): boolean {
    return typeof value === "string" && PLAIN_VALUE.test(value) && !SPECIAL_WORD.test(value);
}

/** What the checks judge by its text: the group-resource (globs, strategic kinds) and each patch's operation and pointers. */
const KEPT = new Set(["groupResource", "operation", "path", "from"]);

/** The rule with every plain value replaced by a placeholder; any other value kept as it is. */
function shapeOf(mods: ResourceModifiers): string {
    return JSON.stringify(mods.resourceModifierRules, (key, value: unknown) => {
        if (KEPT.has(key)) return value;
        if (key === "resourceNameRegex" && typeof value === "string" && /^\^[a-z0-9-]+(?:\\\.[a-z0-9-]+)*\$$/.test(value)) return "^name$";
        if (key === "patchData" && typeof value === "string") return shapeOfJson(value);
        if (typeof value === "number" && Number.isSafeInteger(value)) return 0;
        return plain(value) ? "_" : value;
    });
}

/** A merge or strategic patch's JSON with its plain strings (keys and values) replaced. */
function shapeOfJson(text: string): string {
    return text.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) => (plain(inner) ? '"_"' : whole));
}

/**
 * What the target's Velero cannot read in the modifiers (it then fails the whole Restore).
 * The objects' rules differ mostly in the name, namespace and values they carry; the verdict
 * is kept per rule shape (those replaced when plain, see PLAIN_VALUE): validating YAML for
 * every fixed object would cost as much as reading the backup.
 */
export class ModifierCheck {
    private readonly verdicts = new Map<string, string[]>();

    constructor(private readonly velero: string) {}

    problems(mods: ResourceModifiers): string[] {
        const key = shapeOf(mods);
        let verdict = this.verdicts.get(key);
        if (verdict === undefined) {
            const check = validateResourceModifiers(modifiersYaml(mods), { velero: this.velero });
            verdict = check.ok ? [] : check.errors;
            this.verdicts.set(key, verdict);
        }
        return verdict;
    }
}
