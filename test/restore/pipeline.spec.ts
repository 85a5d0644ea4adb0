/**
 * The restore pipeline one object at a time: the four failures as regressions,
 * the Restore's filters, namespace mapping and labels, each against the Velero v1.18.2
 * behaviour it models.
 */
import { strict as assert } from "node:assert";
import { exactNameRegex } from "../../modifiers/build";
import { encodePatchValue, MODIFIERS_VERSION } from "../../modifiers/veleroFormat";
import { podAction, serviceAccountAction, serviceAction } from "../../restore/actions";
import { engineOptions, type EngineOptions } from "../../rules/engine";
import type { KubeObject } from "../../rules/types";
import type { RestoreSpec } from "../../restore/filters";
import { ruleFixes, veleroApplier, type FixSource } from "../../restore/fixes";
import { ownedObjectsSelector } from "../../restore/ownership";
import { RestorePipeline, validLabelValue } from "../../restore/pipeline";
import { WaiverBook } from "../../preflight/waivers";
import { PreviewTally, refusalsThatStop } from "../../restore/stageSummary";
import { served, servedService, servedWorkload } from "./liveObjects";

type Obj = Record<string, unknown>;

const ENGINE = engineOptions("eks");

function pipeline(opts: { spec?: Partial<RestoreSpec>; engine?: EngineOptions; fixes?: FixSource; velero?: string; waivers?: WaiverBook } = {}): RestorePipeline {
    const engine = opts.engine ?? ENGINE;
    return new RestorePipeline({
        spec: { backupName: "shop-1", labelSelector: ownedObjectsSelector(), restorePVs: true, ...opts.spec },
        restoreName: "shop-1",
        veleroVersion: opts.velero ?? "v1.18.2",
        engine,
        fixes: opts.fixes ?? ruleFixes(engine, opts.velero ?? "v1.18.2", opts.waivers),
        applier: veleroApplier(opts.velero ?? "v1.18.2"),
        waivers: opts.waivers,
    });
}

/** A NodePort Service applied without a nodePort, as cluster A serves it. */
const nodePortService = (): Obj =>
    servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } });

/** The fixes as they used to be written: one all-or-nothing JSON-patch rule of index-based ops computed from the manifest. */
function fixedOps(ops: { op: "add" | "replace" | "remove"; path: string; value?: unknown }[]): FixSource {
    return (obj, groupResource) => {
        const meta = obj.metadata as Obj;
        const patches = ops.map((o) => ({ operation: o.op, path: o.path, ...(o.value === undefined ? {} : { value: encodePatchValue(o.value) }) }));
        return {
            modifiers: { version: MODIFIERS_VERSION, resourceModifierRules: [{ conditions: { groupResource, namespaces: [String(meta.namespace)], resourceNameRegex: exactNameRegex(String(meta.name)) }, patches }] },
            fixes: ["legacy fix"],
            unwritable: [],
            waived: [],
            judged: true,
        };
    };
}

