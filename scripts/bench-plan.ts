/**
 * Benchmark of `tke2eks plan` as users run it (the built CLI in a fresh Node process, so
 * module loading counts), against the goal of 3 s on the dev stack. Prints each run,
 * the median, and for scale the cost of loading @pulumi/pulumi alone; exits 1 when the
 * median misses the goal or a run fails. Results also go to .bench/plan.json.
 *
 *   npm run bench:plan [-- --runs 7 --stack dev --goal-ms 3000]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "tke2eks");

function timeMs(args: string[]): { ms: number; status: number | null; stderr: string } {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, status: r.status, stderr: r.stderr };
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function main(): number {
    const { values } = parseArgs({
        options: {
            runs: { type: "string", default: "5" },
            stack: { type: "string", default: "dev" },
            "goal-ms": { type: "string", default: "3000" },
        },
    });
    const runs = Number(values.runs);
    const goal = Number(values["goal-ms"]);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: a whole number ≥ 1`);
    if (!(goal > 0)) throw new Error(`--goal-ms ${values["goal-ms"]}: a number of milliseconds > 0`);
    if (!fs.existsSync(path.join(ROOT, "dist", "cli", "main.js"))) throw new Error("dist/ is missing: run `npx tsc -b` (or npm ci) first");

    const plan = [BIN, "plan", "--stack", values.stack, "--cwd", ROOT];
    // One unmeasured run warms the file-system cache, as a second invocation would be.
    const warm = timeMs(plan);
    if (warm.status !== 0) throw new Error(`tke2eks plan --stack ${values.stack} exited ${warm.status}:\n${warm.stderr}`);

    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const r = timeMs(plan);
        if (r.status !== 0) throw new Error(`run ${i + 1} exited ${r.status}:\n${r.stderr}`);
        times.push(r.ms);
        console.log(`run ${i + 1}: ${r.ms.toFixed(0)} ms`);
    }
    const pulumiAlone = median([0, 1, 2].map(() => timeMs(["-e", "require('@pulumi/pulumi')"]).ms));

    const result = {
        command: `tke2eks ${plan.slice(1, 4).join(" ")}`,
        node: process.version,
        runs: times.map((t) => Math.round(t)),
        medianMs: Math.round(median(times)),
        minMs: Math.round(Math.min(...times)),
        maxMs: Math.round(Math.max(...times)),
        requirePulumiMs: Math.round(pulumiAlone),
        goalMs: goal,
    };
    fs.mkdirSync(path.join(ROOT, ".bench"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, ".bench", "plan.json"), JSON.stringify(result, null, 2) + "\n");

    const ok = result.medianMs <= goal;
    console.log(`median ${result.medianMs} ms (min ${result.minMs}, max ${result.maxMs}); node -e "require('@pulumi/pulumi')" alone: ${result.requirePulumiMs} ms`);
    console.log(ok ? `within the ${goal} ms goal` : `over the ${goal} ms goal`);
    return ok ? 0 : 1;
}

try {
    process.exitCode = main();
} catch (err) {
    console.error(`bench-plan: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
}
