/**
 * `--stack`, `--config` and `--cwd`, declared once for the commands that take their defaults
 * from a stack (restore-preview, preflight). Light on purpose: cli/main.ts loads it for every
 * command, and cli/stack.ts reads the stack only when a command runs.
 */
import type { Command } from "commander";

export interface StackFlags {
    stack?: string;
    config?: string[];
    /** The project directory holding Pulumi.yaml. */
    cwd?: string;
}

/** A repeatable option's values, in the order given. */
export function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}

/** Adds the stack options to a command; `what` says what the command takes from the stack. */
export function withStackOptions(cmd: Command, what: string): Command {
    return cmd
        .option("--stack <name>", `take ${what} from Pulumi.<stack>.yaml`)
        .option("--config <KEY=VALUE>", "override one stack config key for this run (repeatable; without --stack, the dev stack's)", collect, [])
        // ".": the help shows no caller's absolute path; resolved against the working directory.
        .option("--cwd <dir>", "project directory holding Pulumi.yaml", ".");
}