describe("restore pipeline: the four ways a restore of examples/tke-app went wrong", () => {
    it("1. NodePort → ClusterIP that keeps the defaulted externalTrafficPolicy is refused by B (validateServiceExternalTrafficPolicy)", () => {
        const svc = nodePortService();
        assert.equal((svc.spec as Obj).externalTrafficPolicy, "Cluster", "every NodePort Service in A carries it");
        const legacy = pipeline({ fixes: fixedOps([{ op: "replace", path: "/spec/type", value: "ClusterIP" }]) }).preview(svc, "services");
        assert.equal(legacy.outcome, "refused");
        assert.ok(legacy.reasons.includes('API validation: spec.externalTrafficPolicy: Invalid value: "Cluster": may only be set for externally-accessible services'), legacy.reasons.join("; "));
        const today = pipeline().preview(svc, "services");
        assert.equal(today.outcome, "fixed", today.reasons.join("; "));
    });

    it("2. removing an auto-assigned nodePort fails after Velero's Service action dropped it: the rule is skipped, the Service stays NodePort and is refused", () => {
        const svc = nodePortService();
        const legacy = pipeline({
            fixes: fixedOps([
                { op: "replace", path: "/spec/type", value: "ClusterIP" },
                { op: "remove", path: "/spec/ports/0/nodePort" },
                { op: "remove", path: "/spec/externalTrafficPolicy" },
            ]),
        }).preview(svc, "services");
        assert.equal(legacy.outcome, "refused");
        assert.match(legacy.reasons.join("\n"), /resource modifier rule 0: .*remove \/spec\/ports\/0\/nodePort/);
        assert.match(legacy.reasons[0], /^eks-no-nodeport-service: /);
        assert.equal(pipeline().preview(svc, "services").outcome, "fixed");
    });

    it("3. controller-owned Pods and ReplicaSets stay out, DaemonSet Pods never come back; without the selector Velero would restore them as orphans", () => {
        const objs = [
            ...servedWorkload({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "web:1" }] } } } }),
            ...servedWorkload({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "shop" }, spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "agent", image: "agent:1" }] } } } }),
        ];
        const owned = objs.filter((o) => o.kind === "ReplicaSet" || o.kind === "Pod");
        assert.equal(owned.length, 4);
        const gr = (o: Obj) => (o.kind === "Pod" ? "pods" : "replicasets.apps");
        for (const o of owned) assert.equal(pipeline().preview(o, gr(o)).outcome, "skipped");
        const unselected = pipeline({ spec: { labelSelector: undefined } });
        for (const o of owned) {
            const p = unselected.preview(o, gr(o));
            assert.equal(p.outcome, "restored");
            assert.match(p.reasons[0], /^owned by (Deployment|ReplicaSet|DaemonSet) \S+ in cluster A: restored without its owner reference/);
        }
    });

    it("4. the target's Velero version reaches the modifiers: retain-ip's quoted value, which v1.12.0 cannot read, is written the way each target reads it", () => {
        const sts = served({
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { name: "orders", namespace: "shop" },
            spec: { serviceName: "orders", selector: { matchLabels: { app: "orders" } }, template: { metadata: { labels: { app: "orders" }, annotations: { "tke.cloud.tencent.com/networks": "tke-route-eni", "tke.cloud.tencent.com/vpc-ip-claim-delete-policy": "Never" } }, spec: { containers: [{ name: "orders", image: "orders:1" }] } } },
        });
        const engine = { ...ENGINE, fixes: { nodePortServiceType: "ClusterIP" as const, retainIp: true } };
        // Written as for the newest Velero, whatever the target: v1.12.0 refuses the quoted "true".
        const quoted = fixedOps([{ op: "add", path: "/spec/template/metadata/annotations/eks.tke.cloud.tencent.com~1retain-ip", value: "true" }]);
        const old = pipeline({ engine, velero: "v1.12.0", fixes: quoted }).preview(sts, "statefulsets.apps");
        assert.equal(old.outcome, "refused");
        assert.match(old.reasons[0], /^resource modifiers: Velero v1\.12\.0 cannot read them \(.*\), so the whole Restore fails validation$/);
        for (const velero of ["v1.12.0", "v1.12.4"]) {
            const p = pipeline({ engine, velero }).preview(sts, "statefulsets.apps");
            assert.equal(p.outcome, "fixed", `${velero}: ${p.reasons.join("; ")}`);
        }
        const current = pipeline({ engine }).preview(sts, "statefulsets.apps");
        assert.equal(current.outcome, "fixed", current.reasons.join("; "));
    });
});

