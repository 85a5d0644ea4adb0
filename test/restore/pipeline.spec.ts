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
