/**
 * Runs `tke2eks plan` in-process (the command's own runPlan, with the CLI's defaults and its
 * handling of UserError) and captures what it prints.
 */
import * as path from "node:path";
import { runPlan, type PlanCliOptions } from "../../cli/plan";
import { UserError } from "../../core/errors";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");
export const TEST_STACKS = path.resolve(__dirname, "..", "stacks");

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

export async function plan(opts: Partial<PlanCliOptions>): Promise<CliResult> {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
        const code = await runPlan({ stack: "dev", config: [], format: "text", cwd: PROJECT_DIR, ...opts });
        return { code, stdout: out.join(""), stderr: "" };
    } catch (err) {
        // As cli/main.ts reports it.
        if (err instanceof UserError) return { code: err.exitCode, stdout: out.join(""), stderr: `tke2eks: ${err.message}\n` };
        throw err;
    } finally {
        process.stdout.write = write;
    }
}
