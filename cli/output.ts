/**
 * Writing a command's output: large reports piece by piece, a reader that goes away
 * (`tke2eks preflight | head`) ending the output quietly, and the project's version.
 */
import { once } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../core/errors";

/** Shows the stack trace of an unexpected error (also: --debug). */
export const DEBUG_ENV = "TKE2EKS_DEBUG";

export function isEpipe(err: unknown): boolean {
    return typeof err === "object" && err !== null && (err as NodeJS.ErrnoException).code === "EPIPE";
}

/**
 * Writes the chunks, waiting when a slow reader fills the pipe; false when the reader went
 * away (EPIPE), so the caller keeps its exit status and prints nothing about it.
 */
export async function writeAll(out: NodeJS.WritableStream, chunks: Iterable<string>): Promise<boolean> {
    const stream = out as NodeJS.WritableStream & { destroyed?: boolean };
    let gone = false;
    const onError = (err: unknown) => {
        if (isEpipe(err)) gone = true;
    };
    stream.on("error", onError);
    try {
        let batch = "";
        const send = async () => {
            if (!stream.write(batch) && !gone && !stream.destroyed) await Promise.race([once(stream, "drain"), once(stream, "close")]);
            batch = "";
        };
        for (const chunk of chunks) {
            if (gone || stream.destroyed) return false;
            batch += chunk;
            if (batch.length >= 1 << 16) await send();
        }
        if (batch) await send();
        return !gone;
    } catch (err) {
        if (isEpipe(err)) return false;
        throw err;
    } finally {
        stream.removeListener("error", onError);
    }
}

/** The project's version (works from the sources and from dist/). */
export function packageVersion(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version ?? "0.0.0";
    }
    return "0.0.0";
}

export const COLOR_CHOICES = ["auto", "always", "never"] as const;
export type ColorChoice = (typeof COLOR_CHOICES)[number];

/**
 * The one colour rule of every command: --color always or never decides; on auto, NO_COLOR set
 * and non-empty means none (no-color.org: an empty value does not count), then FORCE_COLOR set
 * and not "0" means colour, else colour on a terminal only.
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, choice: ColorChoice = colorChoice): boolean {
    if (choice !== "auto") return choice === "always";
    if ((env.NO_COLOR ?? "") !== "") return false;
    if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
    return stream.isTTY === true;
}

/** Set once from the global --color flag, before the command runs. */
let colorChoice: ColorChoice = "auto";
export function setColorChoice(choice: ColorChoice): void {
    colorChoice = choice;
}

/** A flag that takes one of a few words; `fallback` when it was not given. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
    const v = value ?? fallback;
    if (!(allowed as readonly string[]).includes(v)) throw new UserError(`${flag} "${v}": use one of ${allowed.join(", ")}`);
    return v as T;
}

/**
 * The `-o/--output` value, checked against the formats the command prints (one vocabulary:
 * table | json | yaml, plus sarif | junit where they apply).
 */
export function outputFormat<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
    return oneOf("-o/--output", value, allowed, fallback);
}
