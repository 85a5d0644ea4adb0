/**
 * Backup tarballs built to hurt, read by `preflight --backup`, `restore-preview` and `verify --backup` as child
 * processes whose peak memory is measured: an entry that inflates far beyond any Kubernetes
 * object is refused from its header, naming the entry and the cap ($TKE2EKS_MAX_ENTRY_MB);
 * whatever follows the end-of-archive marker is never read.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { runMeasured } from "../support/peakRss";
import { writeBackup } from "./backupTarball";
import { S3_KEY, startS3, type TestS3 } from "../support/s3Server";

const BIN = path.join(__dirname, "..", "..", "bin", "tke2eks");
const POD = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "shop" }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } };
const POD_ENTRY = "resources/pods/namespaces/shop/web.json";
/** The bomb's entry: 200 MiB of zeros, about 200 KiB gzipped. */
const BOMB_MB = 200;
/** Room above the peak of the same command on a tiny input (measured first): far below the bombs' sizes. */
const ROOM_MB = 64;
let PEAK_MB = NaN;

before(async function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-baseline-"));
    try {
        const file = path.join(dir, "pod.yaml");
        fs.writeFileSync(file, JSON.stringify(POD));
        PEAK_MB = (await runMeasured(["preflight", file, "--format", "json", "--no-progress"])).peakMb + ROOM_MB;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

async function bomb(file: string): Promise<void> {
    const tar = pack();
    const zeros = Buffer.alloc(2 ** 20);
    const writing = pipeline(tar, createGzip({ level: 1 }), fs.createWriteStream(file));
    tar.entry({ name: POD_ENTRY.replace("web", "aaa"), size: 2 }, "{}");
    const entry = tar.entry({ name: POD_ENTRY, size: BOMB_MB * 2 ** 20 });
    for (let i = 0; i < BOMB_MB; i++) if (!entry.write(zeros)) await once(entry, "drain");
    entry.end(Buffer.alloc(0));
    tar.finalize();
    await writing;
}

/** A one-Pod backup whose end-of-archive marker is followed by 4 MiB of zeros and then a block that is no tar header. */
async function trailed(file: string): Promise<void> {
    const tar = pack();
    const chunks: Buffer[] = [];
    tar.on("data", (c) => chunks.push(c as Buffer));
    const done = once(tar, "end");
    tar.entry({ name: POD_ENTRY }, JSON.stringify(POD));
    tar.finalize();
    await done;
    fs.writeFileSync(file, gzipSync(Buffer.concat([...chunks, Buffer.alloc(4 * 2 ** 20), Buffer.alloc(512, "x")])));
}

describe("hostile backup tarballs", function () {
    this.timeout(30_000);
    let tmp: string;
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-backup-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it(`an entry inflating to ${BOMB_MB} MiB: exit 2 naming the entry and the cap, memory bounded (preflight and restore-preview)`, async () => {
        const file = path.join(tmp, "bomb.tar.gz");
        await bomb(file);
        for (const args of [["preflight", "--backup", file, "--format", "json", "--no-progress"], ["restore-preview", "--backup", file, "--format", "json"]]) {
            const r = await runMeasured(args, { TKE2EKS_MAX_ENTRY_MB: "16" });
            assert.equal(r.code, 2, `${args[0]}: ${r.err}`);
            assert.equal(r.err.trim(), `tke2eks: ${file}: entry ${POD_ENTRY} is larger than 16 MiB (TKE2EKS_MAX_ENTRY_MB; a Kubernetes object is at most about 1.5 MiB): refused as not a Kubernetes object or list`);
            assert.ok(r.peakMb < PEAK_MB, `${args[0]}: peak RSS ${Math.round(r.peakMb)} MiB, allowed ${PEAK_MB}`);
        }
    });

    it("a bad cap is refused by name", async () => {
        const r = await runMeasured(["preflight", "--backup", path.join(tmp, "none.tar.gz"), "--no-progress"], { TKE2EKS_MAX_ENTRY_MB: "lots" });
        assert.equal(r.code, 2);
        assert.match(r.err.trim(), /^tke2eks: TKE2EKS_MAX_ENTRY_MB="lots": must be a whole number of MiB from 1 to 999999 \(default 32\)$/);
    });

    it("the reader stops at the end-of-archive marker: what follows it is never read", async () => {
        const file = path.join(tmp, "trailed.tar.gz");
        await trailed(file);
        const r = await runMeasured(["preflight", "--backup", file, "--format", "json", "--no-progress"]);
        assert.equal(r.code, 0, r.err);
        assert.equal((JSON.parse(r.out) as { summary: { objects: number } }).summary.objects, 1);
    });
});

describe("hostile backup tarballs read from the bucket (s3rver)", function () {
    this.timeout(60_000);
    let tmp: string;
    let s3: TestS3;
    const BUCKET = "shop-migration-1250000000";
    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-s3-"));
        s3 = await startS3();
        const file = path.join(tmp, "bomb.tar.gz");
        await bomb(file);
        const trailedFile = path.join(tmp, "trailed.tar.gz");
        await trailed(trailedFile);
        await s3.put(BUCKET, { "velero/backups/bomb/bomb.tar.gz": fs.readFileSync(file), "velero/backups/trailed/trailed.tar.gz": fs.readFileSync(trailedFile) });
    });
    after(async () => {
        await s3.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });
    const env = () => ({ AWS_ACCESS_KEY_ID: S3_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_KEY.secretAccessKey, TKE2EKS_MAX_ENTRY_MB: "16" });
    const flags = () => ["--s3-endpoint", s3.endpoint, "--s3-region", "ap-guangzhou", "--s3-force-path-style"];

    it(`an entry inflating to ${BOMB_MB} MiB through s3://: exit 2 naming the object, the entry and the cap, memory bounded (preflight and restore-preview)`, async () => {
        const url = `s3://${BUCKET}/velero/backups/bomb/bomb.tar.gz`;
        for (const args of [["preflight", "--backup", url, ...flags(), "--format", "json", "--no-progress"], ["restore-preview", "--backup", url, ...flags(), "--format", "json"]]) {
            const r = await runMeasured(args, env());
            assert.equal(r.code, 2, `${args[0]}: ${r.err}`);
            assert.equal(r.err.trim(), `tke2eks: ${url}: entry ${POD_ENTRY} is larger than 16 MiB (TKE2EKS_MAX_ENTRY_MB; a Kubernetes object is at most about 1.5 MiB): refused as not a Kubernetes object or list`);
            // The S3 client loads on top of the manifest scan's baseline: room for it, far below the bomb.
            assert.ok(r.peakMb < PEAK_MB + ROOM_MB, `${args[0]}: peak RSS ${Math.round(r.peakMb)} MiB, allowed ${PEAK_MB + ROOM_MB}`);
        }
    });

    it("through s3://, the reader stops at the end-of-archive marker too", async () => {
        const r = await runMeasured(["preflight", "--backup", `s3://${BUCKET}/velero/backups/trailed/trailed.tar.gz`, ...flags(), "--format", "json", "--no-progress"], env());
        assert.equal(r.code, 0, r.err);
        assert.equal((JSON.parse(r.out) as { summary: { objects: number } }).summary.objects, 1);
    });
});

