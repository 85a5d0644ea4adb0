/**
 * The backup source against a real S3 server (s3rver on 127.0.0.1) holding backups laid out
 * as Velero v1.18.2 writes them: streamed reads, Velero's other backup files, credentials the
 * way users have them, and every failure as one line naming the object.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { extract } from "tar-stream";
import { readBackup } from "../../preflight/backup";
import { type ScanEvent } from "../../preflight/types";
import { resolveCredentials, s3Client, type S3Options } from "../../s3/client";
import { backupKey, parseS3Url } from "../../s3/location";
import { backupObjects, itemEntries, writeBackup, type BackupItem } from "../preflight/backupTarball";
import { S3_KEY, startS3, type TestS3 } from "../support/s3Server";
import { UserError } from "../../core/errors";

const BUCKET = "shop-migration-1250000000";
const NAME = "shop-1";
const TARBALL = `s3://${BUCKET}/${backupKey("velero", NAME, "tarball")}`;

const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "shop", managedFields: [{ manager: "kubectl-client-side-apply", operation: "Update" }] },
    spec: { type: "NodePort", clusterIP: "10.0.0.12", externalTrafficPolicy: "Cluster", ports: [{ port: 80, targetPort: 8080, nodePort: 31080 }] },
};
const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { replicas: 2 } };
const hpa = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "shop" }, spec: { maxReplicas: 4 } };
const snapclass = { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "cbs" }, driver: "com.tencent.cloud.csi.cbs", deletionPolicy: "Delete" };
const ITEMS: BackupItem[] = [
    { groupResource: "services", obj: service },
    { groupResource: "deployments.apps", obj: deployment },
    // Served in two versions with EnableAPIGroupVersions: one more copy under v1/.
    { groupResource: "horizontalpodautoscalers.autoscaling", obj: hpa, versions: { preferred: "v2", others: ["v1"] } },
    { groupResource: "volumesnapshotclasses.snapshot.storage.k8s.io", obj: snapclass },
];

async function collect(source: string, opts: S3Options): Promise<ScanEvent[]> {
    return readBackup(source, opts, async (events) => {
        const out: ScanEvent[] = [];
        for await (const e of events) out.push(e);
        return out;
    });
}

async function tarEntries(bytes: Buffer): Promise<string[]> {
    const tar = extract();
    tar.end(gunzipSync(bytes));
    const names: string[] = [];
    for await (const entry of tar) {
        names.push(entry.header.name);
        entry.resume();
    }
    return names;
}

function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
    return assert.rejects(promise, (err: unknown) => {
        assert.ok(err instanceof UserError, `not an UserError: ${String(err)}`);
        assert.doesNotMatch(err.message, /\n/);
        assert.match(err.message, pattern);
        return true;
    });
}

describe("s3: Velero backups read from the bucket", function () {
    this.timeout(20000);
    let s3: TestS3;
    let dir: string;
    let opts: S3Options;
    let tarball: string;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-s3src-"));
        s3 = await startS3();
        opts = { endpoint: s3.endpoint, region: "ap-guangzhou", forcePathStyle: true, credentials: S3_KEY, timeoutSeconds: 2, maxAttempts: 1 };
        tarball = path.join(dir, `${NAME}.tar.gz`);
        await writeBackup(tarball, ITEMS);
        await s3.put(BUCKET, backupObjects("velero", NAME, tarball, ITEMS, ["shop"]));
        const good = fs.readFileSync(tarball);
        const notVelero = path.join(dir, "not-velero.tar.gz");
        await writeBackup(notVelero, [], [{ name: "README.md", body: "a tarball, not a backup" }]);
        await s3.put(BUCKET, {
            "velero/backups/truncated/truncated.tar.gz": good.subarray(0, Math.floor(good.length / 2)),
            "velero/backups/corrupt/corrupt.tar.gz": Buffer.concat([good.subarray(0, 10), Buffer.alloc(good.length - 10, 7)]),
            "velero/backups/plain/plain.tar.gz": "not gzip at all",
            "velero/backups/other/other.tar.gz": fs.readFileSync(notVelero),
        });
    });
    after(async () => {
        await s3.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the test tarball is Velero's layout: unversioned, <v>-preferredversion and other served versions (item_backupper.go:315-323)", async () => {
        assert.deepEqual(await tarEntries(fs.readFileSync(tarball)), [
            "metadata/version",
            "resources/services/namespaces/shop/web.json",
            "resources/services/v1-preferredversion/namespaces/shop/web.json",
            "resources/deployments.apps/namespaces/shop/web.json",
            "resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json",
            "resources/horizontalpodautoscalers.autoscaling/namespaces/shop/web.json",
            "resources/horizontalpodautoscalers.autoscaling/v2-preferredversion/namespaces/shop/web.json",
            "resources/horizontalpodautoscalers.autoscaling/v1/namespaces/shop/web.json",
            "resources/volumesnapshotclasses.snapshot.storage.k8s.io/cluster/cbs.json",
            "resources/volumesnapshotclasses.snapshot.storage.k8s.io/v1-preferredversion/cluster/cbs.json",
        ]);
        assert.equal(JSON.parse(itemEntries(ITEMS[2])[2].body).apiVersion, "autoscaling/v1");
    });

    it("streams the tarball from the bucket: each object once, origins naming s3://BUCKET/KEY", async () => {
        const events = await collect(TARBALL, opts);
        assert.deepEqual(
            events.map((e) => ("item" in e ? [e.item.groupResource, e.item.obj.kind, e.item.origin.file, e.item.origin.entry] : e)),
            ITEMS.map((i) => [i.groupResource, i.obj.kind, TARBALL, itemEntries(i)[0].name]),
        );
        assert.deepEqual((events[0] as { item: { obj: unknown } }).item.obj, service);
    });

    it("addresses COS virtual-hosted by default and path-style when asked", async () => {
        const url = async (forcePathStyle: boolean) => {
            const client = await s3Client({ endpoint: "https://cos.ap-guangzhou.myqcloud.com", forcePathStyle }, S3_KEY);
            let seen = "";
            // Stops each request at the last step before it would leave the process.
            client.middlewareStack.add(
                () => (args) => {
                    const r = args.request as { protocol: string; hostname: string; path: string };
                    seen = `${r.protocol}//${r.hostname}${r.path}`;
                    throw new Error("stop");
                },
                { step: "finalizeRequest", priority: "low" },
            );
            await assert.rejects(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: "velero/backups/a/a.tar.gz" })), /stop/);
            return seen;
        };
        assert.equal(await url(false), `https://${BUCKET}.cos.ap-guangzhou.myqcloud.com/velero/backups/a/a.tar.gz`);
        assert.equal(await url(true), `https://cos.ap-guangzhou.myqcloud.com/${BUCKET}/velero/backups/a/a.tar.gz`);
    });

    it("takes credentials the way users have them: the given key, a Velero credentials file, AWS_* variables, the shared file", async () => {
        const file = path.join(dir, "credentials-velero");
        fs.writeFileSync(file, "[default]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n");
        const fromFile = await resolveCredentials({ credentialsFile: file, env: {} });
        assert.deepEqual([fromFile.credentials, fromFile.from], [S3_KEY, `credentials file ${file} [default]`]);
        const events = await collect(TARBALL, { ...opts, credentials: undefined, credentialsFile: file, env: {} });
        assert.equal(events.length, ITEMS.length);

        const env = { AWS_ACCESS_KEY_ID: "AKIDenv", AWS_SECRET_ACCESS_KEY: "env-secret", AWS_SESSION_TOKEN: "tok" };
        assert.deepEqual((await resolveCredentials({ env })).credentials, { accessKeyId: "AKIDenv", secretAccessKey: "env-secret", sessionToken: "tok" });
        assert.deepEqual((await resolveCredentials({ env: { AWS_SHARED_CREDENTIALS_FILE: file } })).credentials, S3_KEY);
        assert.equal((await resolveCredentials({ credentialsFile: file, env })).from, `credentials file ${file} [default]`, "the flag wins over the environment");

        await rejectsWith(resolveCredentials({ env: { AWS_ACCESS_KEY_ID: "AKIDenv" } }), /^set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither$/);
        await rejectsWith(resolveCredentials({ credentialsFile: path.join(dir, "nope"), env: {} }), /^credentials file .*nope: no such file$/);
        const other = path.join(dir, "credentials-other");
        fs.writeFileSync(other, "[prod]\naws_access_key_id = A\naws_secret_access_key = B\n");
        await rejectsWith(resolveCredentials({ credentialsFile: other, env: {} }), /credentials-other: no \[default\] profile with aws_access_key_id and aws_secret_access_key/);
        await rejectsWith(resolveCredentials({ env: { AWS_SHARED_CREDENTIALS_FILE: other, AWS_PROFILE: "staging" } }), /no \[staging\] profile/);
    });

    it("bad input: one line naming the object, for every way the bucket or the tarball fails", async () => {
        const at = (key: string) => `s3://${BUCKET}/${key}`;
        await rejectsWith(collect(at("velero/backups/none/none.tar.gz"), opts), /^s3:\/\/shop-migration-1250000000\/velero\/backups\/none\/none\.tar\.gz: no such key in the bucket \(NoSuchKey\)/);
        await rejectsWith(collect("s3://no-such-bucket-1250000000/velero/backups/a/a.tar.gz", opts), /^s3:\/\/no-such-bucket-1250000000\/.*: no such bucket at http:\/\/127\.0\.0\.1:\d+ \(NoSuchBucket\)/);
        await rejectsWith(collect(TARBALL, { ...opts, credentials: { accessKeyId: "AKIDunknown", secretAccessKey: "x" } }), /: access denied \(403 InvalidAccessKeyId\): the credentials from the given key cannot read it$/);
        await rejectsWith(collect(at("velero/backups/truncated/truncated.tar.gz"), opts), /truncated\.tar\.gz: truncated: the gzip data ends early/);
        await rejectsWith(collect(at("velero/backups/corrupt/corrupt.tar.gz"), opts), /corrupt\.tar\.gz: corrupt gzip data \(the file is damaged\)/);
        await rejectsWith(collect(at("velero/backups/plain/plain.tar.gz"), opts), /plain\.tar\.gz: not gzip-compressed: it starts with /);
        await rejectsWith(collect(at("velero/backups/other/other.tar.gz"), opts), /other\.tar\.gz: no resources\/<group-resource>\/… entries; is it a Velero backup tarball/);
        await rejectsWith(collect(`s3://${BUCKET}`, opts), /^s3:\/\/shop-migration-1250000000: not an object in a bucket; use s3:\/\/BUCKET\/KEY/);
    });

    it("bad input: a closed port and a server that never answers end within the timeout", async () => {
        const closed = net.createServer();
        await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
        const port = (closed.address() as net.AddressInfo).port;
        await new Promise<void>((r) => closed.close(() => r()));
        await rejectsWith(collect(TARBALL, { ...opts, endpoint: `http://127.0.0.1:${port}` }), new RegExp(`^${TARBALL.replace(/[./]/g, "\\$&")}: cannot reach http://127\\.0\\.0\\.1:${port}: connection refused$`));

        // Accepts the connection and never says a word.
        const sockets: net.Socket[] = [];
        const silent = net.createServer((s) => void sockets.push(s));
        await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
        const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
        const started = Date.now();
        try {
            await rejectsWith(collect(TARBALL, { ...opts, endpoint, timeoutSeconds: 0.3 }), /: cannot reach http:\/\/127\.0\.0\.1:\d+: no answer within 0\.3 s$/);
        } finally {
            for (const s of sockets) s.destroy();
            silent.close();
        }
        assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    });

    it("bad input: a body that stops half-way ends within the timeout as one line", async () => {
        // Answers like S3, sends the first half of the tarball and then nothing.
        const good = fs.readFileSync(tarball);
        const half = good.subarray(0, Math.floor(good.length / 2));
        const sockets: net.Socket[] = [];
        const stall = net.createServer((s) => {
            sockets.push(s);
            s.once("data", () => s.write(`HTTP/1.1 200 OK\r\nContent-Type: application/x-gzip\r\nContent-Length: ${good.length}\r\n\r\n`, () => s.write(half)));
        });
        await new Promise<void>((r) => stall.listen(0, "127.0.0.1", r));
        const endpoint = `http://127.0.0.1:${(stall.address() as net.AddressInfo).port}`;
        try {
            await rejectsWith(collect(TARBALL, { ...opts, endpoint, timeoutSeconds: 0.3 }), /: cannot reach http:\/\/127\.0\.0\.1:\d+: no answer within 0\.3 s$/);
        } finally {
            for (const s of sockets) s.destroy();
            stall.close();
        }
    });

    it("bad input: AccessDenied as COS answers a key whose policy does not cover the object", async () => {
        // s3rver checks key ids but has no policies: this answer is S3's error document, as COS sends it.
        const denied = http.createServer((req, res) => {
            req.resume();
            res.writeHead(403, { "Content-Type": "application/xml" });
            res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied.</Message><Resource>${req.url}</Resource><RequestId>NjQ2</RequestId></Error>`);
        });
        await new Promise<void>((r) => denied.listen(0, "127.0.0.1", r));
        try {
            const endpoint = `http://127.0.0.1:${(denied.address() as net.AddressInfo).port}`;
            await rejectsWith(collect(TARBALL, { ...opts, endpoint }), /: access denied \(403 AccessDenied\): the credentials from the given key cannot read it$/);
        } finally {
            denied.close();
        }
    });

    it("bad input: a web server at the endpoint (its page for any path, or an error page) is named as not S3, not as a corrupt backup", async () => {
        let status = 200;
        const web = http.createServer((req, res) => {
            req.resume();
            res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
            res.end(`<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>It works!</h1></body></html>`);
        });
        await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
        try {
            const endpoint = `http://127.0.0.1:${(web.address() as net.AddressInfo).port}`;
            for (status of [200, 403, 404, 500]) {
                const line = `${TARBALL}: ${endpoint} answered with a web page (HTTP ${status}, text/html), not as S3 does: it is not an S3 endpoint; check the endpoint (Velero's s3Url) and its path`;
                await rejectsWith(collect(TARBALL, { ...opts, endpoint }), new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`));
            }
        } finally {
            web.close();
        }
    });

    it("never prints the credentials, even when the store echoes the key id back", async () => {
        const key = { accessKeyId: "AKIDLEAKCHECK0000000001", secretAccessKey: "very-secret-value-0001" };
        const err = await collect(TARBALL, { ...opts, credentials: key }).then(
            () => assert.fail("expected a 403"),
            (e: unknown) => e as Error,
        );
        for (const text of [err.message, String(err), JSON.stringify(err), err.stack ?? ""]) {
            assert.ok(!text.includes(key.accessKeyId) && !text.includes(key.secretAccessKey), text);
        }
        assert.equal(parseS3Url(TARBALL).bucket, BUCKET);
    });
});
