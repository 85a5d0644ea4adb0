import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { BackupVersions, backupItemGroupResource, readBackup, readBackupVersions } from "../../preflight/backup";
import { formatOrigin, type ScanEvent } from "../../preflight/types";
import { writeBackup } from "./backupTarball";
import { UserError } from "../../core/errors";

async function collect(file: string): Promise<ScanEvent[]> {
    return readBackup(file, undefined, async (events) => {
        const out: ScanEvent[] = [];
        for await (const e of events) out.push(e);
        return out;
    });
}

const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { replicas: 2 } };
const service = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort" } };
const snapclass = { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "cbs" }, driver: "com.tencent.cloud.csi.cbs", deletionPolicy: "Delete" };

describe("preflight: Velero backup input", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-backup-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("knows which entries are the unversioned item copies", () => {
        assert.equal(backupItemGroupResource("resources/deployments.apps/namespaces/shop/web.json"), "deployments.apps");
        assert.equal(backupItemGroupResource("resources/volumesnapshotclasses.snapshot.storage.k8s.io/cluster/cbs.json"), "volumesnapshotclasses.snapshot.storage.k8s.io");
        assert.equal(backupItemGroupResource("resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json"), undefined);
        assert.equal(backupItemGroupResource("resources/horizontalpodautoscalers.autoscaling/v2beta2/namespaces/shop/web.json"), undefined);
        assert.equal(backupItemGroupResource("resources/services/cluster/namespaces/x.json"), undefined);
        assert.equal(backupItemGroupResource("metadata/version"), undefined);
    });

    it("streams each object once with its group-resource, whatever API group versions Velero also wrote", async () => {
        const file = path.join(dir, "backup.tar.gz");
        await writeBackup(file, [
            { groupResource: "deployments.apps", obj: deployment, versions: { preferred: "v1" } },
            { groupResource: "services", obj: service, versions: { preferred: "v1" } },
            { groupResource: "volumesnapshotclasses.snapshot.storage.k8s.io", obj: snapclass, versions: { preferred: "v1", others: ["v1beta1"] } },
        ]);
        const events = await collect(file);
        assert.deepEqual(
            events.map((e) => ("item" in e ? [e.item.groupResource, e.item.obj.kind, formatOrigin(e.item.origin)] : e)),
            [
                ["deployments.apps", "Deployment", `${file}#resources/deployments.apps/namespaces/shop/web.json`],
                ["services", "Service", `${file}#resources/services/namespaces/shop/web.json`],
                ["volumesnapshotclasses.snapshot.storage.k8s.io", "VolumeSnapshotClass", `${file}#resources/volumesnapshotclasses.snapshot.storage.k8s.io/cluster/cbs.json`],
            ],
        );
        assert.deepEqual((events[0] as { item: { obj: unknown } }).item.obj, deployment);
    });

    it("reports a malformed item and goes on", async () => {
        const file = path.join(dir, "bad-item.tar.gz");
        await writeBackup(file, [{ groupResource: "services", obj: service }], [{ name: "resources/pods/namespaces/shop/broken.json", body: "{not json" }]);
        const events = await collect(file);
        assert.equal(events.length, 2);
        assert.ok("problem" in events[0]);
        assert.equal(formatOrigin(events[0].problem.origin), `${file}#resources/pods/namespaces/shop/broken.json`);
        assert.match(events[0].problem.message, /^malformed JSON: /);
        assert.ok("item" in events[1]);
    });

    it("fails with one line naming the file when it is missing, not gzip, truncated or not a backup", async () => {
        const expect = async (file: string, pattern: RegExp) =>
            assert.rejects(collect(file), (err: unknown) => err instanceof UserError && pattern.test(err.message) && !err.message.includes("\n"));
        await expect(path.join(dir, "missing.tar.gz"), /missing\.tar\.gz: no such file$/);

        const notGzip = path.join(dir, "plain.tar.gz");
        fs.writeFileSync(notGzip, "this is not a tarball");
        await expect(notGzip, /plain\.tar\.gz: not gzip-compressed: it starts with "this is not a tarball"; a Velero backup is a gzip-compressed tar archive/);

        const good = path.join(dir, "good.tar.gz");
        await writeBackup(good, [{ groupResource: "services", obj: service }]);
        const truncated = path.join(dir, "truncated.tar.gz");
        const bytes = fs.readFileSync(good);
        fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
        await expect(truncated, /truncated\.tar\.gz: truncated: the gzip data ends early \(an interrupted download or upload\?\)$/);

        const notTar = path.join(dir, "logs.gz");
        fs.writeFileSync(notTar, gzipSync(Buffer.from("level=info msg=\"backup completed\"\n".repeat(20))));
        await expect(notTar, /logs\.gz: the gzip data holds no tar archive, or a damaged one; a Velero backup is a gzip-compressed tar archive/);

        const empty = path.join(dir, "empty.tar.gz");
        await writeBackup(empty, []);
        await expect(empty, /empty\.tar\.gz: no resources\/<group-resource>\/… entries; is it a Velero backup/);
    });

    it("collects A's versions per group-resource from the version folders Velero writes (pkg/archive/parser.go:186-240)", async () => {
        const file = path.join(dir, "versions.tar.gz");
        const hpa = { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "shop" }, spec: {} };
        await writeBackup(file, [
            { groupResource: "horizontalpodautoscalers.autoscaling", obj: hpa, versions: { preferred: "v1", others: ["v2beta2", "v2beta1"] } },
            { groupResource: "deployments.apps", obj: deployment, versions: { preferred: "v1" } },
            { groupResource: "services", obj: service, versions: "none" },
        ]);
        const versions = await readBackupVersions(file);
        assert.deepEqual(versions.of("autoscaling", "HorizontalPodAutoscaler"), { preferred: "v1", versions: ["v1", "v2beta2", "v2beta1"] });
        assert.deepEqual(versions.of("apps", "Deployment"), { preferred: "v1", versions: ["v1"] });
        assert.equal(versions.of("", "Service"), undefined, "no version folders (a backup before format 1.1.0): the object's own version decides");
        assert.equal(versions.of("batch", "CronJob"), undefined);
    });

    it("reads no version from the namespaces/ and cluster/ folders", () => {
        const v = new BackupVersions();
        v.noteEntry("resources/pods/namespaces/shop/web.json");
        v.noteEntry("resources/pods/cluster/x.json");
        v.noteEntry("resources/pods/v1-preferredversion/namespaces/shop/web.json");
        v.noteItem("pods", { apiVersion: "v1", kind: "Pod" });
        assert.deepEqual(v.of("", "Pod"), { preferred: "v1", versions: ["v1"] });
    });
});
