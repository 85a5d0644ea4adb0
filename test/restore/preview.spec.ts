/**
 * `tke2eks restore-preview` on backups of live-shaped objects: every object's predicted
 * outcome, asserted one by one, the JSON contract and the exit code.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeBackup } from "../preflight/backupTarball";
import { backupItems, servedCluster } from "./liveObjects";
import { preview, shopCluster, tmpdir, type PreviewJson } from "./support";

type Obj = Record<string, unknown>;

describe("restore-preview on a live-shaped backup", () => {
    let dir: string;
    let out: PreviewJson;
    let code: number;
    const byId = (kind: string, name: string) => {
        const found = out.objects.filter((o) => o.kind === kind && o.name === name);
        assert.equal(found.length, 1, `${kind} ${name} appears once`);
        return found[0];
    };

    before(async () => {
        dir = tmpdir();
        const file = path.join(dir, "shop-1.tar.gz");
        await writeBackup(file, backupItems(shopCluster()));
        const run = await preview({ backup: file, format: "json" });
        code = run.code;
        out = JSON.parse(run.stdout) as PreviewJson;
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("follows DESIGN's JSON contract, counting each object once (the preferred-version copies are not objects)", () => {
        assert.deepEqual(Object.keys(out), ["backup", "veleroVersion", "summary", "objects"]);
        assert.equal(out.backup, "shop-1");
        assert.equal(out.veleroVersion, "v1.18.2");
        assert.equal(out.summary.objects, shopCluster().length);
        assert.equal(out.objects.length, out.summary.objects);
        for (const outcome of ["restored", "fixed", "skipped", "refused"]) {
            assert.equal(out.summary[outcome], out.objects.filter((o) => o.outcome === outcome).length, outcome);
        }
        for (const o of out.objects) {
            assert.deepEqual(Object.keys(o).filter((k) => !["apiVersion", "kind", "namespace", "name", "outcome", "reasons", "restoredAs", "volumeData"].includes(k)), []);
            // volumeData (docs/cli.md, restore-preview) is said for volumes and their claims only.
            if (o.volumeData !== undefined) assert.ok(["PersistentVolume", "PersistentVolumeClaim"].includes(o.kind) && ["snapshot", "empty", "source-disk"].includes(o.volumeData), JSON.stringify(o));
        }
    });

    it("exits 1: something is refused", () => assert.equal(code, 1));

    it("the namespace, ConfigMap, ServiceAccount, headless Service, PVC are restored as they are", () => {
        for (const [kind, name] of [["Namespace", "shop"], ["ConfigMap", "web-config"], ["ServiceAccount", "web"], ["Service", "orders"], ["PersistentVolumeClaim", "data"]]) {
            const o = byId(kind, name);
            assert.equal(o.outcome, "restored", `${kind} ${name}: ${o.reasons.join("; ")}`);
        }
        assert.deepEqual(byId("ConfigMap", "web-config").restoredAs, { apiVersion: "v1", namespace: "shop", name: "web-config" });
    });

    it("the Deployment and StatefulSet lose their TKE fixed-IP markers: fixed", () => {
        const web = byId("Deployment", "web");
        assert.equal(web.outcome, "fixed");
        assert.ok(web.reasons.some((r) => r.startsWith("eks-fixed-ip: unset /spec/template/metadata/annotations/tke.cloud.tencent.com~1networks")), web.reasons.join("; "));
        const orders = byId("StatefulSet", "orders");
        assert.equal(orders.outcome, "fixed");
        assert.ok(orders.reasons.some((r) => r.includes("enable-static-ip")));
    });

    it("the Deployment's ReplicaSet and Pods, the StatefulSet's Pod are left out by the Restore's selector", () => {
        const children = out.objects.filter((o) => (o.kind === "ReplicaSet" || o.kind === "Pod") && /^(web-|orders-0)/.test(o.name));
        assert.equal(children.length, 4);
        for (const o of children) {
            assert.equal(o.outcome, "skipped", o.name);
            assert.match(o.reasons[0], /^owned by (Deployment web|ReplicaSet web-\w+|StatefulSet orders): left out by the Restore's labelSelector \((pod-template-hash|controller-revision-hash) DoesNotExist\); the restored controller makes new ones/);
        }
    });

    it("a DaemonSet is refused; its Pods never come back; its ControllerRevision stays out", () => {
        const ds = byId("DaemonSet", "log-agent");
        assert.equal(ds.outcome, "refused");
        assert.match(ds.reasons[0], /^eks-no-daemonset: /);
        const pods = out.objects.filter((o) => o.kind === "Pod" && o.name.startsWith("log-agent-"));
        assert.equal(pods.length, 2);
        for (const p of pods) assert.match(p.reasons[0], /^owned by DaemonSet log-agent: .*; DaemonSet Pods never come back$/);
        assert.equal(out.objects.find((o) => o.kind === "ControllerRevision")?.outcome, "skipped");
    });

    it("NodePort Services become ClusterIP whether or not their nodePort was auto-assigned: fixed and accepted", () => {
        const web = byId("Service", "web");
        assert.equal(web.outcome, "fixed", web.reasons.join("; "));
        assert.ok(web.reasons.some((r) => r.startsWith('eks-no-nodeport-service: set /spec/type "ClusterIP"') && r.includes("unset /spec/externalTrafficPolicy")), web.reasons.join("; "));
        const admin = byId("Service", "admin");
        assert.equal(admin.outcome, "fixed", admin.reasons.join("; "));
        assert.match(admin.reasons[0], /unset \/spec\/ports\/0\/nodePort/);
    });

    it("a LoadBalancer Service is restored: Velero drops its auto-assigned nodePorts and healthCheckNodePort", () => {
        const edge = byId("Service", "edge");
        assert.equal(edge.outcome, "restored", edge.reasons.join("; "));
    });

    it("bare Pods: one fixed (hostPort dropped), one refused (port 9100, no automatic fix)", () => {
        assert.equal(byId("Pod", "debug").outcome, "fixed");
        assert.match(byId("Pod", "debug").reasons[0], /^eks-host-network: unset \/spec\/containers\/0\/ports\/0\/hostPort/);
        const metrics = byId("Pod", "metrics");
        assert.equal(metrics.outcome, "refused");
        assert.match(metrics.reasons[0], /^eks-reserved-ports: .*\(\/spec\/containers\/0\/ports\/0\/containerPort\)$/);
    });

    it("Velero's defaults: completed and mirror Pods, events, the default token secret, a CSI volume", () => {
        assert.match(byId("Pod", "migrate-db").reasons[0], /^Velero default: the Pod has completed \(phase Succeeded\)/);
        assert.match(byId("Pod", "static-proxy-10.0.1.40").reasons[0], /^Velero default: a mirror Pod/);
        assert.match(byId("Event", "web.17c2a").reasons[0], /^Velero default: events are never restored/);
        assert.match(byId("Secret", "default-token-4kq9z").reasons[0], /^Velero default: service account default is in namespace shop by the time Secrets restore/);
        assert.match(byId("PersistentVolume", "pvc-1a2b").reasons[0], /^re-provisioned by its claim under a new name, not restored: made anew from its CSI snapshot \(restore.go:1238-1244\); assumed: no volume info was read beside the backup/);
        for (const [kind, name] of [["Pod", "migrate-db"], ["Event", "web.17c2a"], ["PersistentVolume", "pvc-1a2b"]]) assert.equal(byId(kind, name).outcome, "skipped");
    });

    it("a Job's running Pod has no hash label: restored, without its owner, and said so", () => {
        const pod = byId("Pod", "report-x7k2p");
        assert.equal(pod.outcome, "restored");
        assert.deepEqual(pod.reasons, ["owned by Job report in cluster A: restored without its owner reference (restore.go:2115)"]);
    });

    it("every object is accounted for", () => {
        const unexplained = out.objects.filter((o) => o.outcome !== "restored" && o.reasons.length === 0);
        assert.deepEqual(unexplained, []);
    });
});

describe("restore-preview on a backup of examples/tke-app", () => {
    let dir: string;
    before(() => {
        dir = tmpdir();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function exampleBackup(file: string, namespaces: string[]): Promise<void> {
        const { parseAllDocuments } = await import("yaml");
        const applied = ["shop.yaml", "minio.yaml", "monitoring.yaml"]
            .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "tke-app", f), "utf8")).map((d) => d.toJS() as Obj))
            .filter((o) => o && namespaces.includes(String((o.metadata as Obj).namespace ?? (o.metadata as Obj).name)));
        await writeBackup(file, backupItems(servedCluster(applied)));
    }

    it("the dev stack's backup (shop and minio, no DaemonSets): B refuses nothing, exit 0", async () => {
        const file = path.join(dir, "shop-1.tar.gz");
        await exampleBackup(file, ["shop", "minio"]);
        const { code, stdout } = await preview({ backup: file, format: "json", stack: "dev", cwd: path.join(__dirname, "..", "..") });
        const out = JSON.parse(stdout) as PreviewJson;
        const outcome = (kind: string, name: string) => out.objects.find((o) => o.kind === kind && o.name === name)?.outcome;
        assert.equal(code, 0, JSON.stringify(out.objects.filter((o) => o.outcome === "refused")));
        assert.equal(out.summary.refused, 0);
        assert.equal(out.veleroVersion, "v1.18.2");
        assert.equal(outcome("Service", "web"), "fixed");
        assert.equal(outcome("Deployment", "web"), "fixed");
        assert.equal(outcome("StatefulSet", "orders"), "fixed");
        assert.equal(outcome("Service", "minio"), "restored");
        assert.equal(outcome("Deployment", "minio"), "restored");
        assert.equal(outcome("PersistentVolumeClaim", "minio"), "restored");
        for (const o of out.objects.filter((x) => x.kind === "Pod" || x.kind === "ReplicaSet")) assert.equal(o.outcome, "skipped", `${o.kind} ${o.name}`);
    });

    it("with monitoring and its DaemonSet: the DaemonSet is refused, exit 1; the table says so per namespace", async () => {
        const file = path.join(dir, "shop-2.tar.gz");
        await exampleBackup(file, ["shop", "minio", "monitoring"]);
        const { code, stdout } = await preview({ backup: file });
        assert.equal(code, 1);
        assert.match(stdout, /^monitoring\n {2}refused {2}DaemonSet node-exporter\n {13}eks-no-daemonset: /m);
        assert.match(stdout, /\n {2}skipped {2}Pod node-exporter-\w+\n {13}owned by DaemonSet node-exporter: /);
        assert.match(stdout, /objects: \d+ restored, \d+ fixed, \d+ skipped, 1 refused\n$/);
        assert.doesNotMatch(stdout, /\x1b\[/, "no colours off a terminal");
        const tty = await preview({ backup: file }, true);
        if (!("NO_COLOR" in process.env)) assert.match(tty.stdout, /\x1b\[/);
    });
});
