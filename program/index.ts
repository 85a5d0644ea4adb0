/**
 * The Pulumi program: validated stack config in, the Migration component out, and the
 * stack outputs a platform engineer looks at. index.ts runs it under the Pulumi CLI,
 * `tke2eks plan` runs it in-process.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadMigrationConfig, type MigrationConfig } from "../config";
import { Migration } from "../components/migration";

/** Exported by the SDK's runtime but left out of its typings (marked internal). */
const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };

/** The stack config the engine passed in, validated; a clean error (no stack trace) if not. */
export function readMigrationConfig(projectDir: string): MigrationConfig {
    const raw = pulumi.runtime.allConfig();
    const secretKeys = Object.keys(raw).filter((k) => runtime.isConfigSecret?.(k) ?? false);
    try {
        return loadMigrationConfig(raw, { projectDir, secretKeys, stack: pulumi.getStack() });
    } catch (err) {
        // RunError makes `pulumi preview` print just the message.
        if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}

/** Declares the migration for a validated config; the returned object is the stack outputs. */
export function declareMigration(config: MigrationConfig) {
    const migration = new Migration("migration", { config });
    return {
        stage: config.stage,
        bucket: migration.store.bucket,
        region: migration.store.region,
        prefix: migration.store.prefix,
        s3Url: migration.store.s3Url,
        clusters: migration.summary(),
    };
}

/** The program as the Pulumi CLI runs it: config from the engine, then the migration. */
export function migrationProgram(projectDir: string) {
    return declareMigration(readMigrationConfig(projectDir));
}
