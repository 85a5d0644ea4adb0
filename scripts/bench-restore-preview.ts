/**
 * `npm run bench` (second part): restore-preview against a baseline that only gunzips,
 * untars and JSON-parses the same backup tarball.
 *
 * Backs up preflight's generated busy cluster (scripts/bench-preflight.ts), with the hash
 * labels controllers put on what they create (a live ReplicaSet and its Pods always carry
 * pod-template-hash, StatefulSet and DaemonSet Pods controller-revision-hash), into tarballs laid
 * out as Velero 1.18 writes them (each object under resources/<group-resource>/namespaces/…
 * and again under <version>-preferredversion/), into .bench/ (git-ignored, reused). For two
 * sizes it runs, each in a fresh process, the baseline (the backup reader: gunzip, untar,
 * JSON.parse, objects discarded) and the preview as the command runs it (pipeline, spool,
 * JSON report written to nowhere), and prints objects/s, CPU time and peak RSS. Goals:
 * preview ≤ 2 × baseline; peak memory flat across sizes. The ratio is judged on CPU time
 * (all threads, gunzip's included), the best of three alternating runs of each: on a shared
 * machine one run's wall time mostly measures the neighbours; both are printed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { pack } from "tar-stream";
import { groupResourceOf } from "../modifiers/groupResources";
import { readBackup } from "../preflight/backup";
import { engineOptions } from "../rules/engine";
import { ownedObjectsSelector } from "../restore/ownership";
import { renderPreviewJson } from "../restore/format/json";
import { ruleFixes, veleroApplier } from "../restore/fixes";
import { RestorePipeline } from "../restore/pipeline";
import { previewBackup } from "../restore/preview";
import { cluster, rng } from "./bench-preflight";

const SIZES = [100_000, 200_000];
const GOAL_RATIO = 2;
const FLAT_TOLERANCE = 1.25;
const GENERATOR_VERSION = 2;
const BENCH_DIR = path.resolve(process.cwd(), ".bench");

const CORE: Record<string, string> = {
    Namespace: "namespaces",
    ConfigMap: "configmaps",
    Secret: "secrets",
    ServiceAccount: "serviceaccounts",
    PersistentVolumeClaim: "persistentvolumeclaims",
    HorizontalPodAutoscaler: "horizontalpodautoscalers.autoscaling",
};

type Obj = Record<string, unknown>;

function entryPath(obj: Obj, version?: string): string {
    const gr = CORE[String(obj.kind)] ?? groupResourceOf(String(obj.apiVersion), String(obj.kind));
    if (!gr) throw new Error(`no group-resource for ${String(obj.kind)}`);
    const meta = obj.metadata as { name: string; namespace?: string };
    const scope = meta.namespace ? `namespaces/${meta.namespace}` : "cluster";
    return ["resources", gr, version, scope, `${meta.name}.json`].filter((s) => s !== undefined).join("/");
}

const HASH_LABEL: Record<string, string> = { Deployment: "pod-template-hash", ReplicaSet: "pod-template-hash", StatefulSet: "controller-revision-hash", DaemonSet: "controller-revision-hash" };

/** The hash label the owning controller stamps (preflight's dump has owners but not the labels). */
function withControllerLabel(obj: Obj): Obj {
    const meta = obj.metadata as { ownerReferences?: { kind: string; name: string }[]; labels?: Record<string, string> };
    const owner = meta.ownerReferences?.[0];
    const label = owner && HASH_LABEL[owner.kind];
    if (!owner || !label) return obj;
    const value = owner.kind === "ReplicaSet" ? owner.name.slice(owner.name.lastIndexOf("-") + 1) : `${owner.name}-5d9c7b8f6`;
    return { ...obj, metadata: { ...meta, labels: { ...meta.labels, [label]: value } } };
}

async function generate(file: string, count: number): Promise<void> {
    const tar = pack();
    const done = pipeline(tar, createGzip(), fs.createWriteStream(file + ".tmp"));
    const add = (name: string, body: string) => new Promise<void>((resolve, reject) => tar.entry({ name }, body, (err) => (err ? reject(err) : resolve())));
    await add("metadata/version", "1.1.0\n");
    for (const generated of cluster(rng(count), count)) {
        const obj = withControllerLabel(generated);
        const body = JSON.stringify(obj);
        const version = String(obj.apiVersion).split("/").pop() ?? "v1";
        await add(entryPath(obj), body);
        await add(entryPath(obj, `${version}-preferredversion`), body);
    }
    tar.finalize();
    await done;
    fs.renameSync(file + ".tmp", file);
}

interface Result {
    objects: number;
    seconds: number;
    /** User + system CPU seconds of the process. */
    cpu: number;
    peakRss: number;
    summary?: Record<string, number>;
}

