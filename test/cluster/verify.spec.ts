/**
 * `tke2eks verify` against a loopback Kubernetes API server serving objects shaped as a live
 * one returns them, reached by the official client through a real kubeconfig given the way the
 * complete stage's Command gives it (its content in TKE2EKS_KUBECONFIG).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { parse as parseYaml } from "yaml";
import { runVerify, type VerifyCliOptions } from "../../cli/verify";
import type { VerifyReport } from "../../cluster/verify";
import { record, str } from "../../rules/objects";
import { kubeconfig, verifyApi, type Api } from "./verifyServer";
import { captureIo } from "../support/captureIo";
import { UserError } from "../../core/errors";
import { ownedObjectsSelector } from "../../restore/ownership";
import { writeBackup } from "../preflight/backupTarball";
import { backupItems, served, servedService, servedWorkload } from "../restore/liveObjects";

const io = captureIo;

const T = "2026-12-01T10:00:00Z";

type Obj = Record<string, unknown>;

const workload = (kind: string, namespace: string, name: string, replicas = 1): Obj[] =>
    servedWorkload({
        apiVersion: "apps/v1",
        kind,
        metadata: { name, namespace },
        spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: "nginx:1.27" }] } }, ...(kind === "StatefulSet" ? { serviceName: name } : {}) },
    });
const pvc = (namespace: string, name: string, volumeName: string): Obj =>
    served({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, storageClassName: "cbs", volumeName } }, { status: { phase: "Bound" } });
const plain = (apiVersion: string, kind: string, namespace: string | undefined, name: string, extra: Obj = {}): Obj => served({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } }, extra);

/** Backup shop-1 of cluster A, live-shaped: what the API server and the controllers add, as Velero backs it up. */
function shopBackup(): Obj[] {
    return [
        plain("v1", "Namespace", undefined, "minio", { status: { phase: "Active" } }),
        plain("v1", "Namespace", undefined, "shop", { status: { phase: "Active" } }),
        ...workload("Deployment", "minio", "minio"),
        ...workload("Deployment", "shop", "web", 2),
        ...workload("DaemonSet", "shop", "log-agent"),
        ...workload("StatefulSet", "shop", "orders"),
        pvc("minio", "minio-data", "pvc-7c3d9e1f"),
        pvc("shop", "data-orders-0", "pvc-4f1e2b7a"),
        served(
            { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pvc-4f1e2b7a" }, spec: { capacity: { storage: "10Gi" }, csi: { driver: "com.tencent.cloud.csi.cbs", volumeHandle: "disk-4f1e" }, claimRef: { kind: "PersistentVolumeClaim", namespace: "shop", name: "data-orders-0" }, persistentVolumeReclaimPolicy: "Delete", storageClassName: "cbs" } },
            { status: { phase: "Bound" } },
        ),
        servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "minio", namespace: "minio" }, spec: { selector: { app: "minio" }, ports: [{ port: 9000 }] } }),
        servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "orders", namespace: "shop" }, spec: { selector: { app: "orders" }, ports: [{ port: 80 }] } }),
        servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80 }] } }),
        plain("v1", "ConfigMap", "shop", "settings", { data: { mode: "prod" } }),
        plain("v1", "Event", "shop", "web.17c0a1b2c3d4e5f6", { reason: "Scheduled", type: "Normal" }),
        plain("batch/v1beta1", "CronJob", "shop", "nightly", { spec: { schedule: "0 0 * * *", jobTemplate: { spec: {} } }, status: {} }),
        plain("snapshot.storage.k8s.io/v1", "VolumeSnapshot", "shop", "velero-data-orders-0-8xk2p", { spec: { source: { persistentVolumeClaimName: "data-orders-0" } }, status: { boundVolumeSnapshotContentName: "snapcontent-1", readyToUse: true } }),
    ];
}

