/**
 * The benchmarks' one way to time a command: as a whole Node process (start-up, module loading
 * and exit included), its CPU time (user + system) and peak RSS reported by the process itself
 * (scripts/usageProbe.ts), paired with its floor, a process doing the same input work and
 * nothing else, alternating A B A B so drift on a shared machine hits both alike. CPU time,
 * not wall time: on a busy machine wall time mostly measures the neighbours.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const PROBE = path.join(__dirname, "usageProbe.js");

export interface Usage {
    /** User + system CPU seconds. */
    cpu: number;
    wall: number;
    peakRss: number;
    /** With TKE2EKS_BENCH_MODULES set: the files loaded whose path contains it. */
    modules?: string[];
}

/** One run of `node ARGS` (stdout discarded); throws unless it exits with one of `codes`. */
export function runWhole(args: readonly string[], codes: readonly number[] = [0], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): Usage {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["-r", PROBE, ...args], { cwd, stdio: ["ignore", "ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1", ...env } });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status === null || !codes.includes(r.status)) throw new Error(`node ${args.join(" ")} exited ${r.status ?? r.signal}:\n${String(r.stderr).slice(-2000)}`);
    const u = JSON.parse(String(r.output[3])) as { user: number; sys: number; peakRss: number; modules?: string[] };
    return { cpu: u.user + u.sys, wall, peakRss: u.peakRss, ...(u.modules ? { modules: u.modules } : {}) };
}

export interface Pair {
    a: Usage;
    floor: Usage;
    /** Median of the runs' CPU ratios A / floor, pair by pair. */
    ratio: number;
}

const median = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `runs` pairs after one unmeasured warm-up of each; medians of CPU and wall, the highest peak. */
export function measurePair(a: () => Usage, floor: () => Usage, runs: number): Pair {
    a();
    floor();
    const as: Usage[] = [];
    const fs: Usage[] = [];
    for (let i = 0; i < runs; i++) {
        as.push(a());
        fs.push(floor());
    }
    const summary = (us: Usage[]): Usage => ({ cpu: median(us.map((u) => u.cpu)), wall: median(us.map((u) => u.wall)), peakRss: Math.max(...us.map((u) => u.peakRss)) });
    return { a: summary(as), floor: summary(fs), ratio: median(as.map((u, i) => u.cpu / fs[i].cpu)) };
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** One line per side and the ratio against its goal; true when within it. */
export function report(lines: string[], label: string, floorLabel: string, p: Pair, goal: number): boolean {
    const w = Math.max(label.length, floorLabel.length);
    lines.push(`  ${label.padEnd(w)}  CPU ${p.a.cpu.toFixed(2)} s  wall ${p.a.wall.toFixed(2)} s  peak RSS ${mib(p.a.peakRss)}`);
    lines.push(`  ${floorLabel.padEnd(w)}  CPU ${p.floor.cpu.toFixed(2)} s  wall ${p.floor.wall.toFixed(2)} s  peak RSS ${mib(p.floor.peakRss)}`);
    lines.push(`  CPU ratio ${p.ratio.toFixed(2)} × (goal ≤ ${goal})`);
    return p.ratio <= goal;
}
