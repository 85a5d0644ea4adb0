/**
 * The Pulumi program: validated stack config in, the Migration component with the steps of
 * its stage out, and the stack outputs a platform engineer looks at. index.ts runs it under
 * the Pulumi CLI, `tke2eks plan` runs it in-process (offline).
 */
import * as pulumi from "@pulumi/pulumi";
import { loadMigrationConfig, type MigrationConfig } from "../config";
import { passReaches } from "../config/stages";
import { Migration } from "../components/migration";
import { restoreFixes, type Fixes } from "../restore/stageFixes";

/**
 * Whether the engine passed a config key as a secret: @pulumi/pulumi's runtime/config.ts exports
 * isConfigSecret but marks it @internal, so its typings leave it out. The one place the program
 * uses it; test/plan/sdkInternals.spec.ts fails when the SDK drops or changes it. Were it gone,
 * no key would count as secret and secrets would print in clear: refuse instead.
 */
function isConfigSecret(key: string): boolean {
    const fn = (pulumi.runtime as { isConfigSecret?: unknown }).isConfigSecret;
    if (typeof fn !== "function") throw new Error("@pulumi/pulumi no longer exports runtime.isConfigSecret: tke2eks cannot tell secret config keys");
    return (fn as (k: string) => boolean)(key) === true;
}

/** The stack config the engine passed in, validated; a clean error (no stack trace) if not. */
export function readMigrationConfig(projectDir: string): MigrationConfig {
    const raw = pulumi.runtime.allConfig();
    const secretKeys = Object.keys(raw).filter(isConfigSecret);
    // A ConfigError is a UserError: `pulumi preview` prints just its message (core/errors.ts).
    return loadMigrationConfig(raw, { projectDir, secretKeys, stack: pulumi.getStack() });
}

export interface DeclareOptions {
    /** `tke2eks plan`: nothing may reach a cluster (fixes from a live source stay unknown). */
    offline?: boolean;
}

/** The restore modifiers, when the stage restores; computed before anything is declared. */
async function fixesFor(config: MigrationConfig, offline: boolean): Promise<Fixes | undefined> {
    if (!passReaches(config.stage, "restore")) return undefined;
    return restoreFixes(config, {
        offline,
        // Loaded only when used: the Kubernetes client is heavy and plan never needs it.
        readCluster: (content, context, namespaces) => {
            const load = import("../preflight/cluster.js");
            return (async function* () {
                const { readCluster } = await load;
                yield* readCluster({ content, context, namespaces });
            })();
        },
    });
}

/** Declares the migration for a validated config; resolves to the stack outputs. */
export async function declareMigration(config: MigrationConfig, opts: DeclareOptions = {}) {
    const fixes = await fixesFor(config, opts.offline === true);
    const migration = new Migration("migration", { config, fixes });
    return {
        stage: config.stage,
        ...(config.run === undefined ? {} : { run: config.run }),
        bucket: migration.store.bucket,
        region: migration.store.region,
        prefix: migration.store.prefix,
        s3Url: migration.store.s3Url,
        clusters: migration.summary(),
        // backup, restore and verification, as far as the stage goes.
        ...migration.steps,
    };
}

/** The program as the Pulumi CLI runs it: config from the engine, then the migration. */
export function migrationProgram(projectDir: string) {
    return declareMigration(readMigrationConfig(projectDir));
}
