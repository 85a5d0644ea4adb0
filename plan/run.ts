/**
 * `tke2eks plan` without the printing: read the stack config, run the program offline as a
 * preview, and judge every declared resource with the policy pack.
 */
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies, type PolicyPackConfig } from "../policy/evaluate";
import { loadMigrationConfig } from "../config";
import { declareMigration } from "../program";
import { runOffline, type OfflineRun, type Registration } from "./offline";
import { readStackConfig } from "../config/stackFiles";
import { isProvider, type Plan, type PlanResource } from "./model";
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
    const config = loadMigrationConfig(stackConfig.config, { projectDir: stackConfig.projectDir, stack: stackConfig.stack, secretKeys: stackConfig.secretKeys });
    let run: OfflineRun;
    try {
        run = await runOffline({
            project: stackConfig.project,
            stack: stackConfig.stack,
            config: stackConfig.config,
            secretKeys: stackConfig.secretKeys,
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
