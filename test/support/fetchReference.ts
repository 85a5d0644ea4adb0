/**
 * Mocha global setup (.mocharc.json `require`): a fresh clone's `npm test` fetches the pinned
 * upstream files the tests validate against when the reference folder lacks them, by running
 * scripts/fetch-reference.sh (its file list and SHA-256 checks; TKE2EKS_REFERENCE_MIRROR points
 * it at a mirror). A folder that already holds every file is left as it is, with no network.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { REFERENCE_DIR } from "./reference";

const SCRIPT = path.join(__dirname, "..", "..", "scripts", "fetch-reference.sh");

/**
 * Fills `dir` with the reference files unless it holds them all; resolves with what the script
 * said (empty when nothing was fetched), rejects with its own message when it cannot.
 */
export function ensureReference(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    // Async: a test may serve the mirror from this process.
    return new Promise((resolve, reject) => {
        execFile("bash", [SCRIPT, "--if-missing", dir], { env, encoding: "utf8" }, (err, stdout, stderr) => {
            if (!err) return resolve(stdout);
            // curl repeats its line on each retry: once is enough.
            const why = [...new Set(stderr.trim().split("\n"))].join("; ") || err.message;
            reject(new Error(`the pinned reference files are missing from ${dir} and could not be fetched: ${why}. Set TKE2EKS_REFERENCE to a folder that holds them, or TKE2EKS_REFERENCE_MIRROR to a copy.`));
        });
    });
}

/** One line and exit 1 when the files cannot be had: a stack trace would only hide why. */
export async function mochaGlobalSetup(): Promise<void> {
    try {
        process.stderr.write(await ensureReference(REFERENCE_DIR));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(1);
    }
}
