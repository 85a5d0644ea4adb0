/**
 * `tke2eks preflight --backup s3://BUCKET/KEY` against a real S3 server on 127.0.0.1: the
 * same report as from the tarball file, and for every bad input one line, exit 2, no
 * --modifiers file written and no credential in any output.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { runPreflight, type Io, type PreflightOptions } from "../../cli/preflight";
import { backupObjects, manifestItems, writeBackup } from "./backupTarball";
import { S3_KEY, startS3, type TestS3 } from "../support/s3Server";
import { UserError } from "../../core/errors";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "tke-app");
const BUCKET = "shop-migration-1250000000";
interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

async function run(opts: PreflightOptions): Promise<Run> {
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks = { out: [] as string[], err: [] as string[] };
    out.on("data", (c: Buffer) => chunks.out.push(c.toString()));
    err.on("data", (c: Buffer) => chunks.err.push(c.toString()));
    const io: Io = { stdin: Readable.from([""]), stdout: out, stderr: err as unknown as NodeJS.WriteStream };
    const code = await runPreflight([], { progress: false, ...opts }, io);
    return { code, stdout: chunks.out.join(""), stderr: chunks.err.join("") };
}

describe("preflight --backup s3://BUCKET/KEY", function () {
    this.timeout(20000);
    let s3: TestS3;
    let dir: string;
    let file: string;
    const saved = { ...process.env };

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-cli-s3-"));
        s3 = await startS3();
        file = path.join(dir, "shop-1.tar.gz");
        const items = manifestItems(EXAMPLE);
        await writeBackup(file, items);
        await s3.put(BUCKET, { ...backupObjects("velero", "shop-1", file, items, ["shop", "minio", "monitoring"]), "velero/backups/junk/junk.tar.gz": "not a backup" });
    });
    beforeEach(() => {
        process.env.AWS_ACCESS_KEY_ID = S3_KEY.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = S3_KEY.secretAccessKey;
    });
    afterEach(() => {
        for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SHARED_CREDENTIALS_FILE"]) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    });
    after(async () => {
        await s3.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const s3Flags = (): PreflightOptions => ({ s3Endpoint: s3.endpoint, s3Region: "ap-guangzhou", s3ForcePathStyle: true, s3Timeout: "2" });

    it("reports the backup in the bucket exactly as the same tarball on disk, and writes its modifiers", async () => {
        const modifiers = path.join(dir, "from-bucket.yaml");
        const fromBucket = await run({ backup: `s3://${BUCKET}/velero/backups/shop-1/shop-1.tar.gz`, format: "json", modifiers, ...s3Flags() });
        const fromFile = await run({ backup: file, format: "json" });
        const strip = (r: Run) => JSON.parse(r.stdout.split(`s3://${BUCKET}/velero/backups/shop-1/shop-1.tar.gz`).join(file)) as unknown;
        assert.deepEqual(strip(fromBucket), strip(fromFile));
        assert.equal(fromBucket.code, 1);
        assert.match(fromBucket.stdout, /"source": "s3:\/\/shop-migration-1250000000\/velero\/backups\/shop-1\/shop-1\.tar\.gz#resources\/daemonsets\.apps\/namespaces\/monitoring\/node-exporter\.json"/);
        assert.ok(fs.existsSync(modifiers));
    });

    it("reads Velero's credentials file given with --credentials-file", async () => {
        delete process.env.AWS_ACCESS_KEY_ID;
        delete process.env.AWS_SECRET_ACCESS_KEY;
        const creds = path.join(dir, "credentials-velero");
        fs.writeFileSync(creds, `[default]\naws_access_key_id=${S3_KEY.accessKeyId}\naws_secret_access_key=${S3_KEY.secretAccessKey}\n`);
        const r = await run({ backup: `s3://${BUCKET}/velero/backups/shop-1/shop-1.tar.gz`, format: "json", failOn: "never", credentialsFile: creds, ...s3Flags() });
        assert.equal(r.code, 0);
        assert.equal((JSON.parse(r.stdout) as { summary: { objects: number } }).summary.objects, 11);
    });

    it("bad input: one line naming it, exit 2, no --modifiers file", async () => {
        const modifiers = path.join(dir, "never.yaml");
        const refused = async (opts: PreflightOptions, pattern: RegExp) => {
            await assert.rejects(run({ modifiers, ...opts }), (err: unknown) => {
                assert.ok(err instanceof UserError, String(err));
                assert.equal(err.exitCode, 2);
                assert.doesNotMatch(err.message, /\n/);
                assert.match(err.message, pattern);
                return true;
            });
            assert.ok(!fs.existsSync(modifiers), "nothing written");
        };
        const at = (key: string) => `s3://${BUCKET}/${key}`;
        await refused({ backup: at("velero/backups/shop-2/shop-2.tar.gz"), ...s3Flags() }, /shop-2\.tar\.gz: no such key in the bucket \(NoSuchKey\)/);
        await refused({ backup: "s3://other-1250000000/velero/backups/shop-1/shop-1.tar.gz", ...s3Flags() }, /no such bucket at http:\/\/127\.0\.0\.1:\d+ \(NoSuchBucket\)/);
        await refused({ backup: at("velero/backups/junk/junk.tar.gz"), ...s3Flags() }, /junk\.tar\.gz: not gzip-compressed: it starts with "not a backup"; a Velero backup is a gzip-compressed tar archive/);
        process.env.AWS_ACCESS_KEY_ID = "AKIDNOTKNOWN";
        await refused({ backup: at("velero/backups/shop-1/shop-1.tar.gz"), ...s3Flags() }, /access denied \(403 InvalidAccessKeyId\): the credentials from AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY cannot read it$/);
        // A port nobody listens on, and a server that accepts and never answers.
        const closed = net.createServer();
        await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
        const port = (closed.address() as net.AddressInfo).port;
        await new Promise<void>((r) => closed.close(() => r()));
        await refused({ backup: at("velero/backups/shop-1/shop-1.tar.gz"), ...s3Flags(), s3Endpoint: `http://127.0.0.1:${port}` }, /shop-1\.tar\.gz: cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused$/);
        const sockets: net.Socket[] = [];
        const silent = net.createServer((sock) => void sockets.push(sock));
        await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
        try {
            const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
            await refused({ backup: at("velero/backups/shop-1/shop-1.tar.gz"), ...s3Flags(), s3Endpoint: endpoint, s3Timeout: "0.3" }, /: cannot reach http:\/\/127\.0\.0\.1:\d+: no answer within 0\.3 s$/);
        } finally {
            for (const sock of sockets) sock.destroy();
            silent.close();
        }
        await refused({ backup: file, s3Endpoint: "http://127.0.0.1:1" }, /^--s3-endpoint is for --backup s3:\/\/BUCKET\/KEY$/);
        await refused({ backup: at("a.tar.gz"), s3Endpoint: "cos.ap-guangzhou.myqcloud.com" }, /^--s3-endpoint "cos\.ap-guangzhou\.myqcloud\.com": use an http\(s\) URL with no path/);
        await refused({ backup: at("a.tar.gz"), s3Timeout: "0" }, /^--s3-timeout 0: must be a duration like 30s, 10m or 1h30m/);
        await refused({ backup: at("a.tar.gz"), s3Timeout: "2h" }, /^--s3-timeout 2h: at most 1h \(3600s\)$/);
        await refused({ backup: at("a.tar.gz"), s3Timeout: "30 s" }, /^--s3-timeout 30 s: must be a duration/);
    });

    it("runs as a process: a refused key is one line on stderr, exit 2, and the key never shows", async () => {
        const secret = { id: "AKIDPROCESSLEAK000001", key: "process-secret-value-01" };
        // Not spawnSync: the S3 server answers from this process's event loop.
        const child = spawn(
            process.execPath,
            ["--import", "tsx", "-e", "process.argv.splice(1, 0, 'tke2eks'); require('./cli/main.ts').run()", "--", "preflight", "--backup", `s3://${BUCKET}/velero/backups/shop-1/shop-1.tar.gz`, "--s3-endpoint", s3.endpoint, "--s3-force-path-style", "--modifiers", path.join(dir, "p.yaml")],
            { cwd: ROOT, env: { ...process.env, AWS_ACCESS_KEY_ID: secret.id, AWS_SECRET_ACCESS_KEY: secret.key } },
        );
        const r = { stdout: "", stderr: "", status: -1 };
        child.stdout.on("data", (c: Buffer) => (r.stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (r.stderr += c.toString()));
        r.status = await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
        assert.equal(r.status, 2);
        assert.match(r.stderr, /^tke2eks: s3:\/\/shop-migration-1250000000\/velero\/backups\/shop-1\/shop-1\.tar\.gz: access denied \(403 InvalidAccessKeyId\)[^\n]*\n$/);
        assert.equal(r.stdout, "");
        for (const text of [r.stdout, r.stderr]) assert.ok(!text.includes(secret.id) && !text.includes(secret.key), text);
        assert.ok(!fs.existsSync(path.join(dir, "p.yaml")));
    });
});
