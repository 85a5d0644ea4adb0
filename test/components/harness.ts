/**
 * Declares components under the SDK's mocks with the same recorder `tke2eks plan` uses, and
 * gives the registrations back in the plan's two views (redacted inputs, policy props).
 */
import { strict as assert } from "node:assert";
import { toPlanResource } from "../../plan/run";
import type { PlanResource } from "../../plan/model";
import { runOffline, type OfflineOptions, type PackageRegistration, type Registration } from "../../plan/offline";
import { readStackConfig } from "../../config/stackFiles";
import { loadMigrationConfig, type MigrationConfig } from "../../config";
import { PROJECT_DIR } from "../config/support";

export interface Declared {
    registrations: Registration[];
    /** Parameterized packages the program registered. */
    packages: PackageRegistration[];
    resources: PlanResource[];
    outputs: Record<string, unknown>;
    ofType(type: string): PlanResource[];
    /** The one resource of a type (and name, when given); fails the test otherwise. */
    one(type: string, name?: string): PlanResource;
    registration(urn: string): Registration;
}

export async function declare(program: () => unknown, opts: Partial<Omit<OfflineOptions, "program">> = {}): Promise<Declared> {
    const run = await runOffline({ project: "tke2eks", stack: "test", config: {}, ...opts, program });
    const resources = run.registrations.map(toPlanResource);
    return {
        registrations: run.registrations,
        packages: run.packages,
        resources,
        outputs: run.outputs,
        ofType: (type) => resources.filter((r) => r.type === type),
        one(type, name) {
            const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
            assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
            return found[0];
        },
        registration(urn) {
            const r = run.registrations.find((x) => x.urn === urn);
            assert.ok(r, `no registration ${urn}`);
            return r;
        },
    };
}

/** The dev stack's config, validated as `pulumi preview` would, with overrides. */
export function devConfig(overrides: string[] = []): MigrationConfig {
    const sc = readStackConfig(PROJECT_DIR, "dev", overrides);
    return loadMigrationConfig(sc.config, { projectDir: sc.projectDir, stack: "dev" });
}
