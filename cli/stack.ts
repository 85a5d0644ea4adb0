/**
 * The stack a command takes its defaults from, read and checked as `tke2eks plan` reads it,
 * so restore-preview and preflight judge by the Restore, fixes, target versions and waivers
 * the restore stage uses.
 */
import type { MigrationConfig } from "../config/load";
import type { StackFlags } from "./stackOptions";

/**
 * The stack's config when `--stack` or `--config` is given, else undefined. The config's
 * reader and checks (zod, yaml) load only then: a scan of files without a stack needs none.
 */
export async function stackConfigFrom(flags: StackFlags): Promise<MigrationConfig | undefined> {
    if (flags.stack === undefined && (flags.config ?? []).length === 0) return undefined;
    const [{ loadMigrationConfig }, { readStackConfig }] = await Promise.all([import("../config/load.js"), import("../config/stackFiles.js")]);
    const stack = readStackConfig(flags.cwd ?? process.cwd(), flags.stack ?? "dev", flags.config ?? []);
    return loadMigrationConfig(stack.config, { projectDir: stack.projectDir, stack: stack.stack, secretKeys: stack.secretKeys });
}