describe("restore pipeline: the Restore's options", () => {
    const cm = (ns: string, name = "cfg"): Obj => served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data: {} });

    it("namespace mapping: restoredAs lands in the target namespace; modifiers still match the source namespace (restore.go:1462 before 1474)", () => {
        const p = pipeline({ spec: { namespaceMapping: { shop: "shop-eks" } } });
        assert.deepEqual(p.preview(cm("shop"), "configmaps").restoredAs, { apiVersion: "v1", namespace: "shop-eks", name: "cfg" });
        const svc = p.preview(nodePortService(), "services");
        assert.equal(svc.outcome, "fixed");
        assert.equal(svc.restoredAs?.namespace, "shop-eks");
        const ns = p.preview(served({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } }), "namespaces");
        assert.deepEqual(ns.restoredAs, { apiVersion: "v1", name: "shop-eks" });
    });

    it("resource and namespace filters, excludes winning, bare resource names matching their group", () => {
        const p = pipeline({ spec: { includedNamespaces: ["shop"], excludedResources: ["deployments"] } });
        assert.match(p.preview(cm("other"), "configmaps").reasons[0], /^excluded: the Restore's namespace filter leaves out other/);
        const dep = servedWorkload({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [] } } } })[0];
        assert.match(p.preview(dep, "deployments.apps").reasons[0], /^excluded: the Restore's resource filter leaves out deployments\.apps/);
        const sc = served({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "cbs" }, provisioner: "com.tencent.cloud.csi.cbs" });
        assert.match(p.preview(sc, "storageclasses.storage.k8s.io").reasons[0], /^excluded: cluster-scoped, and the Restore names only some namespaces/);
        assert.equal(pipeline().preview(sc, "storageclasses.storage.k8s.io").outcome, "restored");
    });

    it("a label selector that does not match says so; the restore labels are Velero's, a long name hashed as label.GetValidName does", () => {
        const p = pipeline({ spec: { labelSelector: { matchLabels: { team: "shop" } } } });
        assert.match(p.preview(cm("shop"), "configmaps").reasons[0], /^excluded: the Restore's labelSelector does not match its labels/);
        const long = "a".repeat(70);
        assert.equal(validLabelValue(long).length, 63);
        assert.equal(validLabelValue(long).slice(0, 57), "a".repeat(57));
        assert.equal(validLabelValue("shop-1"), "shop-1");
    });

    it("the Pod action clears nodeName, priority and the legacy token volume; the ServiceAccount action its token secret", () => {
        const pod = podAction({ spec: { nodeName: "n1", priority: 5, serviceAccountName: "web", volumes: [{ name: "web-token-abc" }, { name: "data" }], containers: [{ name: "c", volumeMounts: [{ name: "web-token-abc" }, { name: "data" }] }] } }) as { spec: Obj };
        assert.deepEqual(pod.spec, { serviceAccountName: "web", volumes: [{ name: "data" }], containers: [{ name: "c", volumeMounts: [{ name: "data" }] }] });
        assert.deepEqual(serviceAccountAction({ metadata: { name: "web" }, secrets: [{ name: "web-token-abc" }, { name: "pull" }] }).secrets, [{ name: "pull" }]);
        // preserveNodePorts keeps them; headless keeps clusterIP None.
        const svc = nodePortService();
        assert.deepEqual(((serviceAction(svc, { backupName: "b", preserveNodePorts: true }).spec as Obj).ports as Obj[])[0].nodePort, 31000);
        const headless = serviceAction({ spec: { clusterIP: "None", clusterIPs: ["None"] } } as KubeObject, { backupName: "b" });
        assert.equal((headless.spec as Obj).clusterIP, "None");
    });

    it("a waiver accepts a mandatory rule's refusal (the object is restored as is, and says why)", () => {
        const pod = served({ apiVersion: "v1", kind: "Pod", metadata: { name: "metrics", namespace: "shop" }, spec: { containers: [{ name: "m", image: "m:1", ports: [{ containerPort: 9100 }] }] } }, { status: { phase: "Running" } });
        assert.equal(pipeline().preview(pod, "pods").outcome, "refused");
        const waivers = new WaiverBook([{ rule: "eks-reserved-ports", namespace: "shop", name: "metrics", reason: "moved by the metrics-port annotation", expires: "2999-01-01", entry: 1 }]);
        const waived = pipeline({ waivers }).preview(pod, "pods");
        assert.equal(waived.outcome, "restored");
        assert.deepEqual(waived.reasons, ["eks-reserved-ports waived until 2999-01-01: moved by the metrics-port annotation"]);
    });
});