const RESTORE = {
    apiVersion: "velero.io/v1",
    kind: "Restore",
    metadata: { name: "shop-1", namespace: "velero", creationTimestamp: T },
    // As the restore stage writes it (restore/manifests.ts): the owned-objects selector; DaemonSets excluded.
    spec: { backupName: "shop-1", namespaceMapping: { minio: "storage" }, excludedResources: ["nodes", "events", "daemonsets"], labelSelector: ownedObjectsSelector(), existingResourcePolicy: "none" },
    status: { phase: "Completed", progress: { totalItems: 20, itemsRestored: 20 } },
};

const restored = (name: string, namespace?: string, more: Record<string, unknown> = {}) => ({
    metadata: { name, ...(namespace ? { namespace } : {}), uid: `uid-${name}`, resourceVersion: "1", generation: 1, creationTimestamp: T, labels: { "velero.io/backup-name": "shop-1", "velero.io/restore-name": "shop-1" } },
    ...more,
});

function deployment(name: string, namespace: string, replicas: number, available: number, conditions?: Record<string, unknown>[]) {
    return restored(name, namespace, {
        spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `nginx:1.27` }] } } },
        status: {
            observedGeneration: 1,
            replicas,
            updatedReplicas: replicas,
            ...(available > 0 ? { readyReplicas: available, availableReplicas: available } : { unavailableReplicas: replicas }),
            conditions: conditions ?? [
                { type: "Available", status: "True", lastUpdateTime: T, lastTransitionTime: T, reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." },
                { type: "Progressing", status: "True", lastUpdateTime: T, lastTransitionTime: T, reason: "NewReplicaSetAvailable", message: `ReplicaSet "${name}-5d9c7b8f4" has successfully progressed.` },
            ],
        },
    });
}

const statefulSet = (name: string, namespace: string, ready: number) =>
    restored(name, namespace, { spec: { replicas: 1, serviceName: name }, status: { observedGeneration: 1, replicas: 1, currentReplicas: 1, updatedReplicas: 1, ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}) } });
const claim = (name: string, namespace: string, phase: string) => restored(name, namespace, { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, storageClassName: "cbs" }, status: { phase } });
const service = (name: string, namespace: string, type: string, ingress?: Record<string, string>[]) =>
    restored(name, namespace, { spec: { type, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }], clusterIP: "10.0.0.12" }, status: { loadBalancer: ingress ? { ingress } : {} } });
const event = (namespace: string, involved: { kind: string; name: string }, reason: string, message: string, at = T) => ({
    metadata: { name: `${involved.name}.${reason.toLowerCase()}`, namespace, creationTimestamp: at },
    involvedObject: { kind: involved.kind, namespace, name: involved.name, apiVersion: "v1" },
    reason,
    message,
    type: "Warning",
    count: 3,
    firstTimestamp: at,
    lastTimestamp: at,
    source: { component: "default-scheduler" },
});

/** B after a good restore; the web Deployment becomes available on the second look. */
function healthyB(api: Api): void {
    api.collections["/apis/velero.io/v1/namespaces/velero/restores"] = [RESTORE];
    api.collections["/api/v1/namespaces"] = [restored("shop"), restored("storage"), restored("default")];
    api.collections["/apis/apps/v1/namespaces/shop/deployments"] = (n) => [deployment("web", "shop", 2, n === 0 ? 0 : 2)];
    api.collections["/apis/apps/v1/namespaces/storage/deployments"] = [deployment("minio", "storage", 1, 1)];
    api.collections["/apis/apps/v1/namespaces/shop/statefulsets"] = [statefulSet("orders", "shop", 1)];
    api.collections["/api/v1/namespaces/shop/persistentvolumeclaims"] = [claim("data-orders-0", "shop", "Bound")];
    api.collections["/api/v1/namespaces/storage/persistentvolumeclaims"] = [claim("minio-data", "storage", "Bound")];
    api.collections["/api/v1/namespaces/shop/services"] = [service("web", "shop", "LoadBalancer", [{ ip: "150.109.1.10" }]), service("orders", "shop", "ClusterIP")];
    api.collections["/api/v1/namespaces/storage/services"] = [service("minio", "storage", "ClusterIP")];
    api.collections["/api/v1/namespaces/shop/configmaps"] = [restored("settings", "shop", { data: { mode: "prod" } }), restored("kube-root-ca.crt", "shop")];
    api.collections["/apis/batch/v1/namespaces/shop/cronjobs"] = [restored("nightly", "shop", { spec: { schedule: "0 0 * * *", jobTemplate: { spec: {} } }, status: {} })];
}

