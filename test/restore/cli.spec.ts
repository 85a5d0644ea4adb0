/**
 * `tke2eks restore-preview` as a command: the Restore it previews is the one the restore
 * stage creates (CRD-valid, with the owned-objects selector), exit codes, and bad input as
 * one line with exit 2 and nothing on stdout.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createGzip, gzipSync } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { pack } from "tar-stream";
import { restoreManifest } from "../../restore/manifests";
import { devConfig } from "../components/harness";
import { writeBackup } from "../preflight/backupTarball";
import { assertValidCustomResource } from "../support/crds";
import { S3_KEY, startS3 } from "../support/s3Server";
import { backupItems, served, servedService } from "./liveObjects";

const nodePort = () => servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } });
import { parse as parseYaml } from "yaml";
import { preview, tmpdir, type PreviewJson } from "./support";
import { UserError } from "../../core/errors";

const ROOT = path.join(__dirname, "..", "..");

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    return spawnSync(process.execPath, ["--import", "tsx", "-e", "process.argv.splice(1, 0, 'tke2eks'); require('./cli/main.ts').run()", "--", ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("the Restore's owned-objects selector", () => {
    it("is in the Restore the stage creates, valid against Velero's Restore CRD", () => {
        const restore = restoreManifest(devConfig(["tke2eks:stage=restore"]), "shop-1");
        assertValidCustomResource(restore, "Restore");
        assert.deepEqual((restore.spec as Record<string, unknown>).labelSelector, {
            matchExpressions: [
                { key: "pod-template-hash", operator: "DoesNotExist" },
                { key: "controller-revision-hash", operator: "DoesNotExist" },
            ],
        });
    });
});

describe("restore-preview: exit codes and bad input", () => {
    let dir: string;
    before(() => {
        dir = tmpdir();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function expectCliError(opts: Parameters<typeof preview>[0], message: RegExp): Promise<void> {
        await assert.rejects(preview(opts), (err: unknown) => {
            assert.ok(err instanceof UserError, String(err));
            assert.equal(err.exitCode, 2);
            assert.match(err.message, message);
            assert.ok(!err.message.includes("\n"), "one line");
            return true;
        });
    }

    it("exit 0 when nothing is refused", async () => {
        const file = path.join(dir, "clean.tar.gz");
        await writeBackup(file, backupItems([served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "shop" }, data: {} })]));
        const run = await preview({ backup: file, format: "json" });
        assert.equal(run.code, 0);
        assert.deepEqual(JSON.parse(run.stdout).summary, { objects: 1, restored: 1, fixed: 0, skipped: 0, refused: 0 });
        // -o yaml: the same document as -o json.
        const yaml = await preview({ backup: file, format: "yaml" });
        assert.equal(yaml.code, 0);
        assert.deepEqual(parseYaml(yaml.stdout), JSON.parse(run.stdout));
    });

    it("--stack and --config: the stack's namespace mapping and fix options reach the preview", async () => {
        const file = path.join(dir, "stack.tar.gz");
        await writeBackup(file, backupItems([nodePort()]));
        const run = await preview({ backup: file, format: "json", stack: "dev", cwd: ROOT, config: ['tke2eks:restore.namespaceMapping={"shop":"shop-eks"}', "tke2eks:restore.nodePortServiceType=LoadBalancer"] });
        const [svc] = (JSON.parse(run.stdout) as PreviewJson).objects;
        assert.equal(svc.outcome, "fixed");
        assert.deepEqual(svc.restoredAs, { apiVersion: "v1", namespace: "shop-eks", name: "web" });
        assert.deepEqual(svc.reasons, ['eks-no-nodeport-service: set /spec/type "LoadBalancer", unset /spec/ports/0/nodePort']);
    });

    it("through the real entry point, a missing file: exit 2, one line naming it, nothing on stdout", function () {
        // Starting node with tsx takes a few seconds, much more on a busy machine.
        this.timeout(90_000);
        const run = cli(["restore-preview", "--backup", "no/such/backup.tar.gz"]);
        assert.equal(run.status, 2);
        assert.equal(run.stdout, "");
        assert.equal(run.stderr, "tke2eks: no/such/backup.tar.gz: no such file\n");
    });

    it("a file that is not gzip, a truncated tarball, a tarball that is not a Velero backup", async () => {
        const junk = path.join(dir, "junk.tar.gz");
        fs.writeFileSync(junk, "this is not a backup\n");
        await expectCliError({ backup: junk }, /junk\.tar\.gz: not gzip-compressed: it starts with "this is not a backup\\n"; a Velero backup is a gzip-compressed tar archive/);

        const whole = path.join(dir, "whole.tar.gz");
        await writeBackup(whole, backupItems(Array.from({ length: 50 }, (_, i) => served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cfg-${i}`, namespace: "shop" }, data: { v: "x".repeat(2000 + i) } }))));
        const truncated = path.join(dir, "truncated.tar.gz");
        const bytes = fs.readFileSync(whole);
        fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
        await expectCliError({ backup: truncated }, /truncated\.tar\.gz: truncated: the gzip data ends early/);

        const other = path.join(dir, "other.tar.gz");
        const tar = pack();
        tar.entry({ name: "README.md" }, "hello\n");
        tar.finalize();
        await pipeline(tar, createGzip(), fs.createWriteStream(other));
        await expectCliError({ backup: other }, /other\.tar\.gz: no resources\/<group-resource>\/… entries; is it a Velero backup tarball/);
    });

    it("an entry that is not JSON makes the whole preview fail, naming it", async () => {
        const file = path.join(dir, "badjson.tar.gz");
        const tar = pack();
        tar.entry({ name: "resources/configmaps/namespaces/shop/cfg.json" }, "{not json");
        tar.finalize();
        await pipeline(Readable.from(tar), createGzip(), fs.createWriteStream(file));
        await expectCliError({ backup: file }, /badjson\.tar\.gz#resources\/configmaps\/namespaces\/shop\/cfg\.json: malformed JSON/);
    });

    it("reads the backup from the bucket (a real S3 server on 127.0.0.1) exactly as the same tarball on disk; a missing object is one line", async () => {
        const file = path.join(dir, "shop-1.tar.gz");
        await writeBackup(file, backupItems([nodePort()]));
        const s3 = await startS3();
        const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
        try {
            await s3.put("shop-1250000000", { "velero/backups/shop-1/shop-1.tar.gz": fs.readFileSync(file) });
            process.env.AWS_ACCESS_KEY_ID = S3_KEY.accessKeyId;
            process.env.AWS_SECRET_ACCESS_KEY = S3_KEY.secretAccessKey;
            const flags = { s3Endpoint: s3.endpoint, s3Region: "ap-guangzhou", s3ForcePathStyle: true, s3Timeout: "2", format: "json" };
            const fromBucket = await preview({ backup: "s3://shop-1250000000/velero/backups/shop-1/shop-1.tar.gz", ...flags });
            const fromFile = await preview({ backup: file, format: "json" });
            assert.equal(fromBucket.code, 0);
            assert.deepEqual(JSON.parse(fromBucket.stdout), JSON.parse(fromFile.stdout));
            await expectCliError({ backup: "s3://shop-1250000000/velero/backups/shop-2/shop-2.tar.gz", ...flags }, /shop-2\.tar\.gz.*(no such|NoSuchKey|not found|does not exist)/i);
        } finally {
            if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
            else process.env.AWS_ACCESS_KEY_ID = saved.id;
            if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
            else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
            await s3.close();
        }
    });

    it("reads the backup's volume info beside the tarball, on disk and in the bucket (object_store_layout.go:132-133): a volume whose data was not backed up comes back EMPTY, said on the PV and its claim", async () => {
        const sub = path.join(dir, "volumes");
        fs.mkdirSync(sub, { recursive: true });
        const file = path.join(sub, "shop-2.tar.gz");
        const pv = served(
            { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pvc-1a2b" }, spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], csi: { driver: "com.tencent.cloud.csi.cbs", volumeHandle: "disk-1a2b" }, claimRef: { kind: "PersistentVolumeClaim", namespace: "shop", name: "data" }, persistentVolumeReclaimPolicy: "Delete", storageClassName: "cbs" } },
            { status: { phase: "Bound" } },
        );
        const claim = served({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "shop" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, storageClassName: "cbs", volumeName: "pvc-1a2b" } }, { status: { phase: "Bound" } });
        await writeBackup(file, backupItems([pv, claim]));
        const fates = (out: string) => Object.fromEntries((JSON.parse(out) as PreviewJson).objects.map((o) => [o.kind, `${o.outcome} ${o.volumeData} ${o.reasons[0]}`]));

        // No volume info: a CSI volume is assumed snapshotted, and the reason says so.
        const assumed = fates((await preview({ backup: file, format: "json" })).stdout);
        assert.match(assumed.PersistentVolume, /^skipped snapshot re-provisioned by its claim .*assumed: no volume info was read beside the backup/);
        // Velero's volume info says the data was not backed up (backupMethod empty): a new, empty volume (restore.go:1248-1256).
        const info = gzipSync(JSON.stringify([{ pvcName: "data", pvcNamespace: "shop", pvName: "pvc-1a2b", backupMethod: "", snapshotDataMoved: false, skipped: true, skippedReason: "no applicable volume policy", pvInfo: { reclaimPolicy: "Delete", labels: {} } }]));
        fs.writeFileSync(path.join(sub, "shop-2-volumeinfo.json.gz"), info);
        const fromFile = await preview({ backup: file, format: "json" });
        const empty = fates(fromFile.stdout);
        assert.match(empty.PersistentVolume, /^skipped empty re-provisioned by its claim under a new name, not restored: nothing backed up its data and its reclaim policy is Delete: a new, EMPTY volume \(restore\.go:1248-1256\)$/);
        assert.match(empty.PersistentVolumeClaim, /^restored empty volume: its volume pvc-1a2b: nothing backed up its data .* EMPTY volume/);

        const s3 = await startS3();
        const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
        try {
            await s3.put("shop-1250000000", { "velero/backups/shop-2/shop-2.tar.gz": fs.readFileSync(file), "velero/backups/shop-2/shop-2-volumeinfo.json.gz": info });
            process.env.AWS_ACCESS_KEY_ID = S3_KEY.accessKeyId;
            process.env.AWS_SECRET_ACCESS_KEY = S3_KEY.secretAccessKey;
            const fromBucket = await preview({ backup: "s3://shop-1250000000/velero/backups/shop-2/shop-2.tar.gz", s3Endpoint: s3.endpoint, s3Region: "ap-guangzhou", s3ForcePathStyle: true, s3Timeout: "2", format: "json" });
            assert.deepEqual(JSON.parse(fromBucket.stdout), JSON.parse(fromFile.stdout));
        } finally {
            if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
            else process.env.AWS_ACCESS_KEY_ID = saved.id;
            if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
            else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
            await s3.close();
        }
        // Volume info that is not Velero's: one line naming the file.
        fs.writeFileSync(path.join(sub, "shop-2-volumeinfo.json.gz"), gzipSync("{}"));
        await expectCliError({ backup: file, format: "json" }, /shop-2-volumeinfo\.json\.gz: expected Velero's volume info, a JSON array of volumes, got object/);
    });

    it("bad options: no --backup, an unknown format, a bad stack or waivers file", async () => {
        await expectCliError({}, /^--backup FILE\.tar\.gz is required/);
        await expectCliError({ backup: "x.tar.gz", format: "xml" }, /^-o\/--output "xml": use one of table, json, yaml$/);
        const file = path.join(dir, "ok.tar.gz");
        await writeBackup(file, backupItems([served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "shop" }, data: {} })]));
        await expectCliError({ backup: file, stack: "nope", cwd: ROOT }, /Pulumi\.nope\.yaml not found/);
        await expectCliError({ backup: file, waivers: path.join(dir, "none.yaml") }, /^waivers .*none\.yaml: no such file$/);
    });
});
