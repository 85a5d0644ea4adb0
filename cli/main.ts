/**
 * `tke2eks`: the entry point. `--version` and the error handling load nothing else; the command
 * tree (cli/program.ts, commander and the options) loads only once a command is asked for, so
 * `tke2eks --version` starts about as fast as Node itself (CONTRIBUTING.md, performance).
 */
import { UserError } from "../core/errors";
import { printable } from "../core/printable";
import { DEBUG_ENV, isEpipe } from "./output";

export async function main(argv: string[]): Promise<number> {
    try {
        if (argv[0] === "-V" || argv[0] === "--version") {
            const { renderVersion } = await import("./version.js");
            process.stdout.write(renderVersion(argv.slice(1)));
            return 0;
        }
        const { buildProgram } = await import("./program.js");
        await buildProgram().parseAsync(argv, { from: "user" });
        return typeof process.exitCode === "number" ? process.exitCode : 0;
    } catch (err) {
        // Commander is loaded by now whenever it threw: the import costs nothing then.
        const { CommanderError } = await import("commander");
        if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
        if (err instanceof UserError) {
            process.stderr.write(`tke2eks: ${printable(err.message)}\n`);
            return err.exitCode;
        }
        throw err;
    }
}

/** One line for a bug, with where to report it; the stack only when asked for. */
export function internalError(err: unknown, argv: readonly string[], env: NodeJS.ProcessEnv): string {
    const debug = argv.includes("--debug") || (env[DEBUG_ENV] ?? "") !== "";
    const first = printable((err instanceof Error ? err.message : String(err)).split("\n")[0]);
    if (debug) return `tke2eks: internal error: ${printable(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`;
    return `tke2eks: internal error: ${first} (a bug in tke2eks: please report it on the project's issue tracker with the command you ran; --debug or ${DEBUG_ENV}=1 shows the stack trace)\n`;
}

/**
 * Entry point for bin/tke2eks: sets the exit code. A reader that goes away (`| head`) ends
 * the output quietly, as it does for kubectl: the command's own status stands.
 */
export function run(): void {
    const argv = process.argv.slice(2);
    const fail = (err: unknown) => {
        process.stderr.write(internalError(err, argv, process.env));
        process.exit(3);
    };
    // A closed stdout or stderr (`| head`, `2>&1 | head`) is no error of ours.
    for (const stream of [process.stdout, process.stderr]) stream.on("error", (err: unknown) => (isEpipe(err) ? undefined : fail(err)));
    // Errors outside the command's promise (a stream's, a timer's) are bugs too: one line.
    process.on("uncaughtException", (err) => (isEpipe(err) ? undefined : fail(err)));
    let settled = false;
    // Node exits when nothing is left to wait for, even with the command's promise pending (a read
    // that never settles): that must never pass for success.
    process.once("beforeExit", () => {
        if (settled) return;
        process.stderr.write(internalError(new Error("the command stopped before it finished, waiting on nothing"), argv, process.env));
        process.exitCode = 3;
    });
    main(argv).then(
        (code) => {
            settled = true;
            process.exitCode = code;
        },
        (err: unknown) => {
            settled = true;
            if (isEpipe(err)) return;
            process.stderr.write(internalError(err, argv, process.env));
            process.exitCode = 3;
        },
    );
}