async function child(mode: string, file: string): Promise<void> {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    let objects = 0;
    let summary: Record<string, number> | undefined;
    if (mode === "parse") {
        for await (const e of readBackup(file)) if ("item" in e) objects++;
    } else {
        const engine = engineOptions("eks");
        const restore = new RestorePipeline({
            spec: { backupName: "bench", labelSelector: ownedObjectsSelector(), restorePVs: true },
            restoreName: "bench",
            veleroVersion: "v1.18.2",
            engine,
            fixes: ruleFixes(engine, "v1.18.2"),
            applier: veleroApplier("v1.18.2"),
        });
        const report = await previewBackup(readBackup(file), restore, { backup: "bench", veleroVersion: "v1.18.2" });
        for (const chunk of renderPreviewJson(report)) void chunk;
        report.objects.close();
        objects = report.summary.objects;
        summary = report.summary;
    }
    const usage = process.cpuUsage(cpuStart);
    const result: Result = { objects, seconds: (performance.now() - start) / 1000, cpu: (usage.user + usage.system) / 1e6, peakRss: process.resourceUsage().maxRSS * 1024, summary };
    process.stdout.write(JSON.stringify(result));
}

const ROUNDS = 3;

function measureOnce(mode: string, file: string): Result {
    const run = spawnSync(process.execPath, [__filename, "--child", mode, file], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`${mode} run failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Result;
}

/** Baseline and preview, alternating; the fastest run of each, and the highest peak. */
function measure(file: string): { parse: Result; preview: Result } {
    const runs: Record<"parse" | "preview", Result[]> = { parse: [], preview: [] };
    for (let i = 0; i < ROUNDS; i++) for (const mode of ["parse", "preview"] as const) runs[mode].push(measureOnce(mode, file));
    const best = (rs: Result[]): Result => ({
        ...rs.reduce((a, b) => (b.cpu < a.cpu ? b : a)),
        seconds: Math.min(...rs.map((r) => r.seconds)),
        peakRss: Math.max(...rs.map((r) => r.peakRss)),
    });
    return { parse: best(runs.parse), preview: best(runs.preview) };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rate = (r: Result) => `${Math.round(r.objects / r.seconds).toLocaleString("en-US")} objects/s`;

async function main(): Promise<number> {
    fs.mkdirSync(BENCH_DIR, { recursive: true });
    const rows: { size: number; bytes: number; parse: Result; preview: Result }[] = [];
    for (const size of SIZES) {
        const file = path.join(BENCH_DIR, `backup-${size}-v${GENERATOR_VERSION}.tar.gz`);
        if (!fs.existsSync(file)) {
            process.stderr.write(`generating ${path.relative(process.cwd(), file)} (${size.toLocaleString("en-US")} objects)…\n`);
            await generate(file, size);
        }
        process.stderr.write(`measuring restore-preview on ${size.toLocaleString("en-US")} objects…\n`);
        rows.push({ size, bytes: fs.statSync(file).size, ...measure(file) });
    }
    const lines = ["", `restore-preview benchmark (Velero backup tarball, Node ${process.version})`, ""];
    let ok = true;
    for (const { size, bytes, parse, preview } of rows) {
        const ratio = preview.cpu / parse.cpu;
        ok &&= ratio <= GOAL_RATIO && preview.objects === size && parse.objects === size;
        const s = preview.summary ?? {};
        lines.push(`${size.toLocaleString("en-US")} objects, ${mb(bytes)} gzipped: ${s.restored} restored, ${s.fixed} fixed, ${s.skipped} skipped, ${s.refused} refused`);
        lines.push(`  gunzip+untar+JSON.parse  ${parse.seconds.toFixed(2)} s (CPU ${parse.cpu.toFixed(2)} s)  ${rate(parse)}  peak RSS ${mb(parse.peakRss)}`);
        lines.push(`  restore-preview          ${preview.seconds.toFixed(2)} s (CPU ${preview.cpu.toFixed(2)} s)  ${rate(preview)}  peak RSS ${mb(preview.peakRss)}`);
        lines.push(`  preview / baseline, CPU time: ${ratio.toFixed(2)} × (goal ≤ ${GOAL_RATIO}); wall time: ${(preview.seconds / parse.seconds).toFixed(2)} ×`);
    }
    const [small, large] = rows;
    const growth = large.preview.peakRss / small.preview.peakRss;
    ok &&= growth <= FLAT_TOLERANCE;
    lines.push(`peak RSS of the preview, ${large.size.toLocaleString("en-US")} vs ${small.size.toLocaleString("en-US")} objects: ${growth.toFixed(2)} × (flat: ≤ ${FLAT_TOLERANCE})`);
    lines.push(ok ? "goals met" : "GOALS MISSED", "");
    process.stdout.write(lines.join("\n"));
    return ok ? 0 : 1;
}

if (process.argv[2] === "--child") {
    child(process.argv[3], process.argv[4]).catch((err: unknown) => {
        process.stderr.write(String(err instanceof Error ? err.stack : err));
        process.exitCode = 1;
    });
} else {
    main().then(
        (code) => (process.exitCode = code),
        (err: unknown) => {
            process.stderr.write(String(err instanceof Error ? err.stack : err));
            process.exitCode = 1;
        },
    );
}
