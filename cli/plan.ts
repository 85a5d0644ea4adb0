// Implemented with the Velero components (issue 3).
import { CliError } from "./errors";

export async function runPlan(_opts: unknown): Promise<number> {
    throw new CliError("plan is not implemented yet");
}