describe("restore pipeline: Velero's restore as it is (issue 20)", () => {
    const cmap = (namespace = "shop") => served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace } }, { data: { mode: "prod" } });
    /** A rule whose JSON patch cannot apply: `remove` of a path the object lacks fails (evanphx/json-patch). */
    const failingFix: FixSource = (obj, groupResource) => ({
        modifiers: { version: MODIFIERS_VERSION, resourceModifierRules: [{ conditions: { groupResource, namespaces: ["shop"], resourceNameRegex: exactNameRegex(String((obj.metadata as Obj).name)) }, patches: [{ operation: "remove", path: "/data/missing" }] }] },
        fixes: ["drop data.missing"],
        unwritable: [],
        waived: [],
        judged: false,
    });

    it("7. a modifier that fails is a restore error: the object is created unfixed, the Restore ends PartiallyFailed (restore.go:1462-1468), and the stage's gate stops on it like on an API validation refusal", () => {
        const judged = pipeline({ fixes: failingFix }).judge(cmap(), "configmaps");
        assert.equal(judged.preview.outcome, "restored");
        assert.equal(judged.refusals.length, 1);
        assert.match(judged.refusals[0], /^Restore error: resource modifier rule 0: .*remove \/data\/missing.*; the object is created without that rule and the Restore ends PartiallyFailed \(restore\.go:1462-1468\)$/);
        assert.equal(judged.preview.reasons[0], judged.refusals[0]);
        const tally = new PreviewTally();
        tally.add(judged);
        const stage = tally.result();
        assert.deepEqual(stage.summary, { objects: 1, restored: 1, fixed: 0, skipped: 0, refused: 0 });
        assert.equal(refusalsThatStop(stage, false).length, 1, "the gate stops");
        assert.equal(refusalsThatStop(stage, true).length, 0, "allowPartiallyFailed accepts it, as it accepts API validation");
    });

    it("6. Namespaces never go through restoreItem (restore.go:700-762): no item actions, modifiers or restore labels, whatever the fixes say", () => {
        const namespace = served({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { "kubernetes.io/metadata.name": "shop" } } }, { status: { phase: "Active" } });
        const fixes: FixSource = (obj, groupResource) => ({ ...failingFix(obj, groupResource), judged: true });
        const p = pipeline({ fixes, spec: { namespaceMapping: { shop: "shop-eks" } } }).judge(namespace, "namespaces");
        assert.deepEqual(p.refusals, []);
        assert.equal(p.preview.outcome, "restored");
        assert.deepEqual(p.preview.restoredAs, { apiVersion: "v1", name: "shop-eks" });
        assert.match(p.preview.reasons.join(";"), /without restore item actions, resource modifiers or restore labels \(restore\.go:700-762\)/);
    });

    it("4. a service-account token secret: skipped when its account is restored first (secret_action.go:80-87; config.go:120-123), restored without its token under a namespace mapping (restore.go:1474)", () => {
        const secret = served(
            { apiVersion: "v1", kind: "Secret", metadata: { name: "builder-token-4kq9z", namespace: "shop", annotations: { "kubernetes.io/service-account.name": "builder", "kubernetes.io/service-account.uid": "3f1c2b7a" } }, type: "kubernetes.io/service-account-token" },
            { data: { token: "ZXlK", "ca.crt": "LS0t" } },
        );
        const same = pipeline().preview(secret, "secrets");
        assert.equal(same.outcome, "skipped");
        assert.match(same.reasons[0], /service account builder is in namespace shop .*secret_action\.go:80-87/);
        const mapped = pipeline({ spec: { namespaceMapping: { shop: "shop-eks" } } }).preview(secret, "secrets");
        assert.equal(mapped.outcome, "restored");
        assert.deepEqual(mapped.restoredAs, { apiVersion: "v1", namespace: "shop-eks", name: "builder-token-4kq9z" });
    });

    it("5. the item actions that skip: a DataUpload (dataupload_retrieve_action.go:117), an automanaged APIService (apiservice_action.go:50), VolumeSnapshots with restorePVs false (csi/volumesnapshot_action.go:237)", () => {
        const du = served({ apiVersion: "velero.io/v2alpha1", kind: "DataUpload", metadata: { name: "shop-1-x2x9k", namespace: "velero" }, spec: { snapshotType: "CSI", sourcePVC: "data", sourceNamespace: "shop" } }, { status: { phase: "Completed" } });
        assert.match(pipeline().preview(du, "datauploads.velero.io").reasons[0], /dataupload_retrieve_action\.go:117/);
        const api = served({ apiVersion: "apiregistration.k8s.io/v1", kind: "APIService", metadata: { name: "v1.apps", labels: { "kube-aggregator.kubernetes.io/automanaged": "onstart" } }, spec: { group: "apps", version: "v1", groupPriorityMinimum: 17800, versionPriority: 15 } });
        assert.equal(pipeline().preview(api, "apiservices.apiregistration.k8s.io").outcome, "skipped");
        const vs = served({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshot", metadata: { name: "velero-data-8xk2p", namespace: "shop" }, spec: { source: { persistentVolumeClaimName: "data" } } }, { status: { boundVolumeSnapshotContentName: "snapcontent-1" } });
        assert.equal(pipeline({ spec: { restorePVs: false } }).preview(vs, "volumesnapshots.snapshot.storage.k8s.io").outcome, "skipped");
        assert.match(pipeline().preview(vs, "volumesnapshots.snapshot.storage.k8s.io").reasons[0], /restored under a name made from the Restore's UID/);
    });

    it("2/3. volumes: a Retain PV without backup comes back pointing at A's disk, also as a bound claim's additional item when only some namespaces are restored (pvc_action.go:122); restorePVs false empties a snapshotted claim (csi/pvc_action.go:111-115)", () => {
        const pv = served(
            { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pvc-keep" }, spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], csi: { driver: "com.tencent.cloud.csi.cbs", volumeHandle: "disk-keep" }, claimRef: { kind: "PersistentVolumeClaim", namespace: "shop", name: "keep" }, persistentVolumeReclaimPolicy: "Retain" } },
            { status: { phase: "Bound" } },
        );
        const volumes = new Map([["pvc-keep", { pvName: "pvc-keep", backupMethod: "", snapshotDataMoved: false, reclaimPolicy: "Retain" }]]);
        const engine = ENGINE;
        const p = (spec: Partial<RestoreSpec>) => new RestorePipeline({ spec: { backupName: "shop-1", labelSelector: ownedObjectsSelector(), ...spec }, restoreName: "shop-1", veleroVersion: "v1.18.2", engine, fixes: ruleFixes(engine, "v1.18.2"), applier: veleroApplier("v1.18.2"), volumes });
        const kept = p({ includedNamespaces: ["shop"] }).preview(pv, "persistentvolumes");
        assert.equal(kept.outcome, "restored");
        assert.equal(kept.volumeData, "source-disk");
        assert.match(kept.reasons[0], /reclaim policy is Retain: restored as backed up, pointing at cluster A's disk \(restore\.go:1257-1263\)/);
        assert.equal(p({ includedNamespaces: ["shop"], includeClusterResources: false }).preview(pv, "persistentvolumes").outcome, "skipped");
        const claim = served({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "shop" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, volumeName: "pvc-csi" } }, { status: { phase: "Bound" } });
        const emptied = p({ restorePVs: false }).preview(claim, "persistentvolumeclaims");
        assert.equal(emptied.volumeData, "empty");
        assert.match(emptied.reasons[0], /restorePVs is false: the CSI PVC action clears volumeName, dataSource and dataSourceRef/);
    });
});
