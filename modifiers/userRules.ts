/**
 * The team's own resource-modifier rules (`tke2eks:restore.modifiers`): files in Velero's
 * format, checked by the strict validator for the target's Velero, then appended after the
 * rules' generated fixes in the one ConfigMap Velero reads (a Restore names one,
 * pkg/apis/velero/v1/restore_types.go `ResourceModifier *TypedLocalObjectReference`).
 * They come last so that where both patch the same field the team's choice wins (Velero
 * applies the rules in order, each on the object as patched so far:
 * internal/resourcemodifiers/resource_modifiers.go:87-110 at v1.18.2); the preview reports
 * each such overlap (trace.ts).
 */
import { MODIFIERS_VERSION, type ResourceModifierRule, type ResourceModifiers } from "./veleroFormat";

/** A rule and where it came from: `<file> rule <i>` for the team's, or `generated fix`. */
export interface OriginRule {
    rule: ResourceModifierRule;
    origin: string;
}

/** What the generated rules are called in origins and reports. */
export const GENERATED_ORIGIN = "generated fix";

/** The rules of the team's files (read and validated when the config loads), each named `<file> rule <i>`. */
export function originRules(files: readonly { given: string; modifiers: ResourceModifiers }[]): OriginRule[] {
    return files.flatMap((f) => f.modifiers.resourceModifierRules.map((rule, i) => ({ rule, origin: `${f.given} rule ${i}` })));
}

/** The one rule list Velero reads: the generated fixes, then the team's rules; undefined when both are empty. */
export function mergeModifiers(generated: ResourceModifiers | undefined, user: readonly OriginRule[]): ResourceModifiers | undefined {
    const rules = [...(generated?.resourceModifierRules ?? []), ...user.map((u) => u.rule)];
    return rules.length === 0 ? undefined : { version: MODIFIERS_VERSION, resourceModifierRules: rules };
}

/** Each rule's origin, in the merged list's order (`rule <n>: <origin>`), for the stage's report. */
export function ruleOrigins(generatedCount: number, user: readonly OriginRule[]): string[] {
    const generated = generatedCount === 0 ? [] : [`rules 0-${generatedCount - 1}: generated fixes`];
    return [...generated, ...user.map((u, i) => `rule ${generatedCount + i}: ${u.origin}`)];
}
