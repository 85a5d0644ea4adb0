/**
 * Contract between the plan command and the policy pack. Calls every policy's
 * validateResource / validateStack (and, at level `remediate`, remediateResource) directly,
 * with arguments shaped as the Pulumi engine sends them and config reconciled as the engine
 * does, without starting the pack's gRPC server.
 */
import type { EnforcementLevel, Policies, Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { UnknownValueError } from "./sdkProxy";
import { PolicyConfigError, validateConfig } from "./config";
import { NotApplicableError, resourceArgs, stackArgs, violationRecorder, type Diagnostic, type PlannedResource } from "./engineArgs";
import { PACK_NAME, PACK_VERSION } from "./pack";
import { policies as PACK_POLICIES } from "./policies";
import { describeChanges, propertyChanges, type PropertyChange } from "./propertyChanges";
import { UserError } from "../core/errors";

export { PolicyConfigError } from "./config";
export type { PropertyChange } from "./propertyChanges";

export interface PolicyViolation {
    /** The policy name, which is the rule ID. */
    policy: string;
    level: "mandatory" | "advisory";
    urn?: string;
    message: string;
    /** Set when a policy at level `remediate` would change the resource: what it changes (reported as advisory). */
    changes?: PropertyChange[];
}

/** Policy config as `pulumi up --policy-pack-config` would pass it: policy name → settings. */
export type PolicyPackConfig = Record<string, Record<string, unknown>>;

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const PACK = `'${PACK_NAME}@v${PACK_VERSION}'`;

type AnyPolicy = Policy & Partial<Pick<ResourceValidationPolicy, "validateResource" | "remediateResource"> & Pick<StackValidationPolicy, "validateStack">>;

/** As the SDK tells them apart: by the callbacks a policy has (a policy may have both). */
function isResourcePolicy(p: AnyPolicy): boolean {
    return typeof p.validateResource === "function" || Array.isArray(p.validateResource) || typeof p.remediateResource === "function";
}

interface Settings {
    level: EnforcementLevel;
    config: Record<string, unknown>;
}

/**
 * The engine's reconciliation: schema defaults, then `all`'s level, then each policy's own
 * entry; then every policy's config is validated. Unlike the engine, an entry for a policy
 * the pack does not have is an error (a typo would otherwise switch nothing on).
 */
function reconcile(policies: readonly AnyPolicy[], config: PolicyPackConfig): Map<string, Settings> {
    const problems: string[] = [];
    const names = policies.map((p) => p.name);
    for (const [key, entry] of Object.entries(config)) {
        if (key !== "all" && !names.includes(key)) problems.push(`unknown policy "${key}"; the pack has: all, ${names.join(", ")}`);
        if (key === "all" && Object.keys(entry).some((k) => k !== "enforcementLevel")) problems.push(`"all" takes only enforcementLevel, got ${Object.keys(entry).join(", ")}`);
        const level = entry.enforcementLevel;
        if (level !== undefined && !LEVELS.includes(level as EnforcementLevel)) {
            problems.push(`${key}.enforcementLevel = ${JSON.stringify(level)}: must be one of ${LEVELS.join(", ")}`);
        }
    }
    const out = new Map<string, Settings>();
    for (const p of policies) {
        const { enforcementLevel, ...props } = config[p.name] ?? {};
        const level = (enforcementLevel ?? config.all?.enforcementLevel ?? p.enforcementLevel ?? "advisory") as EnforcementLevel;
        try {
            out.set(p.name, { level, config: p.configSchema ? validateConfig(p.name, p.configSchema, props) : props });
        } catch (err) {
            if (!(err instanceof PolicyConfigError)) throw err;
            problems.push(err.message);
        }
    }
    if (problems.length > 0) throw new PolicyConfigError(`policy pack config: ${problems.join("\n")}`);
    return out;
}

/** Runs one callback as the server does: unknowns become an advisory note, notApplicable nothing, other errors abort. */
async function guarded(p: AnyPolicy, what: "policy" | "remediation", sink: Diagnostic[], run: () => unknown): Promise<unknown> {
    const from = `${what} '${p.name}' from policy pack ${PACK}`;
    try {
        return await run();
    } catch (err: unknown) {
        if (err instanceof UnknownValueError) {
            sink.push({ policyName: p.name, message: `can't run ${from} during preview: ${err.message}`, enforcementLevel: "advisory" });
        } else if (err instanceof PolicyConfigError) {
            // Settings that only fail together (a port range upside down) surface at the first call.
            throw err;
        } else if (!(err instanceof NotApplicableError)) {
            const verb = what === "policy" ? "validating" : "remediating";
            throw new UserError(`Error ${verb} resource with ${from}: ${err instanceof Error ? err.message : String(err)}`);
        }
        return undefined;
    }
}

function violation(d: Diagnostic, urn?: string): PolicyViolation {
    const v: PolicyViolation = { policy: d.policyName, level: d.enforcementLevel === "advisory" ? "advisory" : "mandatory", message: d.message };
    const at = d.urn ?? urn;
    if (at !== undefined) v.urn = at;
    return v;
}

/** Remediations of one resource, in pack order, each seeing the last one's result. */
async function remediate(policies: readonly AnyPolicy[], settings: Map<string, Settings>, r: PlannedResource, out: PolicyViolation[]): Promise<PlannedResource> {
    let current = r;
    for (const p of policies) {
        const s = settings.get(p.name)!;
        if (s.level !== "remediate" || !p.remediateResource) continue;
        const notes: Diagnostic[] = [];
        const remediateResource = p.remediateResource;
        const result = (await guarded(p, "remediation", notes, () => remediateResource(resourceArgs(current, s.config)))) as Record<string, unknown> | undefined;
        out.push(...notes.map((d) => violation(d, r.urn)));
        if (!result) continue;
        const changes = propertyChanges(current.props, result);
        if (changes.length === 0) continue;
        out.push({ policy: p.name, level: "advisory", urn: r.urn, message: `${p.description}\nremediated: ${describeChanges(changes)}`, changes });
        current = { ...current, props: result };
    }
    return current;
}

async function analyze(policies: readonly AnyPolicy[], settings: Map<string, Settings>, r: PlannedResource, out: PolicyViolation[]): Promise<void> {
    for (const p of policies) {
        const s = settings.get(p.name)!;
        if (s.level === "disabled" || !isResourcePolicy(p) || !p.validateResource) continue;
        // A violation left after remediation is reported as mandatory, as the server does.
        const level = s.level === "remediate" ? "mandatory" : s.level;
        const sink: Diagnostic[] = [];
        const report = violationRecorder(p, level, sink);
        for (const validate of [p.validateResource].flat()) {
            await guarded(p, "policy", sink, () => validate(resourceArgs(r, s.config), report));
        }
        out.push(...sink.map((d) => violation(d, r.urn)));
    }
}

async function analyzeStack(policies: readonly AnyPolicy[], settings: Map<string, Settings>, resources: PlannedResource[], out: PolicyViolation[]): Promise<void> {
    for (const p of policies) {
        const s = settings.get(p.name)!;
        if (s.level === "disabled" || typeof p.validateStack !== "function") continue;
        const validateStack = p.validateStack;
        const sink: Diagnostic[] = [];
        const report = violationRecorder(p, s.level === "remediate" ? "mandatory" : s.level, sink);
        await guarded(p, "policy", sink, () => validateStack(stackArgs(resources, s.config), report));
        out.push(...sink.map((d) => violation(d)));
    }
}

/**
 * Every violation of the pack's policies over the resources, in the engine's order: each
 * resource (remediations, then validations), then the stack. Throws PolicyConfigError for a
 * bad config and UserError when a policy fails.
 */
export async function evaluatePolicies(resources: PlannedResource[], config: PolicyPackConfig = {}): Promise<PolicyViolation[]> {
    const policies: readonly AnyPolicy[] = PACK_POLICIES satisfies Policies;
    const settings = reconcile(policies, config);
    const out: PolicyViolation[] = [];
    const final: PlannedResource[] = [];
    for (const r of resources) {
        const current = await remediate(policies, settings, r, out);
        await analyze(policies, settings, current, out);
        final.push(current);
    }
    await analyzeStack(policies, settings, final, out);
    return out;
}
