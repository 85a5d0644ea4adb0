/**
 * `tke2eks plan` without the printing: read the stack config, run the program offline as a
 * preview, and judge every declared resource with the policy pack.
 */
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies, type PolicyPackConfig } from "../policy/evaluate";
import { loadMigrationConfig } from "../config";
import { declareMigration } from "../program";
import { runOffline, type OfflineRun, type Registration } from "./offline";
import { readStackConfig, type StackConfig } from "../config/stackFiles";
import { isProvider, SECRET, type Plan, type PlanResource } from "./model";
import { decodeMap } from "./wire";
import type { PlannedResource } from "../policy/engineArgs";
import { UserError } from "../core/errors";

export interface PlanOptions {
    /** Folder holding Pulumi.yaml and Pulumi.<stack>.yaml. */
    projectDir: string;
    stack: string;
    /** `KEY=VALUE` config overrides for this run. */
    overrides?: readonly string[];
    policyConfig?: PolicyPackConfig;
}

/** A recorded registration in the plan's two views. */
export function toPlanResource(r: Registration): PlanResource {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        custom: r.custom,
        parent: r.parent ?? null,
        provider: r.provider ?? null,
        dependencies: r.dependencies,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        inputs: decodeMap(r.inputs, "display"),
        props: decodeMap(r.inputs, "policy"),
    };
}

/** The resources as the engine describes them to a policy pack. */
export function plannedResources(resources: readonly PlanResource[]): PlannedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return resources.map((r) => {
        const planned: PlannedResource = { urn: r.urn, type: r.type, name: r.name, props: r.props, dependencies: r.dependencies, protect: r.protect };
        if (r.parent) planned.parent = r.parent;
        const provider = r.provider ? byUrn.get(r.provider) : undefined;
        if (provider && isProvider(provider)) planned.provider = { urn: provider.urn, type: provider.type, name: provider.name, props: provider.props };
        return planned;
    });
}

export async function planStack(opts: PlanOptions): Promise<Plan> {
    const stackConfig = readStackConfig(opts.projectDir, opts.stack, opts.overrides);
    // Checked before the program runs, so a bad config is one message and nothing else.
    const { secretKeys } = stackConfig;
    const secrets = secretValues(stackConfig.config, secretKeys);
    try {
        return redactValues(await planConfig(stackConfig, opts), secrets);
    } catch (err) {
        // A config message quotes the value it refuses, whatever the key.
        if (err instanceof Error) err.message = redactValues(err.message, secrets);
        throw err;
    }
}

/** The plan of a stack config already read (the sandbox builds its own); secret values are not redacted. */
export async function planConfig(stackConfig: StackConfig, opts: Pick<PlanOptions, "policyConfig"> = {}): Promise<Plan> {
    const { secretKeys } = stackConfig;
    const config = loadMigrationConfig(stackConfig.config, { projectDir: stackConfig.projectDir, stack: stackConfig.stack, secretKeys });
    let run: OfflineRun;
    try {
        run = await runOffline({
            project: stackConfig.project,
            stack: stackConfig.stack,
            config: stackConfig.config,
            secretKeys,
            program: () => declareMigration(config, { offline: true }),
        });
    } catch (err) {
        // What `pulumi preview` would print as the program's one-line error, not a bug.
        if (pulumi.RunError.isInstance(err)) throw new UserError((err as Error).message);
        throw err;
    }
    const resources = run.registrations.map(toPlanResource);
    const violations = await evaluatePolicies(plannedResources(resources), opts.policyConfig);
    return { project: stackConfig.project, stack: stackConfig.stack, resources, violations, outputs: decodeMap(run.outputs, "display") };
}

/** The values of the secret keys, and each string inside a structured one (JSON as the engine passes it). */
function secretValues(config: Record<string, string>, secretKeys: readonly string[]): string[] {
    const out: string[] = [];
    const leaves = (v: unknown): void => {
        if (typeof v === "string") out.push(v);
        else if (typeof v === "number" || typeof v === "boolean") out.push(String(v));
        else if (v !== null && typeof v === "object") Object.values(v).forEach(leaves);
    };
    for (const key of secretKeys) {
        const raw = config[key];
        if (raw === undefined) continue;
        out.push(raw);
        try {
            leaves(JSON.parse(raw));
        } catch {
            // A plain string: already listed.
        }
    }
    // Longest first, so a value that contains another is replaced whole; too short to mean anything alone, kept.
    return [...new Set(out)].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** A secret value shorter than this ("1", "on") is no secret worth hiding and would blank out unrelated text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every string of the plan (inputs, props, outputs, policy messages) with the secret values
 * replaced by the marker: the program may copy a secure value anywhere (a Command's
 * environment, a label), and whatever it did, no format may print it.
 */
function redactValues<T>(value: T, secrets: readonly string[]): T {
    if (secrets.length === 0) return value;
    const walk = (v: unknown): unknown => {
        if (typeof v === "string") return secrets.reduce((text, s) => text.split(s).join(SECRET), v);
        if (Array.isArray(v)) return v.map(walk);
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
        return v;
    };
    return walk(value) as T;
}
