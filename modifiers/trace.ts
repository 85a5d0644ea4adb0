/**
 * What each resource-modifier rule changed on one object, and which rule's change a later
 * rule overwrote. Velero applies every matching rule in order to the object as patched so
 * far (internal/resourcemodifiers/resource_modifiers.go:94-108 at v1.18.2), so of two rules
 * that patch the same field the later one wins and the earlier one's change is lost without
 * a word. Like crane's transform runner, whose later plugin wins a collided path and whose
 * response lists the earlier patch as ignored (konveyor/crane-lib transform/runner_test.go,
 * case RunWithTwoPluginsCollidedPatches), the preview names both and the one that wins.
 */
import { isDeepStrictEqual } from "node:util";
import { isRecord, pointer } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { applyResourceModifiers, type ModifierOutcome } from "./replay";
import { GENERATED_ORIGIN } from "./userRules";
import type { ResourceModifierRule, ResourceModifiers } from "./veleroFormat";

/** The fields (as path tokens) that differ between two values: the deepest maps and same-length lists are walked. */
export function changedPaths(before: unknown, after: unknown, at: string[] = []): string[][] {
    if (isDeepStrictEqual(before, after)) return [];
    if (isRecord(before) && isRecord(after)) {
        const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
        return [...keys].flatMap((k) => changedPaths(before[k], after[k], [...at, k]));
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        return before.flatMap((b, i) => changedPaths(b, after[i], [...at, String(i)]));
    }
    return [at];
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
    const n = Math.min(a.length, b.length);
    return a.slice(0, n).every((t, i) => t === b[i]);
}

export interface TracedOutcome extends ModifierOutcome {
    /** For the team's rules: what each changed; for every pair of rules that changed the same field: which won. */
    notes: string[];
}

/**
 * Applies the modifiers as Velero does (replay.ts) and says what the team's rules changed
 * and where a later rule overwrote an earlier one. `originOf` names a team rule; any other
 * rule is a generated fix, already described by its rule's finding.
 */
export function traceResourceModifiers(mods: ResourceModifiers, originOf: (rule: ResourceModifierRule) => string | undefined, obj: KubeObject, groupResource: string, velero: string): TracedOutcome {
    const changes: { origin: string; user: boolean; paths: string[][] }[] = [];
    const outcome = applyResourceModifiers(mods, obj, groupResource, velero, (i, before, after) => {
        const origin = originOf(mods.resourceModifierRules[i]);
        changes.push({ origin: origin ?? `${GENERATED_ORIGIN} (rule ${i})`, user: origin !== undefined, paths: changedPaths(before, after) });
    });
    const notes: string[] = [];
    changes.forEach((c, j) => {
        if (c.user && c.paths.length > 0) notes.push(`${c.origin}: changed ${c.paths.map((p) => pointer(...p)).join(", ")}`);
        for (const earlier of changes.slice(0, j)) {
            const lost = earlier.paths.filter((p) => c.paths.some((q) => overlaps(p, q)));
            // Velero applies rules in order (resource_modifiers.go:94-108): the later change is the one B gets.
            if (lost.length > 0) notes.push(`${c.origin} overrides ${earlier.origin} at ${lost.map((p) => pointer(...p)).join(", ")}: B gets ${c.origin}'s value`);
        }
    });
    return { ...outcome, notes };
}
