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
import * as fs from "node:fs";
import { validateResourceModifiers } from "./validate";
import { MODIFIERS_VERSION, type ResourceModifierRule, type ResourceModifiers } from "./veleroFormat";

/** A rule and where it came from: `<file> rule <i>` for the team's, or `generated fix`. */
export interface OriginRule {
    rule: ResourceModifierRule;
    origin: string;
}

/** What the generated rules are called in origins and reports. */
export const GENERATED_ORIGIN = "generated fix";

/**
 * Reads and validates each file for the given Velero (its image tag); throws one message per
 * file naming the file and each problem. `given` is the path as configured (for messages and
 * origins, so they do not depend on the checkout's location).
 */
export function readUserModifiers(files: readonly { path: string; given: string }[], velero: string): { rules: OriginRule[]; problems: { given: string; message: string }[] } {
    const rules: OriginRule[] = [];
    const problems: { given: string; message: string }[] = [];
    for (const f of files) {
        let text: string;
        try {
            text = fs.readFileSync(f.path, "utf8");
        } catch (err) {
            problems.push({ given: f.given, message: `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
            continue;
        }
        const check = validateResourceModifiers(text, { velero });
        if (!check.ok) {
            problems.push({ given: f.given, message: `not valid resource modifiers for Velero ${velero}: ${check.errors.join("; ")}` });
            continue;
        }
        check.value.resourceModifierRules.forEach((rule, i) => rules.push({ rule, origin: `${f.given} rule ${i}` }));
    }
    return { rules, problems };
}

/** The one rule list Velero reads: the generated fixes, then the team's rules; undefined when both are empty. */
export function mergeModifiers(generated: ResourceModifiers | undefined, user: readonly OriginRule[]): ResourceModifiers | undefined {
    const rules = [...(generated?.resourceModifierRules ?? []), ...user.map((u) => u.rule)];
    return rules.length === 0 ? undefined : { version: MODIFIERS_VERSION, resourceModifierRules: rules };
}

/** Each rule's origin, in the merged list's order (`rule <n>: <origin>`), for the stage's report. */
export function ruleOrigins(generatedCount: number, user: readonly OriginRule[]): string[] {
    const generated = generatedCount === 0 ? [] : [`rules 0-${generatedCount - 1}: ${GENERATED_ORIGIN}s`];
    return [...generated, ...user.map((u, i) => `rule ${generatedCount + i}: ${u.origin}`)];
}
