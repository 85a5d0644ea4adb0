/**
 * `npm run bench` (second part): restore-preview against a baseline that only gunzips,
 * untars and JSON-parses the same backup tarball.
 *
 * Backs up preflight's generated busy cluster (scripts/bench-preflight.ts), with the hash
 * labels controllers put on what they create (a live ReplicaSet and its Pods always carry
 * pod-template-hash, StatefulSet and DaemonSet Pods controller-revision-hash), into tarballs laid
 * out as Velero 1.18 writes them (each object under resources/<group-resource>/namespaces/…
 * and again under <version>-preferredversion/), into .bench/ (git-ignored, reused). For two
 * sizes (10,000 and 100,000 objects; --sizes) it runs, alternating, the built CLI
 * (`tke2eks restore-preview --backup FILE --format json`) and its floor (scripts/bench-floor.ts:
 * gunzip, untar and JSON.parse every object, nothing else), each a whole process
 * (scripts/wholeProcess.ts), and prints their CPU time (all threads, gunzip's included), its
 * ratio and the peak RSS. Goals: preview ≤ 2 × the floor's CPU time; peak memory flat across sizes.
 *
 *   npm run bench:restore-preview [-- --runs 3 --sizes 10000,100000]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { pack } from "tar-stream";
import { groupResourceOf } from "../modifiers/groupResources";
import { cluster, rng } from "./bench-preflight";
import { measurePair, mib, report, runWhole } from "./wholeProcess";

const SIZES = [10_000, 100_000];
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

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "tke2eks");
const FLOOR = path.join(__dirname, "bench-floor.js");

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, sizes: { type: "string", default: SIZES.join(",") } } });
    const runs = Number(values.runs);
    const sizes = values.sizes.split(",").map(Number);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: a whole number ≥ 1`);
    if (sizes.length !== 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`--sizes ${values.sizes}: two object counts, e.g. 10000,100000`);
    fs.mkdirSync(BENCH_DIR, { recursive: true });
    const lines = ["", `restore-preview against gunzip + untar + JSON.parse (Velero backup tarball; whole processes, median of ${runs}; Node ${process.version})`, ""];
    let ok = true;
    const peaks: number[] = [];
    for (const size of sizes) {
        const file = path.join(BENCH_DIR, `backup-${size}-v${GENERATOR_VERSION}.tar.gz`);
        if (!fs.existsSync(file)) {
            process.stderr.write(`generating ${path.relative(process.cwd(), file)} (${size.toLocaleString("en-US")} objects)…\n`);
            await generate(file, size);
        }
        process.stderr.write(`measuring restore-preview on ${size.toLocaleString("en-US")} objects…\n`);
        // Exit 1 is the preview's verdict (something refused), not a failure.
        const p = measurePair(() => runWhole([BIN, "restore-preview", "--backup", file, "--format", "json"], [0, 1]), () => runWhole([FLOOR, "backup", file]), runs);
        lines.push(`${size.toLocaleString("en-US")} objects, ${mib(fs.statSync(file).size)} gzipped`);
        ok = report(lines, "tke2eks restore-preview --format json", "gunzip + untar + JSON.parse", p, GOAL_RATIO) && ok;
        peaks.push(p.a.peakRss);
    }
    const growth = peaks[1] / peaks[0];
    ok &&= growth <= FLAT_TOLERANCE;
    lines.push(`peak RSS of the preview, ${sizes[1].toLocaleString("en-US")} vs ${sizes[0].toLocaleString("en-US")} objects: ${growth.toFixed(2)} × (flat: ≤ ${FLAT_TOLERANCE})`);
    lines.push(ok ? "goals met" : "GOALS MISSED", "");
    process.stdout.write(lines.join("\n"));
    return ok ? 0 : 1;
}

main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
        process.stderr.write(`bench-restore-preview: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
    },
);
