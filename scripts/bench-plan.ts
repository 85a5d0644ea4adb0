/**
 * `npm run bench:plan`: the built CLI's CPU time, as whole processes (scripts/wholeProcess.ts),
 * against honest floors, alternating runs, medians:
 * - `tke2eks plan --stack dev` against loading the SDK files that very plan loads (listed by a
 *   first run, then loaded alone by scripts/bench-floor.ts): goal ≤ 1.4 ×;
 * - `tke2eks --version`, and `tke2eks await` with a kubeconfig that does not exist (an error
 *   before any cluster access), against a Node process that does nothing: goal ≤ 1.3 ×.
 * Exits 1 when a goal is missed.
 *
 *   npm run bench:plan [-- --runs 5 --stack dev]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { measurePair, report, runWhole } from "./wholeProcess";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "tke2eks");
const FLOOR = path.join(__dirname, "bench-floor.js");
const PLAN_GOAL = 1.4;
const STARTUP_GOAL = 1.3;

function main(): number {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, stack: { type: "string", default: "dev" } } });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: a whole number ≥ 1`);
    if (!fs.existsSync(path.join(ROOT, "dist", "cli", "main.js"))) throw new Error("dist/ is missing: run `npx tsc -b` (or npm ci) first");

    const plan = [BIN, "plan", "--stack", values.stack, "--cwd", ROOT];
    const sdks = runWhole(plan, [0], ROOT, { TKE2EKS_BENCH_MODULES: `${path.sep}node_modules${path.sep}@pulumi${path.sep}` }).modules ?? [];
    const list = path.join(ROOT, ".bench", "plan-sdk-files.txt");
    fs.mkdirSync(path.dirname(list), { recursive: true });
    fs.writeFileSync(list, sdks.join("\n") + "\n");

    const lines = ["", `tke2eks against its floors (whole processes, median of ${runs}; Node ${process.version})`, ""];
    let ok = true;
    lines.push(`plan --stack ${values.stack} (${sdks.length} files of the Pulumi SDKs)`);
    ok = report(lines, `tke2eks plan --stack ${values.stack}`, "loading those SDK files", measurePair(() => runWhole(plan, [0], ROOT), () => runWhole([FLOOR, "require", list]), runs), PLAN_GOAL) && ok;
    const nothing = () => runWhole(["-e", "0"]);
    lines.push("--version");
    ok = report(lines, "tke2eks --version", "node (nothing)", measurePair(() => runWhole([BIN, "--version"]), nothing, runs), STARTUP_GOAL) && ok;
    lines.push("an error before any cluster access");
    const missing = path.join(ROOT, ".bench", "no-such-kubeconfig");
    ok = report(lines, "tke2eks await backup x --kubeconfig MISSING", "node (nothing)", measurePair(() => runWhole([BIN, "await", "backup", "x", "--kubeconfig", missing], [2]), nothing, runs), STARTUP_GOAL) && ok;
    lines.push(ok ? "goals met" : "GOALS MISSED", "");
    process.stdout.write(lines.join("\n"));
    return ok ? 0 : 1;
}

try {
    process.exitCode = main();
} catch (err) {
    process.stderr.write(`bench-plan: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
}
