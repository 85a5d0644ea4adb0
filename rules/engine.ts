/**
 * Runs the catalogue over objects. It deliberately catches nothing: rules are written not
 * to throw on odd input, and the one exception that may pass through (the policy SDK's
 * UnknownValueError during preview) must reach the engine that knows what it means.
 */
import { RULES, type RuleId } from "./catalogue";
import { resolveProfile } from "./profiles";
import { DEFAULT_FIXES, type AggregateFinding, type ApiContext, type FixOptions, type KubeObject, type Level, type ObjectRef, type RawFinding, type Rule, type RuleContext, type Profile, type ProfileName, type Severity, type Thresholds } from "./types";

/** A rule's finding, stamped with the rule's ID and the severity its level gives. */
export interface Finding extends RawFinding {
    rule: RuleId;
    severity: Severity;
}

export interface EngineOptions {
    profile: Profile;
    /** Per-rule level overrides (policy config, preflight flags). */
    levels?: Partial<Record<RuleId, Level>>;
    /** Only these rules (default: all). */
    only?: readonly RuleId[];
    /** How automatic fixes rewrite objects (default: DEFAULT_FIXES). */
    fixes?: FixOptions;
    /** What clusters A and B serve (preflight's target options, a backup's version folders). */
    apis?: ApiContext;
}

function contextOf(opts: EngineOptions): RuleContext {
    const ctx: RuleContext = { profile: opts.profile, fixes: opts.fixes ?? DEFAULT_FIXES };
    if (opts.apis) ctx.apis = opts.apis;
    return ctx;
}

export function engineOptions(profile: ProfileName = "eks", thresholds: Partial<Thresholds> = {}): EngineOptions {
    return { profile: resolveProfile(profile, thresholds) };
}

/** The level a rule runs at: explicit override, then the rule's on the profile, then the rule's default. */
export function levelOf(rule: Rule<RuleId>, opts: EngineOptions): Level {
    return opts.levels?.[rule.id] ?? rule.levels?.[opts.profile.name] ?? rule.defaultLevel;
}

function activeRules(opts: EngineOptions): Rule<RuleId>[] {
    return RULES.filter((r) => levelOf(r, opts) !== "disabled" && (!opts.only || opts.only.includes(r.id)));
}

function stamp(rule: Rule<RuleId>, level: Level, raw: RawFinding): Finding {
    return { ...raw, rule: rule.id, severity: level === "mandatory" && !raw.advisory ? "error" : "warning" };
}

/** Every object-level finding for one object. */
export function checkObject(obj: KubeObject, opts: EngineOptions): Finding[] {
    const ctx = contextOf(opts);
    const out: Finding[] = [];
    for (const rule of activeRules(opts)) {
        if (!rule.check) continue;
        const level = levelOf(rule, opts);
        for (const raw of rule.check(obj, ctx)) out.push(stamp(rule, level, raw));
    }
    return out;
}

export interface SetFinding extends Finding {
    object?: ObjectRef;
}

/** Set-level rules fed one object at a time; `finish` reports on the whole set. */
export class AggregateScan {
    private readonly parts: { rule: Rule<RuleId>; level: Level; agg: ReturnType<NonNullable<Rule["aggregate"]>> }[];

    constructor(opts: EngineOptions) {
        const ctx = contextOf(opts);
        this.parts = activeRules(opts)
            .filter((r) => r.aggregate)
            .map((rule) => ({ rule, level: levelOf(rule, opts), agg: rule.aggregate!(ctx) }));
    }

    add(obj: KubeObject, ref: ObjectRef): void {
        for (const p of this.parts) p.agg.add(obj, ref);
    }

    finish(): SetFinding[] {
        return this.parts.flatMap((p) => p.agg.finish().map((f: AggregateFinding) => stamp(p.rule, p.level, f)));
    }
}