let tmp: string;
/** The backup's tarball, as Velero writes it, in a file of its own. */
async function backupFile(objects: Obj[]): Promise<string> {
    const file = path.join(tmp, `backup-${Math.random().toString(36).slice(2)}`, "shop-1.tar.gz");
    fs.mkdirSync(path.dirname(file));
    await writeBackup(file, backupItems(objects));
    return file;
}

const FAST: Omit<VerifyCliOptions, "backup"> = { restore: "shop-1", namespace: [], veleroNamespace: "velero", format: "json", timeout: "2", requestTimeout: "1", interval: "0.02" };

describe("tke2eks verify", () => {
    let api: Api;
    let env: NodeJS.ProcessEnv;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "verify-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    beforeEach(async () => {
        api = await verifyApi();
        env = { TKE2EKS_KUBECONFIG: kubeconfig(api.url), TKE2EKS_CONTEXT: "eks-b" };
    });
    afterEach(() => api.close());

    it("everything arrived and is ready: exit 0, per namespace after mapping, waiting until the Deployment is available", async () => {
        healthyB(api);
        const t = io(env);
        const code = await runVerify({ ...FAST, backup: await backupFile(shopBackup()) }, t);
        assert.equal(code, 0, t.err() + t.out());
        const report = JSON.parse(t.out()) as VerifyReport;
        assert.equal(report.ok, true);
        assert.equal(report.backup, "shop-1");
        assert.deepEqual(report.cluster, { server: api.url, context: "eks-b" });
        assert.deepEqual(Object.keys(report.namespaces), ["(cluster)", "shop", "storage"]);
        // The Namespace objects, minio restored as storage.
        assert.deepEqual(report.namespaces["(cluster)"].ready.map((o) => o.name), ["shop", "storage"]);
        assert.deepEqual(
            report.namespaces.shop.ready.map((o) => `${o.apiVersion} ${o.kind} ${o.name}`),
            ["v1 ConfigMap settings", "batch/v1 CronJob nightly", "apps/v1 Deployment web", "v1 PersistentVolumeClaim data-orders-0", "v1 Service orders", "v1 Service web", "apps/v1 StatefulSet orders"],
        );
        assert.deepEqual(report.namespaces.storage.ready.map((o) => `${o.kind} ${o.name}`), ["Deployment minio", "PersistentVolumeClaim minio-data", "Service minio"]);
        assert.deepEqual(report.summary, { expected: 12, ready: 12, notReady: 0, missing: 0, leftOut: 13 });
        assert.deepEqual([...new Set(Object.keys(report.leftOut).map((k) => k.split(":")[0]))].sort(), ["ControllerRevision", "DaemonSet", "Event", "PersistentVolume", "Pod", "ReplicaSet", "VolumeSnapshot"]);
        // Every Pod of the backup is a controller's: the Restore's labelSelector leaves all six out (restore.go:2349-2352).
        assert.equal(Object.entries(report.leftOut).filter(([k]) => k.startsWith("Pod:")).reduce((n, [, c]) => n + c, 0), 6);
        // Polled until the Deployment was available, and said so on stderr.
        assert.equal(api.requests.filter((p) => p.startsWith("/apis/apps/v1/namespaces/shop/deployments")).length, 2);
        assert.match(t.err(), /^\[\d+s\] 11\/12 ready, 1 not ready, 0 missing\n\[\d+s\] 12\/12 ready, 0 not ready, 0 missing\n$/);
        // Read-only, and the credentials never printed.
        assert.ok(!t.err().includes("s3cr3t") && !t.out().includes("s3cr3t"));
        // -o yaml: the same report (B is ready at once now, so only the time taken differs).
        const y = io(env);
        assert.equal(await runVerify({ ...FAST, format: "yaml", backup: await backupFile(shopBackup()) }, y), 0, y.err());
        const yaml = parseYaml(y.out()) as VerifyReport;
        assert.deepEqual({ ...yaml, waitedSeconds: 0 }, { ...report, waitedSeconds: 0 });
    });

    it("the table: per namespace counts and the verdict; the list may be plain JSON", async () => {
        healthyB(api);
        api.collections["/apis/apps/v1/namespaces/shop/deployments"] = [deployment("web", "shop", 2, 2)];
        const t = io(env);
        assert.equal(await runVerify({ ...FAST, format: "table", backup: await backupFile(shopBackup()) }, t), 0, t.err());
        const lines = t.out().split("\n");
        assert.match(lines[0], /^Restore shop-1 \(backup shop-1\) in cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\), checked for \d+s$/);
        assert.deepEqual(lines.slice(2, 6), ["NAMESPACE  READY  NOT READY  MISSING", "(cluster)      2          0        0", "shop           7          0        0", "storage        3          0        0"]);
        assert.match(t.out(), /Left out on purpose \(13\):\n(?: {2}\d+ × .+\n)+/);
        assert.match(t.out(), /✔ all 12 objects the backup holds for B are there and ready\n$/);
    });

    describe("what is wrong, and why (exit 1 after the timeout)", () => {
        const brokenBackup = (): Obj[] => [
            ...["web", "data", "edge", "conf"].map((n) => plain("v1", "Namespace", undefined, n, { status: { phase: "Active" } })),
            served(workload("Deployment", "web", "shop")[0]),
            served({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "pg-data", namespace: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, storageClassName: "cbs" } }, { status: { phase: "Pending" } }),
            servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "gateway", namespace: "edge" }, spec: { type: "LoadBalancer", selector: { app: "gateway" }, ports: [{ port: 443 }] } }),
            plain("v1", "ConfigMap", "conf", "settings"),
            plain("v1", "ConfigMap", "conf", "flags"),
        ];
        function brokenB(): void {
            api.collections["/apis/velero.io/v1/namespaces/velero/restores"] = [{ ...RESTORE, spec: { backupName: "shop-1" } }];
            api.collections["/api/v1/namespaces"] = ["web", "data", "edge", "conf"].map((n) => restored(n));
            api.collections["/apis/apps/v1/namespaces/web/deployments"] = [
                deployment("shop", "web", 2, 0, [
                    { type: "Available", status: "False", lastUpdateTime: T, lastTransitionTime: T, reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." },
                    { type: "Progressing", status: "False", lastUpdateTime: T, lastTransitionTime: T, reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "shop-7c5d8f9b6" has timed out progressing.' },
                ]),
            ];
            api.collections["/api/v1/namespaces/web/events"] = [
                event("web", { kind: "Pod", name: "shop-7c5d8f9b6-q8w2e" }, "Failed", 'Failed to pull image "registry.tke.internal/shop:1.4": dial tcp 10.0.3.4:443: i/o timeout'),
                event("web", { kind: "Pod", name: "other-1" }, "BackOff", "not about this Deployment"),
            ];
            api.collections["/api/v1/namespaces/data/persistentvolumeclaims"] = [claim("pg-data", "data", "Pending")];
            api.collections["/api/v1/namespaces/data/events"] = [
                event("data", { kind: "PersistentVolumeClaim", name: "pg-data" }, "ProvisioningFailed", 'storageclass.storage.k8s.io "cbs" not found'),
            ];
            api.collections["/api/v1/namespaces/edge/services"] = [service("gateway", "edge", "LoadBalancer")];
            api.collections["/api/v1/namespaces/edge/events"] = [event("edge", { kind: "Service", name: "gateway" }, "SyncLoadBalancerFailed", "Error syncing load balancer: failed to ensure load balancer: quota exceeded")];
            api.collections["/api/v1/namespaces/conf/configmaps"] = [restored("flags", "conf")];
        }
        async function only(namespace: string): Promise<{ code: number; report: VerifyReport; t: ReturnType<typeof io> }> {
            brokenB();
            const t = io(env);
            const code = await runVerify({ ...FAST, namespace: [namespace], timeout: "0.3", backup: await backupFile(brokenBackup()) }, t);
            return { code, report: JSON.parse(t.out()) as VerifyReport, t };
        }

        it("a Deployment that never becomes available: its conditions and its Pods' warning events", async () => {
            const { code, report } = await only("web");
            assert.equal(code, 1);
            assert.equal(report.ok, false);
            assert.deepEqual(report.namespaces.web.ready.map((o) => o.name), []);
            const [d] = report.namespaces.web.notReady;
            assert.equal(`${d.kind} ${d.name}`, "Deployment shop");
            assert.equal(
                d.reason,
                "0/2 replicas available; Available: MinimumReplicasUnavailable: Deployment does not have minimum availability.; " +
                    'Progressing: ProgressDeadlineExceeded: ReplicaSet "shop-7c5d8f9b6" has timed out progressing.; ' +
                    'events: Failed: Failed to pull image "registry.tke.internal/shop:1.4": dial tcp 10.0.3.4:443: i/o timeout',
            );
            // The Namespace object itself is there.
            assert.deepEqual(report.namespaces["(cluster)"].ready.map((o) => o.name), ["web"]);
        });

        it("a PVC Pending, with its provisioning event", async () => {
            const { code, report, t } = await only("data");
            assert.equal(code, 1);
            assert.deepEqual(report.namespaces.data.notReady, [{ apiVersion: "v1", kind: "PersistentVolumeClaim", name: "pg-data", reason: 'phase Pending (not Bound); events: ProvisioningFailed: storageclass.storage.k8s.io "cbs" not found' }]);
            assert.match(t.err(), /\] 1\/2 ready, 1 not ready, 0 missing\n$/);
        });

        it("a LoadBalancer Service without an address", async () => {
            const { code, report } = await only("edge");
            assert.equal(code, 1);
            assert.equal(report.namespaces.edge.notReady[0].reason, "LoadBalancer without an address yet (status.loadBalancer.ingress is empty); events: SyncLoadBalancerFailed: Error syncing load balancer: failed to ensure load balancer: quota exceeded");
        });

        it("a missing object; the table says what and where; --warn-only reports it and exits 0", async () => {
            const { code, report } = await only("conf");
            assert.equal(code, 1);
            assert.deepEqual(report.namespaces.conf, { ready: [{ apiVersion: "v1", kind: "ConfigMap", name: "flags" }], notReady: [], missing: [{ apiVersion: "v1", kind: "ConfigMap", name: "settings" }] });
            const table = io(env);
            assert.equal(await runVerify({ ...FAST, format: "table", namespace: ["conf", "web"], timeout: "0", backup: await backupFile(brokenBackup()) }, table), 1);
            assert.match(table.out(), /\nconf\n {2}missing {4}ConfigMap settings\n/);
            assert.match(table.out(), /\nweb\n {2}not ready {2}Deployment shop: 0\/2 replicas available; /);
            assert.match(table.out(), /✖ 1 missing, 1 not ready, 3 of 5 ready\n$/);
            const warn = io(env);
            assert.equal(await runVerify({ ...FAST, namespace: ["conf"], timeout: "0", warnOnly: true, backup: await backupFile(brokenBackup()) }, warn), 0);
            assert.equal((JSON.parse(warn.out()) as VerifyReport).ok, false);
            assert.match(warn.err(), /tke2eks: warning: 1 missing, 0 not ready in cluster B \(not failing: --warn-only\)/);
        });
    });

    it("without --backup: the tarball and the volume info from the bucket through B's Velero (DownloadRequests and their signed URLs)", async () => {
        healthyB(api);
        api.collections["/apis/apps/v1/namespaces/shop/deployments"] = [deployment("web", "shop", 2, 2)];
        const created: Record<string, unknown>[] = [];
        const files: Record<string, string> = { BackupContents: "shop-1.tar.gz", BackupVolumeInfos: "shop-1-volumeinfo.json.gz" };
        api.onCreate["/apis/velero.io/v1/namespaces/velero/downloadrequests"] = (body) => {
            created.push(body);
            // Velero fills the status with a signed URL into the bucket.
            const file = files[str(record(record(body.spec).target).kind) ?? ""];
            return { ...body, status: { phase: "Processed", downloadURL: `${api.url}/bucket/velero/backups/shop-1/${file}?X-Amz-Signature=abc123`, expiration: T } };
        };
        api.files["/bucket/velero/backups/shop-1/shop-1.tar.gz"] = fs.readFileSync(await backupFile(shopBackup()));
        // The claim data-orders-0's volume came through a CSI snapshot: its PV is re-provisioned (restore.go:1238-1244).
        api.files["/bucket/velero/backups/shop-1/shop-1-volumeinfo.json.gz"] = gzipSync(JSON.stringify([{ pvcName: "data-orders-0", pvcNamespace: "shop", pvName: "pvc-4f1e2b7a", backupMethod: "CSISnapshot", snapshotDataMoved: false, skipped: false, pvInfo: { reclaimPolicy: "Delete", labels: {} } }]));
        const t = io(env);
        assert.equal(await runVerify({ ...FAST }, t), 0, t.err());
        const report = JSON.parse(t.out()) as VerifyReport;
        assert.equal(report.summary.ready, 12);
        assert.ok(Object.keys(report.leftOut).some((k) => k.startsWith("PersistentVolume: re-provisioned by its claim under a new name, not restored: made anew from its CSI snapshot (restore.go:1238-1244)") && !k.includes("assumed")), Object.keys(report.leftOut).join("\n"));
        assert.deepEqual(created.map((c) => record(c).spec), [{ target: { kind: "BackupContents", name: "shop-1" } }, { target: { kind: "BackupVolumeInfos", name: "shop-1" } }]);
        assert.match(str(record(record(created[0]).metadata).name) ?? "", /^shop-1-contents-[0-9a-f]{8}$/);
        assert.ok(!t.err().includes("Signature"), "the signed URL is never printed");

        // A backup without volume info (Velero < 1.13): 404 from the bucket, and the model says what it assumed.
        delete api.files["/bucket/velero/backups/shop-1/shop-1-volumeinfo.json.gz"];
        const old = io(env);
        assert.equal(await runVerify({ ...FAST }, old), 0, old.err());
        assert.ok(Object.keys((JSON.parse(old.out()) as VerifyReport).leftOut).some((k) => k.startsWith("PersistentVolume:") && k.includes("assumed: no volume info was read beside the backup")));

        // Velero never answers (backup not synced, location Unavailable): a clear failure, exit 1.
        api.onCreate["/apis/velero.io/v1/namespaces/velero/downloadrequests"] = (body) => body;
        const silent = io(env);
        assert.equal(await runVerify({ ...FAST, timeout: "0.2" }, silent), 1);
        assert.match(silent.err(), /^tke2eks: Velero in cluster \S+ \(context eks-b\) gave no download URL for backup shop-1's tarball within 0s \(is the backup there and its storage location Available\? /);
        // The bucket refuses the URL.
        api.onCreate["/apis/velero.io/v1/namespaces/velero/downloadrequests"] = (body) => ({ ...body, status: { phase: "Processed", downloadURL: `${api.url}/bucket/expired?X-Amz-Signature=abc123` } });
        const refused = io(env);
        assert.equal(await runVerify({ ...FAST }, refused), 1);
        assert.match(refused.err(), /^tke2eks: cannot download backup shop-1's tarball from the bucket: HTTP 404\n$/);
    });

    it("a request that fails for a while is tried again until the deadline; discovery failing ends in one line naming it", async () => {
        healthyB(api);
        api.collections["/apis/apps/v1/namespaces/shop/deployments"] = [deployment("web", "shop", 2, 2)];
        api.flaky["/api/v1/namespaces/shop/configmaps"] = [500, 503];
        const t = io(env);
        assert.equal(await runVerify({ ...FAST, backup: await backupFile(shopBackup()) }, t), 0, t.err());
        assert.equal(api.requests.filter((p) => p.startsWith("/api/v1/namespaces/shop/configmaps")).length, 3);
        api.refuse["/apis/apps/v1"] = 500;
        const broken = io(env);
        assert.equal(await runVerify({ ...FAST, timeout: "0.3", requestTimeout: "0.3", backup: await backupFile(shopBackup()) }, broken), 1);
        const lines = broken.err().trimEnd().split("\n");
        // Each retry is announced on one line; the last line is the failure.
        assert.ok(lines.length > 1 && lines.slice(0, -1).every((l) => l.startsWith("tke2eks verify: cannot discover apps/v1 Deployment on cluster ")), broken.err());
        assert.match(
            lines[lines.length - 1],
            /^tke2eks: gave up after 0\.6s \(--timeout plus one --request-timeout for the last check\) while trying to discover apps\/v1 Deployment on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\); last error: 500 Internal Server Error$/,
        );
    });

    it("401 and 403 stop at once, naming what was refused", async () => {
        healthyB(api);
        api.refuse["/apis/apps/v1/namespaces/storage/deployments"] = 403;
        const forbidden = io(env);
        assert.equal(await runVerify({ ...FAST, timeout: "30", backup: await backupFile(shopBackup()) }, forbidden), 1);
        assert.match(forbidden.err(), /^tke2eks: cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\): not allowed to list deployments\.apps in namespace storage \(403 Forbidden\)\n$/);
        assert.equal(forbidden.out(), "");
        api.refuse["/apis/velero.io/v1/namespaces/velero/restores/shop-1"] = 401;
        const unauthorized = io(env);
        assert.equal(await runVerify({ ...FAST, backup: await backupFile(shopBackup()) }, unauthorized), 1);
        assert.match(unauthorized.err(), /^tke2eks: cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\) refused the credentials \(401 Unauthorized\) to get restores\.velero\.io velero\/shop-1\n$/);
    });

    it("bad input: exit 2 with one line naming the flag, file or object", async () => {
        healthyB(api);
        const good = await backupFile(shopBackup());
        const notGzip = path.join(tmp, "notgzip.tar.gz");
        fs.writeFileSync(notGzip, "{not a tarball");
        const cases: [Partial<VerifyCliOptions>, RegExp][] = [
            [{ backup: path.join(tmp, "nope.tar.gz") }, /nope\.tar\.gz: no such file$/],
            [{ backup: notGzip }, /notgzip\.tar\.gz/],
            [{ backup: good, restore: "Shop_1" }, /^--restore "Shop_1": must be a Restore's name/],
            [{ backup: good, namespace: ["shop", "Bad NS"] }, /^--namespace "Bad NS": must be a namespace name$/],
            [{ backup: good, format: "xml" }, /^-o\/--output "xml": use one of table, json, yaml$/],
            [{ backup: good, timeout: "soon" }, /^--timeout soon: must be a duration like 30s, 10m or 1h30m \(a plain number is seconds\), at least 0s$/],
            [{ backup: good, requestTimeout: "0" }, /^--request-timeout 0: must be a duration like 30s, 10m or 1h30m \(a plain number is seconds\), at least 0\.1s$/],
            [{ backup: good, restore: "shop-2" }, /^no Restore velero\/shop-2 in cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\); check the name and --velero-namespace$/],
            [{ backup: good, namespace: ["shop", "shpo"] }, /^backup shop-1 holds nothing the Restore brings to namespace shpo of cluster B \(namespaces it brings: shop, storage\)$/],
            [{ backup: await backupFile(workload("Deployment", "shop", "web").filter((o) => o.kind === "Pod")) }, /^backup shop-1 holds nothing the Restore shop-1 brings to cluster B: nothing to verify$/],
            [{ backup: good, context: "eks-c" }, /^kubeconfig from \$TKE2EKS_KUBECONFIG: no context "eks-c" \(contexts: eks-b\)$/],
        ];
        for (const [opts, message] of cases) {
            await assert.rejects(runVerify({ ...FAST, ...opts } as VerifyCliOptions, io(env)), (err: unknown) => {
                assert.ok(err instanceof UserError, String(err));
                assert.equal(err.exitCode, 2);
                assert.match(err.message, message);
                assert.ok(!err.message.includes("\n"), "one line");
                return true;
            });
        }
    });
});
