/**
 * The stack a command takes its defaults from, read and checked as `tke2eks plan` reads it,
 * so restore-preview and preflight judge by the Restore, fixes, target versions and waivers
 * the restore stage uses.
 */
import { loadMigrationConfig, type MigrationConfig } from "../config/load";
import { readStackConfig } from "../config/stackFiles";
import type { StackFlags } from "./stackOptions";

/** The stack's config when `--stack` or `--config` is given, else undefined. */
export function stackConfigFrom(flags: StackFlags): MigrationConfig | undefined {
    if (flags.stack === undefined && (flags.config ?? []).length === 0) return undefined;
    const stack = readStackConfig(flags.cwd ?? process.cwd(), flags.stack ?? "dev", flags.config ?? []);
    return loadMigrationConfig(stack.config, { projectDir: stack.projectDir, stack: stack.stack, secretKeys: stack.secretKeys });
}
