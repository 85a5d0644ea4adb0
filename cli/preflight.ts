// Implemented with the preflight scanner (issue 5).
import { CliError } from "./errors";

export async function runPreflight(_paths: string[], _opts: unknown): Promise<number> {
    throw new CliError("preflight is not implemented yet");
}
