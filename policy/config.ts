/**
 * Each policy's configuration: a JSON schema built from what its rule uses (profile,
 * thresholds, fix options), target selection and exemptions, checked in code with ajv.
 * The engine validates config against `configSchema.properties` only (it never sees
 * `additionalProperties`), and evaluate.ts calls policies with no engine at all, so the
 * policy itself rejects unknown keys and bad values, naming the key, the value and what is
 * allowed.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import Ajv, { type ErrorObject } from "ajv";
import { DEFAULT_FIXES, PROFILE_NAMES, PROFILES, resolveProfile, THRESHOLD_BOUNDS, type EngineOptions, type FixOptions, type ProfileName, type RuleId, type Thresholds } from "../rules";
import { UserError } from "../core/errors";
import { globToRegExp } from "../modifiers/glob";
import { DEFAULT_TARGET_PROVIDERS, type Exemptions } from "./selection";

export type ThresholdKey = keyof Thresholds;
export type FixKey = keyof FixOptions;

/** What a policy's config may hold besides the profile and exemptions. */
export interface ConfigSpec {
    thresholds: readonly ThresholdKey[];
    fixes: readonly FixKey[];
    /** Whether the policy judges the serverless cluster only (then `targetProviders` applies). */
    targetOnly: boolean;
}

export class PolicyConfigError extends UserError {}

const THRESHOLD_TEXT: Record<ThresholdKey, string> = {
    reservedPorts: "ports a Pod may not use",
    reservedRangeFrom: "first port of the refused high range",
    reservedRangeTo: "last port of the refused high range (inclusive)",
    ephemeralStorageGi: "ephemeral disk a Pod gets, in GiB",
    podQuota: "Pods per cluster",
    replicaLimit: "replicas per workload (0: no limit)",
    targetMinor: "the serverless cluster's Kubernetes minor version (22 for 1.22; 0: not known, the API-version check stays silent)",
};

const FIX_SCHEMAS: Record<FixKey, PolicyConfigJSONSchema> = {
    nodePortServiceType: {
        type: "string",
        enum: ["ClusterIP", "LoadBalancer"],
        default: DEFAULT_FIXES.nodePortServiceType,
        description: "what the remediation turns a NodePort Service into",
    },
    retainIp: {
        type: "boolean",
        default: DEFAULT_FIXES.retainIp,
        description: 'the remediation adds eks.tke.cloud.tencent.com/retain-ip: "true" to StatefulSets and bare Pods that had a fixed IP',
    },
};

const globList = (description: string, defaults: readonly string[]): PolicyConfigJSONSchema => ({
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [...defaults],
    description,
});

function thresholdSchema(key: ThresholdKey): PolicyConfigJSONSchema {
    const { min, max } = THRESHOLD_BOUNDS[key];
    const defaults = PROFILE_NAMES.map((p) => `${p}: ${JSON.stringify(PROFILES[p].thresholds[key])}`).join(", ");
    const description = `${THRESHOLD_TEXT[key]}; default from the profile (${defaults})`;
    const integer: PolicyConfigJSONSchema = { type: "integer", minimum: min, maximum: max };
    return Array.isArray(PROFILES.eks.thresholds[key]) ? { type: "array", items: integer, description } : { ...integer, description };
}

/** The `configSchema` a policy declares (defaults included, as the engine applies them). */
export function configSchemaFor(spec: ConfigSpec): PolicyConfigSchema {
    const properties: Record<string, PolicyConfigJSONSchema> = {
        profile: { type: "string", enum: [...PROFILE_NAMES], default: "eks", description: "the serverless target's limits: eks (the migration guide) or tke-serverless (current super-node notes)" },
    };
    for (const key of spec.thresholds) properties[key] = thresholdSchema(key);
    for (const key of spec.fixes) properties[key] = FIX_SCHEMAS[key];
    if (spec.targetOnly) {
        properties.targetProviders = {
            ...globList('Kubernetes providers deploying to the serverless cluster: globs on the provider name (case-insensitive), or on its URN when starting with "urn:"', DEFAULT_TARGET_PROVIDERS),
            minItems: 1,
        };
    }
    properties.excludeNamespaces = globList("namespaces this policy skips (globs)", []);
    properties.excludeNames = globList('object names this policy skips (globs; "namespace/name" when it contains "/")', []);
    return { properties };
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true });
const validators = new WeakMap<PolicyConfigSchema, ReturnType<typeof ajv.compile>>();

function validatorFor(schema: PolicyConfigSchema) {
    let v = validators.get(schema);
    if (!v) {
        v = ajv.compile({ type: "object", properties: schema.properties, required: schema.required ?? [], additionalProperties: false });
        validators.set(schema, v);
    }
    return v;
}