describe("a hostile backup for verify --backup", function () {
    this.timeout(30_000);
    let tmp: string;
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-verify-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    // verify loads the Kubernetes client: its own baseline (a one-Pod backup), then room for the 16 MiB cap twice.
    const verify = (backup: string) => runMeasured(["verify", "--restore", "shop-1", "--backup", backup, "--kubeconfig", path.join(tmp, "none")], { TKE2EKS_MAX_ENTRY_MB: "16" });
    const small = async (name: string): Promise<string> => {
        const file = path.join(tmp, `${name}.tar.gz`);
        await writeBackup(file, [{ groupResource: "pods", obj: POD }]);
        return file;
    };

    it(`a tarball entry inflating to ${BOMB_MB} MiB: exit 2 naming the entry and the cap, memory bounded`, async () => {
        const baseline = await verify(await small("baseline"));
        const file = path.join(tmp, "bomb.tar.gz");
        await bomb(file);
        const r = await verify(file);
        assert.equal(r.code, 2, r.err);
        assert.equal(r.err.trim(), `tke2eks: ${file}: entry ${POD_ENTRY} is larger than 16 MiB (TKE2EKS_MAX_ENTRY_MB; a Kubernetes object is at most about 1.5 MiB): refused as not a Kubernetes object or list`);
        assert.ok(r.peakMb < baseline.peakMb + ROOM_MB, `peak RSS ${Math.round(r.peakMb)} MiB, baseline ${Math.round(baseline.peakMb)} MiB`);
    });

    it(`a ${BOMB_MB} MiB gzip bomb as the volume info beside the tarball: exit 2 naming the file and the cap, memory bounded`, async () => {
        const baseline = await verify(await small("baseline"));
        const file = await small("shop-1");
        const info = path.join(tmp, "shop-1-volumeinfo.json.gz");
        fs.writeFileSync(info, gzipSync(Buffer.alloc(BOMB_MB * 2 ** 20, " "), { level: 1 }));
        const r = await verify(file);
        assert.equal(r.code, 2, r.err);
        assert.equal(r.err.trim(), `tke2eks: ${info} (inflated) is larger than 16 MiB (TKE2EKS_MAX_ENTRY_MB; a Kubernetes object is at most about 1.5 MiB): refused as not a Kubernetes object or list`);
        assert.ok(r.peakMb < baseline.peakMb + ROOM_MB, `peak RSS ${Math.round(r.peakMb)} MiB, baseline ${Math.round(baseline.peakMb)} MiB`);
    });
});

