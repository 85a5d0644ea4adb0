/**
 * What `verify` expects in B: what Velero restores, by the model the restore preview asks
 * (restore/veleroModel.ts), over live-shaped backups. Each case cites the Velero code it
 * follows (v1.18.x, pkg/restore/ unless said otherwise) and failed on the code before the
 * shared model (a fixed list of left-out kinds, the Restore's selector ignored).
 */
import { strict as assert } from "node:assert";
import { expectedInB, type BackedUpItem } from "../../restore/expected";
import type { RestoreSpec } from "../../restore/filters";
import { ownedObjectsSelector } from "../../restore/ownership";
import { VeleroRestoreModel } from "../../restore/veleroModel";
import type { VolumeInfo } from "../../restore/volumeInfo";
import { engineOptions } from "../../rules/engine";
import { ruleFixes, veleroApplier } from "../../restore/fixes";
import { RestorePipeline } from "../../restore/pipeline";
import { backupItems, served, servedWorkload } from "./liveObjects";

type Obj = Record<string, unknown>;

const STAGE_SPEC: RestoreSpec = { backupName: "shop-1", labelSelector: ownedObjectsSelector() };

function expect(objects: Obj[], spec: Partial<RestoreSpec> = {}, volumes?: VolumeInfo[]) {
    const model = new VeleroRestoreModel({ spec: { ...STAGE_SPEC, ...spec }, volumes: volumes && new Map(volumes.map((v) => [v.pvName, v])) });
    const items: BackedUpItem[] = backupItems(objects);
    const result = expectedInB(items, model);
    return { ...result, names: result.expected.map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`) };
}

const ns = (name: string) => served({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name } } }, { status: { phase: "Active" } });
const ownedBy = (owner: Obj, controller: boolean) => {
    const m = owner.metadata as Obj;
    return [{ apiVersion: owner.apiVersion, kind: owner.kind, name: m.name, uid: m.uid, controller, blockOwnerDeletion: controller }];
};

/** A Job as the API server and the Job controller leave it, and its Pods. */
function job(name: string, done: "Complete" | "Failed" | undefined): Obj[] {
    const uid = `uid-${name}`;
    const labels = { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name, "controller-uid": uid, "job-name": name };
    const status = done === "Complete" ? { startTime: "2026-12-01T02:00:00Z", completionTime: "2026-12-01T02:03:10Z", succeeded: 1, conditions: [{ type: "Complete", status: "True" }] } : done === "Failed" ? { startTime: "2026-12-01T02:00:00Z", failed: 6, conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] } : { startTime: "2026-12-01T02:00:00Z", active: 1 };
    const j = served(
        { apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace: "shop", labels }, spec: { backoffLimit: 6, completions: 1, parallelism: 1, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": uid } }, template: { metadata: { labels }, spec: { restartPolicy: "Never", containers: [{ name: "run", image: "busybox:1.36" }] } } } },
        { status, metadata: { uid } },
    );
    const phase = done === "Complete" ? "Succeeded" : done === "Failed" ? "Failed" : "Running";
    const pod = served({ apiVersion: "v1", kind: "Pod", metadata: { name: `${name}-x7k2p`, namespace: "shop", labels }, spec: { restartPolicy: "Never", nodeName: "10.0.1.40", containers: [{ name: "run", image: "busybox:1.36" }] } }, { status: { phase }, metadata: { ownerReferences: ownedBy(j, true) } });
    return [j, pod];
}

/** A service account with a legacy token secret, as the token controller made it before Kubernetes 1.24. */
function accountWithToken(namespace: string, account: string): Obj[] {
    const sa = served({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, namespace } }, { secrets: [{ name: `${account}-token-4kq9z` }] });
    const secret = served(
        { apiVersion: "v1", kind: "Secret", metadata: { name: `${account}-token-4kq9z`, namespace, annotations: { "kubernetes.io/service-account.name": account, "kubernetes.io/service-account.uid": "3f1c2b7a-0000-4000-8000-000000000001" } }, type: "kubernetes.io/service-account-token" },
        { data: { token: "ZXlK", "ca.crt": "LS0t", namespace: Buffer.from(namespace).toString("base64") } },
    );
    return [sa, secret];
}

const pv = (name: string, claim: string, reclaim: "Delete" | "Retain", csi = true) =>
    served(
        {
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name, annotations: { "pv.kubernetes.io/provisioned-by": "com.tencent.cloud.csi.cbs" }, finalizers: ["kubernetes.io/pv-protection"] },
            spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], ...(csi ? { csi: { driver: "com.tencent.cloud.csi.cbs", volumeHandle: `disk-${name}`, fsType: "ext4" } } : { hostPath: { path: `/data/${name}` } }), claimRef: { kind: "PersistentVolumeClaim", namespace: "shop", name: claim, uid: "c1", resourceVersion: "7" }, persistentVolumeReclaimPolicy: reclaim, storageClassName: "cbs", volumeMode: "Filesystem" },
        },
        { status: { phase: "Bound" } },
    );
const pvc = (name: string, volumeName: string) =>
    served(
        { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: "shop", annotations: { "pv.kubernetes.io/bind-completed": "yes", "volume.kubernetes.io/storage-provisioner": "com.tencent.cloud.csi.cbs" }, finalizers: ["kubernetes.io/pvc-protection"] }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, storageClassName: "cbs", volumeMode: "Filesystem", volumeName } },
        { status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "10Gi" } } },
    );
const volumeInfo = (pvName: string, backupMethod: string, reclaimPolicy = "Delete"): VolumeInfo => ({ pvName, backupMethod, snapshotDataMoved: false, reclaimPolicy });

describe("verify expects what Velero restores (the model restore-preview shares)", () => {
    it("1. completed Jobs, Succeeded and Failed Pods are not expected (restore.go:1166-1173, isCompleted 2154-2177); a running Job and its Pod are", () => {
        const { names, leftOut } = expect([ns("shop"), ...job("nightly-29001", "Complete"), ...job("nightly-29002", "Failed"), ...job("report", undefined)]);
        assert.deepEqual(names, ["Namespace shop", "Job shop/nightly-29002", "Job shop/report", "Pod shop/report-x7k2p"]);
        assert.deepEqual(leftOut, {
            "Job: Velero default: the Job has completed (restore.go:2167)": 1,
            "Pod: Velero default: the Pod has completed (phase Succeeded) (restore.go:2161)": 1,
            "Pod: Velero default: the Pod has completed (phase Failed) (restore.go:2161)": 1,
        });
    });

    it("1/4. a <sa>-token-* Secret of type service-account-token whose account is in B is not expected (secret_action.go:75-90; ServiceAccounts restore first, config.go:120-123)", () => {
        const opaque = served({ apiVersion: "v1", kind: "Secret", metadata: { name: "builder-token-by-hand", namespace: "shop" }, type: "Opaque" }, { data: { a: "Yg==" } });
        const { names, leftOut } = expect([ns("shop"), ...accountWithToken("shop", "builder"), ...accountWithToken("shop", "default"), opaque]);
        assert.deepEqual(names, ["Namespace shop", "ServiceAccount shop/builder", "ServiceAccount shop/default", "Secret shop/builder-token-by-hand"]);
        assert.equal(Object.keys(leftOut).length, 2);
        assert.ok(Object.keys(leftOut).every((k) => k.startsWith("Secret: Velero default: service account ") && k.includes("(secret_action.go:80-87)")), Object.keys(leftOut).join("\n"));
    });

    it("4. under a namespace mapping the token secret comes back: the action lists accounts in the Secret's namespace as backed up, before the mapping (restore.go:1474)", () => {
        const { names } = expect([ns("shop"), ...accountWithToken("shop", "builder")], { namespaceMapping: { shop: "shop-eks" } });
        assert.deepEqual(names, ["Namespace shop-eks", "ServiceAccount shop-eks/builder", "Secret shop-eks/builder-token-4kq9z"]);
    });

    it("1. the Restore's labelSelector (restore.go:2349-2352): ReplicaSets, Pods and the ControllerRevisions of StatefulSets and DaemonSets stay out", () => {
        const objects = [ns("shop"), ...["Deployment", "StatefulSet", "DaemonSet"].flatMap((kind) => servedWorkload({ apiVersion: "apps/v1", kind, metadata: { name: kind.toLowerCase(), namespace: "shop" }, spec: { replicas: 1, selector: { matchLabels: { app: kind } }, template: { metadata: { labels: { app: kind } }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } } } }))];
        const { names, leftOut } = expect(objects, { excludedResources: ["daemonsets"] });
        assert.deepEqual(names, ["Namespace shop", "Deployment shop/deployment", "StatefulSet shop/statefulset"]);
        const kinds = Object.keys(leftOut).map((k) => k.split(":")[0]);
        assert.ok(kinds.includes("ControllerRevision") && kinds.includes("ReplicaSet") && kinds.includes("Pod"), kinds.join(", "));
    });

    it("a non-controller owner reference changes nothing: the object is expected, as Velero only drops ownerReferences (restore.go:2115)", () => {
        const cm = served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web-config", namespace: "shop" } }, { data: { a: "b" } });
        const app = served({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "shop", namespace: "shop" } });
        (cm.metadata as Obj).ownerReferences = ownedBy(app, false);
        const items = [{ obj: cm, groupResource: "configmaps" }];
        const model = new VeleroRestoreModel({ spec: STAGE_SPEC });
        assert.deepEqual(expectedInB(items, model).expected.map((o) => o.name), ["web-config"]);
        assert.deepEqual(pipeline(STAGE_SPEC).preview(cm, "configmaps").reasons, [], "no owner is named: it is not a controller");
    });

    it("5. the always-included datauploads and volumesnapshotcontents bypass the namespace filter and the selector (restore.go:86-89, 2265, 2349); the DataUpload becomes a ConfigMap (dataupload_retrieve_action.go:117), the content is renamed (volumesnapshotcontent_action.go:93)", () => {
        const du = served({ apiVersion: "velero.io/v2alpha1", kind: "DataUpload", metadata: { name: "shop-1-x2x9k", namespace: "velero", labels: { "velero.io/backup-name": "shop-1" } }, spec: { snapshotType: "CSI", sourcePVC: "data", sourceNamespace: "shop" } }, { status: { phase: "Completed" } });
        const vsc = served({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotContent", metadata: { name: "snapcontent-1", labels: { "pod-template-hash": "x" } }, spec: { driver: "com.tencent.cloud.csi.cbs", deletionPolicy: "Retain", source: { snapshotHandle: "snap-1" }, volumeSnapshotRef: { name: "v", namespace: "shop" } } }, { status: { readyToUse: true } });
        const model = new VeleroRestoreModel({ spec: { ...STAGE_SPEC, includedNamespaces: ["shop"] } });
        assert.match(model.choose(du, "datauploads.velero.io").reason ?? "", /dataupload_retrieve_action\.go:117/);
        assert.equal(model.choose(du, "datauploads.velero.io").restored, false);
        // Cluster-scoped: the collection pass still drops it when only some namespaces are restored (restore.go:2275); its VolumeSnapshot brings it back as an additional item.
        const c = new VeleroRestoreModel({ spec: STAGE_SPEC }).choose(vsc, "volumesnapshotcontents.snapshot.storage.k8s.io");
        assert.equal(c.restored, true, "the labelSelector does not apply to it");
        assert.match(c.renamed ?? "", /volumesnapshotcontent_action\.go:93/);
    });

    it("5. restorePVs: false skips VolumeSnapshots, their contents and classes (csi/volumesnapshot_action.go:237, volumesnapshotcontent_action.go:62, volumesnapshotclass_action.go:52); automanaged APIServices are never restored (apiservice_action.go:50)", () => {
        const vs = served({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshot", metadata: { name: "velero-data-8xk2p", namespace: "shop" }, spec: { source: { persistentVolumeClaimName: "data" } } }, { status: { boundVolumeSnapshotContentName: "snapcontent-1", readyToUse: true } });
        const vsclass = served({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "cbs", labels: { "velero.io/csi-volumesnapshot-class": "true" } }, driver: "com.tencent.cloud.csi.cbs", deletionPolicy: "Retain" });
        const auto = served({ apiVersion: "apiregistration.k8s.io/v1", kind: "APIService", metadata: { name: "v1.apps", labels: { "kube-aggregator.kubernetes.io/automanaged": "onstart" } }, spec: { group: "apps", version: "v1", groupPriorityMinimum: 17800, versionPriority: 15 } });
        const metrics = served({ apiVersion: "apiregistration.k8s.io/v1", kind: "APIService", metadata: { name: "v1beta1.metrics.k8s.io" }, spec: { group: "metrics.k8s.io", version: "v1beta1", service: { name: "metrics-server", namespace: "kube-system" }, groupPriorityMinimum: 100, versionPriority: 100 } });
        const off = expect([ns("shop"), vs, vsclass, auto, metrics], { restorePVs: false });
        assert.deepEqual(off.names, ["Namespace shop", "APIService v1beta1.metrics.k8s.io"]);
        assert.equal(Object.keys(off.leftOut).filter((k) => k.includes("restorePVs is false")).length, 2);
        const on = expect([ns("shop"), vs, vsclass, auto]);
        assert.deepEqual(on.names, ["Namespace shop", "VolumeSnapshotClass cbs"], "the VolumeSnapshot comes back under a new name (csi/volumesnapshot_action.go:264-271)");
    });

    it("2. volumes by how they were backed up (restore.go:1216-1308): CSI snapshot and no-backup Delete re-provisioned; Retain and native snapshots restored", () => {
        const objects = [ns("shop"), pv("pvc-csi", "a", "Delete"), pv("pvc-none", "b", "Delete"), pv("pvc-keep", "c", "Retain"), pv("pvc-native", "d", "Delete")];
        const volumes = [volumeInfo("pvc-csi", "CSISnapshot"), volumeInfo("pvc-none", ""), volumeInfo("pvc-keep", "", "Retain"), volumeInfo("pvc-native", "NativeSnapshot")];
        assert.deepEqual(expect(objects, {}, volumes).names, ["Namespace shop", "PersistentVolume pvc-keep", "PersistentVolume pvc-native"]);
        // restorePVs: false does not bring a CSI-snapshotted PV back (restore.go:1238-1244 returns before it is read).
        assert.deepEqual(expect(objects, { restorePVs: false }, volumes).names, ["Namespace shop", "PersistentVolume pvc-keep", "PersistentVolume pvc-native"]);
    });

    it("3. a bound PV comes back as its claim's additional item though the Restore names only some namespaces (pvc_action.go:122; restore.go:1118-1135); includeClusterResources: false stops it (restore.go:1156)", () => {
        const objects = [ns("shop"), pv("pvc-keep", "data", "Retain"), pvc("data", "pvc-keep")];
        const volumes = [volumeInfo("pvc-keep", "", "Retain")];
        assert.deepEqual(expect(objects, { includedNamespaces: ["shop"] }, volumes).names, ["Namespace shop", "PersistentVolume pvc-keep", "PersistentVolumeClaim shop/data"]);
        assert.deepEqual(expect(objects, { includedNamespaces: ["shop"], includeClusterResources: false }, volumes).names, ["Namespace shop", "PersistentVolumeClaim shop/data"]);
        assert.deepEqual(expect(objects, { includedNamespaces: ["other"] }, volumes).names, []);
    });

    it("8. a bare resource name resolves to one group, as discovery does (includes_excludes.go:276-283); the lists are gobwas globs (includes_excludes.go:49)", () => {
        const ingress = served({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: "shop" }, spec: { rules: [] } });
        const custom = served({ apiVersion: "contour.example.com/v1", kind: "Ingress", metadata: { name: "web", namespace: "shop" }, spec: {} });
        const cm = served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "shop" } });
        const secret = served({ apiVersion: "v1", kind: "Secret", metadata: { name: "tls", namespace: "shop" }, type: "kubernetes.io/tls" });
        const items = [
            { obj: ingress, groupResource: "ingresses.networking.k8s.io" },
            { obj: custom, groupResource: "ingresses.contour.example.com" },
            { obj: cm, groupResource: "configmaps" },
            { obj: secret, groupResource: "secrets" },
        ];
        const names = (spec: Partial<RestoreSpec>) => expectedInB(items, new VeleroRestoreModel({ spec: { ...STAGE_SPEC, ...spec } })).expected.map((o) => `${o.resource}`);
        assert.deepEqual(names({ excludedResources: ["ingresses"] }), ["ingresses.contour.example.com", "configmaps", "secrets"]);
        assert.deepEqual(names({ excludedResources: ["{configmaps,secrets}"] }), ["ingresses.networking.k8s.io", "ingresses.contour.example.com"]);
        assert.deepEqual(names({ includedResources: ["ingresses.*"] }), ["ingresses.networking.k8s.io", "ingresses.contour.example.com"]);
    });
});

function pipeline(spec: RestoreSpec, volumes?: VolumeInfo[]): RestorePipeline {
    const engine = engineOptions("eks");
    return new RestorePipeline({ spec, restoreName: "shop-1", veleroVersion: "v1.18.2", engine, fixes: ruleFixes(engine, "v1.18.2"), applier: veleroApplier("v1.18.2"), volumes: volumes && new Map(volumes.map((v) => [v.pvName, v])) });
}

describe("restore-preview and verify cannot disagree", () => {
    it("over one live-shaped backup, what the preview restores (restored or fixed, under its own name) is exactly what verify expects", () => {
        const objects = [
            ns("shop"),
            ...job("nightly-29001", "Complete"),
            ...job("report", undefined),
            ...accountWithToken("shop", "builder"),
            ...servedWorkload({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } }),
            pv("pvc-csi", "data", "Delete"),
            pvc("data", "pvc-csi"),
            pv("pvc-keep", "keep", "Retain", false),
            pvc("keep", "pvc-keep"),
        ];
        const volumes = [volumeInfo("pvc-csi", "CSISnapshot"), volumeInfo("pvc-keep", "", "Retain")];
        for (const spec of [STAGE_SPEC, { ...STAGE_SPEC, namespaceMapping: { shop: "shop-eks" } }, { ...STAGE_SPEC, restorePVs: false }, { ...STAGE_SPEC, includedNamespaces: ["shop"] }]) {
            const p = pipeline(spec, volumes);
            const previewed = backupItems(objects)
                .map((i) => p.preview(i.obj, i.groupResource))
                .filter((o) => o.outcome !== "skipped" && o.outcome !== "refused" && o.restoredAs)
                .map((o) => `${o.kind} ${o.restoredAs?.namespace ? `${o.restoredAs.namespace}/` : ""}${o.restoredAs?.name}`);
            assert.deepEqual(expect(objects, spec, volumes).names, previewed, JSON.stringify(spec));
        }
    });

    it("what B's controllers make in every namespace (kube-root-ca.crt, the default ServiceAccount) Velero finds there and keeps, unless it has something to merge or the policy is update (restore.go:1533-1649 at v1.18.2; seen in the sandbox e2e)", () => {
        const rootCa = served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-root-ca.crt", namespace: "shop" } }, { data: { "ca.crt": "A's CA" } });
        const sa = served({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "shop" } });
        const other = served({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "deployer", namespace: "shop" } });
        const model = new VeleroRestoreModel({ spec: STAGE_SPEC });
        assert.equal(model.choose(rootCa, "configmaps").restored, false);
        assert.match(model.choose(rootCa, "configmaps").reason ?? "", /root-ca-cert-publisher/);
        assert.equal(model.choose(sa, "serviceaccounts").restored, false);
        assert.equal(model.choose(other, "serviceaccounts").restored, true);
        const pulling = { ...sa, imagePullSecrets: [{ name: "ccr" }] };
        assert.equal(model.choose(pulling, "serviceaccounts").restored, true, "merged into B's");
        assert.equal(new VeleroRestoreModel({ spec: { ...STAGE_SPEC, existingResourcePolicy: "update" } }).choose(rootCa, "configmaps").restored, true, "update patches B's copy");
        assert.deepEqual(expect([ns("shop"), rootCa, sa, other]).names, ["Namespace shop", "ServiceAccount shop/deployer"]);
    });
});