/** "an integer from 1 to 65535", "one of "eks", "tke-serverless"", "a list of non-empty strings", ... */
function allowed(schema: PolicyConfigJSONSchema, plural = false): string {
    if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
    switch (schema.type) {
        case "integer":
            return `${plural ? "integers" : "an integer"} from ${schema.minimum} to ${schema.maximum}`;
        case "boolean":
            return "true or false";
        case "string":
            return plural ? "non-empty strings" : "a non-empty string";
        case "array": {
            const items = schema.items && typeof schema.items === "object" && !Array.isArray(schema.items) ? allowed(schema.items, true) : "values";
            return `a list of ${items}${schema.minItems ? ` (at least ${schema.minItems})` : ""}`;
        }
        default:
            return String(schema.type);
    }
}

/** "reservedPorts[2]" for "/reservedPorts/2". */
function keyOf(instancePath: string): string {
    return instancePath
        .split("/")
        .slice(1)
        .map((seg, i) => (/^\d+$/.test(seg) && i > 0 ? `[${seg}]` : (i > 0 ? "." : "") + seg))
        .join("");
}

function describeError(e: ErrorObject, schema: PolicyConfigSchema): string {
    if (e.keyword === "additionalProperties") {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const value = (e.data as Record<string, unknown>)[key];
        return `unknown key "${key}" (value ${JSON.stringify(value)}); allowed keys: ${Object.keys(schema.properties).join(", ")}`;
    }
    if (e.instancePath === "") return `the config must be an object of settings, got ${JSON.stringify(e.data)}`;
    return `${keyOf(e.instancePath)} = ${JSON.stringify(e.data)}: must be ${allowed(e.parentSchema as PolicyConfigJSONSchema)}`;
}

/**
 * The config with defaults filled in; throws PolicyConfigError listing every problem.
 * `raw` is not modified.
 */
export function validateConfig(policy: string, schema: PolicyConfigSchema, raw: unknown): Record<string, unknown> {
    const data: unknown = raw === undefined ? {} : structuredClone(raw);
    const validate = validatorFor(schema);
    if (validate(data)) return data as Record<string, unknown>;
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const e of validate.errors ?? []) {
        const where = e.keyword === "additionalProperties" ? `+${JSON.stringify(e.params)}` : e.instancePath;
        if (seen.has(where)) continue;
        seen.add(where);
        problems.push(describeError(e, schema));
    }
    throw new PolicyConfigError(`policy ${policy}: bad config: ${problems.join("; ")}`);
}

/** A policy's settings, ready for the rule engine and the selection. */
export interface ResolvedConfig extends Exemptions {
    engine: EngineOptions;
    targetProviders: readonly string[];
}

/** Validates and resolves; the same config (by value) resolves once. */
export function configResolver(id: RuleId, spec: ConfigSpec, schema: PolicyConfigSchema): (raw: unknown) => ResolvedConfig {
    const cache = new Map<string, ResolvedConfig>();
    return (raw) => {
        const key = JSON.stringify(raw ?? {});
        let resolved = cache.get(key);
        if (!resolved) {
            resolved = resolve(id, spec, validateConfig(id, schema, raw));
            cache.set(key, resolved);
        }
        return resolved;
    };
}

function resolve(id: RuleId, spec: ConfigSpec, c: Record<string, unknown>): ResolvedConfig {
    const profileName = c.profile as ProfileName;
    const overrides: Partial<Record<ThresholdKey, unknown>> = {};
    for (const key of spec.thresholds) if (c[key] !== undefined) overrides[key] = c[key];
    const profile = resolveProfile(profileName, overrides as Partial<Thresholds>);
    const { reservedRangeFrom: from, reservedRangeTo: to } = profile.thresholds;
    if (spec.thresholds.includes("reservedRangeFrom") && from > to) {
        throw new PolicyConfigError(
            `policy ${id}: bad config: reservedRangeFrom = ${from} is above reservedRangeTo = ${to} (profile ${profileName}): the refused range must run from low to high`,
        );
    }
    const fixes: FixOptions = { ...DEFAULT_FIXES };
    for (const key of spec.fixes) Object.assign(fixes, { [key]: c[key] });
    for (const key of ["targetProviders", "excludeNamespaces", "excludeNames"] as const) {
        for (const glob of (c[key] as string[] | undefined) ?? []) {
            try {
                globToRegExp(glob);
            } catch (err) {
                throw new PolicyConfigError(`policy ${id}: bad config: ${key} "${glob}": ${(err as Error).message}`);
            }
        }
    }
    return {
        // Forcing the rule mandatory makes the engine mark the findings the rule itself calls
        // advisory as warnings; the policy's real level is CrossGuard's enforcementLevel.
        engine: { profile, fixes, only: [id], levels: { [id]: "mandatory" } },
        targetProviders: (c.targetProviders as string[] | undefined) ?? DEFAULT_TARGET_PROVIDERS,
        excludeNamespaces: c.excludeNamespaces as string[],
        excludeNames: c.excludeNames as string[],
    };
}