describe("hostile manifests", function () {
    this.timeout(30_000);
    it("40 MiB with no newline, or one 40 MiB document: exit 2 naming the file and the cap, memory bounded", async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-manifest-"));
        try {
            const line = path.join(tmp, "line.yaml");
            fs.writeFileSync(line, Buffer.alloc(40 * 2 ** 20, "a"));
            const doc = path.join(tmp, "doc.yaml");
            fs.writeFileSync(doc, "data:\n" + `  k: ${"v".repeat(90)}\n`.repeat((40 * 2 ** 20) / 96));
            for (const [file, what] of [[line, "a line"], [doc, "a document"]]) {
                const r = await runMeasured(["preflight", file, "--format", "json", "--no-progress"], { TKE2EKS_MAX_ENTRY_MB: "8" });
                assert.equal(r.code, 2, r.err);
                assert.equal(r.err.trim(), `tke2eks: ${file}: ${what} is larger than 8 MiB (TKE2EKS_MAX_ENTRY_MB; a Kubernetes object is at most about 1.5 MiB): refused as not a Kubernetes object or list`);
                assert.ok(r.peakMb < PEAK_MB, `${what}: peak RSS ${Math.round(r.peakMb)} MiB, allowed ${PEAK_MB}`);
            }
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});

describe("restore-preview's temporary file", function () {
    this.timeout(30_000);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        it(`is private (0600 in a 0700 folder) and removed on ${signal}`, async () => {
            const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spool-signal-"));
            let child: ChildProcess | undefined;
            let writer: fs.WriteStream | undefined;
            try {
                // A named pipe as the backup: the preview waits on it with its spool open.
                const fifo = path.join(tmp, "backup.tar.gz");
                execFileSync("mkfifo", [fifo]);
                child = spawn(process.execPath, [BIN, "restore-preview", "--backup", fifo], { stdio: "ignore", env: { PATH: process.env.PATH ?? "", TMPDIR: tmp } });
                // Read-write ("r+"): a write-only open of a FIFO blocks a libuv thread until a reader
                // comes, and process.exit then waits on that thread for ever; this open never blocks,
                // so a preview that never opens the pipe fails the test instead of hanging the run.
                writer = fs.createWriteStream(fifo, { flags: "r+" });
                writer.write(gzipSync(Buffer.alloc(0)).subarray(0, 10));
                let spool: string | undefined;
                // Until the spool appears or the preview exits, within the test's timeout (a loaded machine starts it slowly).
                for (let i = 0; i < 500 && !spool && child.exitCode === null; i++) {
                    await new Promise((r) => setTimeout(r, 50));
                    spool = fs.readdirSync(tmp).find((f) => f.startsWith("tke2eks-preview-"));
                }
                assert.ok(spool, `the preview made its spool (exit ${child.exitCode})`);
                const dir = path.join(tmp, spool);
                assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
                assert.equal(fs.statSync(path.join(dir, "objects.ndjson")).mode & 0o777, 0o600);
                const exited = once(child, "exit");
                child.kill(signal);
                const [code, by] = (await exited) as [number | null, string | null];
                assert.equal(by, signal, `ended by the signal (exit ${code})`);
                assert.ok(!fs.existsSync(dir), "the spool is gone");
            } finally {
                // A failed assertion must not leave the preview waiting on its pipe.
                child?.kill("SIGKILL");
                writer?.destroy();
                fs.rmSync(tmp, { recursive: true, force: true });
            }
        });
    }
});
