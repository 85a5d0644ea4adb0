/**
 * The team's restore changes in the preview: its modifier rules join each object's generated
 * fixes, in the order the stage writes them into the one ConfigMap (generated first, then the
 * team's: modifiers/userRules.ts), and the applier traces what each of the team's rules changed
 * and which rule won a field two of them patched (modifiers/trace.ts).
 */
import { globToRegExp } from "../modifiers/glob";
import { traceResourceModifiers } from "../modifiers/trace";
import { mergeModifiers, type OriginRule } from "../modifiers/userRules";
import { veleroApplier, type FixSource, type ModifierApplier } from "./fixes";

/** The object's fixes with the team's rules whose group-resource could match it appended. */
export function withUserRules(source: FixSource, user: readonly OriginRule[]): FixSource {
    if (user.length === 0) return source;
    const matchers = user.map((u) => ({ u, gr: globToRegExp(u.rule.conditions.groupResource, ".") }));
    return (obj, groupResource) => {
        const fixes = source(obj, groupResource);
        // The other conditions are the replay's to judge; this only spares objects no rule can reach.
        const mine = matchers.filter((m) => m.gr.test(groupResource)).map((m) => m.u);
        return mine.length === 0 ? fixes : { ...fixes, modifiers: mergeModifiers(fixes.modifiers, mine) };
    };
}

/** Velero's way of applying the modifiers, telling what the team's rules did. */
export function tracingApplier(velero: string, user: readonly OriginRule[]): ModifierApplier {
    // Without the team's rules each generated rule is one fix of one object: nothing to trace.
    if (user.length === 0) return veleroApplier(velero);
    const origins = new Map(user.map((u) => [u.rule, u.origin]));
    return (mods, obj, groupResource) => traceResourceModifiers(mods, (rule) => origins.get(rule), obj, groupResource, velero);
}
