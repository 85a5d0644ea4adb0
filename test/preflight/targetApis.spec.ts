/**
 * `k8s-api-versions` and cluster B's prerequisites end to end through `tke2eks preflight`:
 * B by its version (the removals table) or by its own discovery on a loopback API server;
 * A by a backup's version folders, by its discovery, or by each object's own apiVersion;
 * every format carries the findings.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { runPreflight, type PreflightOptions } from "../../cli/preflight";
import { apiServer, kubeconfigFor, type ApiServer, type ApiServerSpec, type Obj, type ServedResource } from "../support/apiServer";
import { writeBackup } from "./backupTarball";
import { UserError } from "../../core/errors";

interface Finding {
    rule: string;
    severity: string;
    kind?: string;
    name?: string;
    namespace?: string;
    message: string;
    fix: string;
}

async function preflight(paths: string[], opts: PreflightOptions): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = new PassThrough();
    const err = new PassThrough();
    const o: Buffer[] = [];
    const e: Buffer[] = [];
    out.on("data", (c: Buffer) => o.push(c));
    err.on("data", (c: Buffer) => e.push(c));
    const code = await runPreflight(paths, { progress: false, ...opts }, { stdin: Readable.from([]), stdout: out, stderr: err as unknown as NodeJS.WriteStream });
    return { code, stdout: Buffer.concat(o).toString(), stderr: Buffer.concat(e).toString() };
}

async function findings(paths: string[], opts: PreflightOptions): Promise<Finding[]> {
    const r = await preflight(paths, { ...opts, format: "json" });
    return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

const only = (fs: Finding[], ...rules: string[]) => fs.filter((f) => rules.includes(f.rule));
const brief = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.severity} ${f.kind ?? "-"} ${f.name ?? "-"}`);

const ingress = (apiVersion: string, name = "web") => ({ apiVersion, kind: "Ingress", metadata: { name, namespace: "shop" }, spec: {} });
const cronjob = { apiVersion: "batch/v1beta1", kind: "CronJob", metadata: { name: "nightly", namespace: "shop" }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "busybox" }] } } } } } };
const hpa = { apiVersion: "autoscaling/v2beta2", kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "shop" }, spec: { maxReplicas: 3, scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" } } };
const pvc = (name: string, storageClassName?: string) => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: "shop" }, spec: { ...(storageClassName ? { storageClassName } : {}), resources: { requests: { storage: "10Gi" } } } });
const flexPv = { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "old-disk" }, spec: { flexVolume: { driver: "cloud.tencent.com/cbs" }, capacity: { storage: "10Gi" } } };

/** A serverless cluster B on 1.26: what it serves, and optionally its StorageClass, snapshot CRDs, CSI driver and snapshot controller. */
function clusterB(parts: { storageClass?: boolean; defaultClass?: boolean; crds?: boolean; csiDriver?: boolean; controller?: boolean } = {}): ApiServerSpec {
    const discovery: Record<string, ServedResource[]> = {
        "/api/v1": [
            { name: "pods", kind: "Pod", namespaced: true },
            { name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
        ],
        "/apis/apps/v1": [{ name: "deployments", kind: "Deployment", namespaced: true }],
        "/apis/batch/v1": [
            { name: "jobs", kind: "Job", namespaced: true },
            { name: "cronjobs", kind: "CronJob", namespaced: true },
        ],
        "/apis/networking.k8s.io/v1": [{ name: "ingresses", kind: "Ingress", namespaced: true }],
        "/apis/autoscaling/v2": [{ name: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", namespaced: true }],
        "/apis/autoscaling/v1": [{ name: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", namespaced: true }],
        "/apis/storage.k8s.io/v1": [
            { name: "storageclasses", kind: "StorageClass", namespaced: false },
            { name: "csidrivers", kind: "CSIDriver", namespaced: false },
        ],
    };
    if (parts.crds) {
        discovery["/apis/snapshot.storage.k8s.io/v1"] = [
            { name: "volumesnapshots", kind: "VolumeSnapshot", namespaced: true },
            { name: "volumesnapshotcontents", kind: "VolumeSnapshotContent", namespaced: false },
            { name: "volumesnapshotclasses", kind: "VolumeSnapshotClass", namespaced: false },
        ];
    }
    const data: Record<string, { kind: string; items: Obj[] }> = {
        "/apis/storage.k8s.io/v1/storageclasses": { kind: "StorageClassList", items: [
                ...(parts.storageClass ? [{ metadata: { name: "cbs-ssd" }, provisioner: "com.tencent.cloud.csi.cbs" }] : []),
                ...(parts.defaultClass ? [{ metadata: { name: "cbs", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "com.tencent.cloud.csi.cbs" }] : []),
            ],
        },
        "/apis/storage.k8s.io/v1/csidrivers": { kind: "CSIDriverList", items: parts.csiDriver ? [{ metadata: { name: "com.tencent.cloud.csi.cbs" }, spec: {} }] : [] },
        "/apis/apps/v1/deployments": { kind: "DeploymentList", items: parts.controller ? [{ metadata: { name: "snapshot-controller", namespace: "kube-system" }, spec: {} }] : [] },
    };
    return { discovery, data, gitVersion: "v1.26.3-tke.1" };
}

/** A TKE 1.18 cluster A: Ingress in networking.k8s.io/v1beta1 and extensions/v1beta1, CronJob in batch/v1beta1. */
function clusterA(gitVersion = "v1.18.4-tke.36"): ApiServerSpec {
    return {
        gitVersion,
        discovery: {
            "/api/v1": [
                { name: "pods", kind: "Pod", namespaced: true },
                { name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
            ],
            "/apis/networking.k8s.io/v1beta1": [{ name: "ingresses", kind: "Ingress", namespaced: true }],
            "/apis/extensions/v1beta1": [{ name: "ingresses", kind: "Ingress", namespaced: true }],
            "/apis/batch/v1": [{ name: "jobs", kind: "Job", namespaced: true }],
            "/apis/batch/v1beta1": [{ name: "cronjobs", kind: "CronJob", namespaced: true }],
        },
        data: {
            "/apis/networking.k8s.io/v1beta1/ingresses": { kind: "IngressList", items: [{ metadata: { name: "web", namespace: "shop" }, spec: {} }] },
            "/apis/batch/v1beta1/cronjobs": { kind: "CronJobList", items: [{ metadata: cronjob.metadata, spec: cronjob.spec }] },
            "/api/v1/persistentvolumeclaims": { kind: "PersistentVolumeClaimList", items: [{ metadata: { name: "data", namespace: "shop" }, spec: { storageClassName: "cbs-ssd" } }] },
        },
    };
}

describe("preflight: API versions cluster B serves, and B's prerequisites", () => {
    let dir: string;
    const servers: ApiServer[] = [];
    const serve = async (spec: ApiServerSpec) => {
        const s = await apiServer(spec);
        servers.push(s);
        return kubeconfigFor(dir, s.url);
    };
    const file = (name: string, docs: unknown[]) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, docs.map((d) => JSON.stringify(d)).join("\n"));
        return f;
    };
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-target-"));
    });
    after(async () => {
        for (const s of servers) await s.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("judges manifests by --target-version: the Ingress and CronJob a 1.25 cluster no longer serves", async () => {
        const f = file("app.json", [ingress("networking.k8s.io/v1beta1"), ingress("networking.k8s.io/v1", "api"), cronjob, hpa]);
        const got = only(await findings([f], { targetVersion: "1.25" }), "k8s-api-versions");
        assert.deepEqual(brief(got), ["k8s-api-versions error Ingress web", "k8s-api-versions error CronJob nightly"]);
        assert.match(got[0].message, /Velero restores it as networking\.k8s\.io\/v1beta1 \(cluster A's preferred version, since no version fits both clusters\), which Kubernetes 1\.25 \(upstream removals\) does not serve/);
        assert.match(got[1].fix, /re-create it on cluster B as batch\/v1 CronJob/);
        assert.deepEqual(only(await findings([f], { targetVersion: "1.21" }), "k8s-api-versions"), []);
        assert.deepEqual(only(await findings([f], {}), "k8s-api-versions"), [], "no target: not judged");
    });

    it("refuses a bad --target-version, or both kinds of target, with one line", async () => {
        const f = file("one.json", [hpa]);
        await assert.rejects(preflight([f], { targetVersion: "1.9" }), (e: unknown) => e instanceof UserError && e.message === '--target-version "1.9": use 1.N with N ≥ 16, e.g. 1.26');
        await assert.rejects(preflight([f], { targetVersion: "latest" }), /--target-version "latest": use 1\.N/);
        await assert.rejects(preflight([f], { targetVersion: "1.26", targetContext: "b" }), /not both/);
    });

    it("takes A's versions from a backup's version folders, as Velero does (parser.go, prioritize_group_version.go)", async () => {
        const backup = path.join(dir, "shop-1.tar.gz");
        await writeBackup(backup, [
            // A (1.23) backed the HPA up as v2beta2 (preferred) and also as v2 and v1: B's preferred v2 is in the backup.
            { groupResource: "horizontalpodautoscalers.autoscaling", obj: hpa, versions: { preferred: "v2beta2", others: ["v2", "v1"] } },
            // A (1.18) served Ingress only as v1beta1.
            { groupResource: "ingresses.networking.k8s.io", obj: ingress("networking.k8s.io/v1beta1"), versions: { preferred: "v1beta1" } },
            { groupResource: "cronjobs.batch", obj: cronjob, versions: { preferred: "v1beta1" } },
        ]);
        const got = only(await findings([], { backup, targetVersion: "1.26" }), "k8s-api-versions");
        assert.deepEqual(brief(got), ["k8s-api-versions error Ingress web", "k8s-api-versions error CronJob nightly"], "the HPA arrives as autoscaling/v2");
        assert.match(got[0].message, /\(A has v1beta1; B has v1 of networking\.k8s\.io\)/);
        // The same HPA as a manifest has only its own version, which 1.26 no longer serves.
        const alone = only(await findings([file("hpa.json", [hpa])], { targetVersion: "1.26" }), "k8s-api-versions");
        assert.deepEqual(brief(alone), ["k8s-api-versions error HorizontalPodAutoscaler web"]);
    });

    it("judges against B's own discovery on the loopback server, and A's", async () => {
        const b = await serve(clusterB({ storageClass: true, crds: true, csiDriver: true, controller: true }));
        const a = await serve(clusterA());
        const fromFiles = only(await findings([file("ing.json", [ingress("extensions/v1beta1"), ingress("networking.k8s.io/v1", "api"), hpa])], { targetKubeconfig: b, targetContext: "tke-a" }), "k8s-api-versions");
        assert.deepEqual(brief(fromFiles), ["k8s-api-versions error Ingress web", "k8s-api-versions error HorizontalPodAutoscaler web"]);
        assert.match(fromFiles[0].message, /which cluster B \(context tke-a, v1\.26\.3-tke\.1\) does not serve for Ingress \(A has v1beta1; B has none of extensions\)/);

        const live = await findings([], { kubeconfig: a, context: "tke-a", targetKubeconfig: b, targetContext: "tke-a" });
        assert.deepEqual(brief(only(live, "k8s-api-versions")).sort(), ["k8s-api-versions error CronJob nightly", "k8s-api-versions error Ingress web"]);
        assert.deepEqual(only(live, "velero-snapshot-class"), [], "B has the StorageClass, CRDs, CSI driver and controller");
    });

    it("skips an aggregated API that is down, and fails with one line when B refuses the credentials or cannot be reached", async () => {
        const b = await serve({ ...clusterB(), unavailable: ["/apis/metrics.k8s.io/v1beta1"] });
        const ok = only(await findings([file("m.json", [ingress("networking.k8s.io/v1beta1")])], { targetKubeconfig: b, targetContext: "tke-a" }), "k8s-api-versions");
        assert.deepEqual(brief(ok), ["k8s-api-versions error Ingress web"]);
        const refusing = await serve({ ...clusterB(), status: 401 });
        const f = file("n.json", [hpa]);
        await assert.rejects(preflight([f], { targetKubeconfig: refusing, targetContext: "tke-a" }), (e: unknown) => e instanceof UserError && /refused the credentials \(401 Unauthorized\) to read the core API versions/.test(e.message));
        const gone = await apiServer(clusterB());
        await gone.close();
        await assert.rejects(preflight([f], { targetKubeconfig: kubeconfigFor(dir, gone.url), targetContext: "tke-a" }), (e: unknown) => e instanceof UserError && /^cannot read the core API versions \(GET \/api\) on cluster http:\/\/127\.0\.0\.1:\d+ \(context tke-a\): .*refused/.test(e.message) && !e.message.includes("\n"));
    });

    it("checks the seed's version floors from the clusters' discovery (A ≥ 1.18, B ≥ 1.20)", async () => {
        const b = await serve({ ...clusterB(), gitVersion: "v1.19.2" });
        const a = await serve(clusterA("v1.16.3"));
        const got = only(await findings([], { kubeconfig: a, context: "tke-a", targetKubeconfig: b, targetContext: "tke-a" }), "k8s-api-versions").filter((f) => !f.kind);
        assert.deepEqual(got.map((f) => f.message), ["cluster B runs Kubernetes 1.19; the migration needs B ≥ 1.20", "cluster A runs Kubernetes 1.16; the migration needs A ≥ 1.18"]);
        const fine = only(await findings([file("ok.json", [hpa])], { targetVersion: "1.20" }), "k8s-api-versions").filter((f) => !f.kind);
        assert.deepEqual(fine, []);
    });

    describe("B's prerequisites when PVC data moves", () => {
        const app = () => file("pvcs.json", [pvc("data", "cbs-ssd"), pvc("logs", "cbs-ssd"), flexPv]);

        it("without B itself: reminders, and legacy CBS volumes that CSI snapshots cannot move", async () => {
            const got = only(await findings([app()], { targetVersion: "1.26" }), "velero-snapshot-class");
            assert.deepEqual(brief(got), [
                "velero-snapshot-class error PersistentVolume old-disk",
                "velero-snapshot-class warning StorageClass cbs-ssd",
                "velero-snapshot-class warning - -",
            ]);
            assert.match(got[1].message, /^reminder: 2 PVCs name StorageClass cbs-ssd, which must exist on cluster B/);
            assert.match(got[2].message, /snapshot CRDs .* a snapshot controller and CSIDriver com\.tencent\.cloud\.csi\.cbs/);
            assert.deepEqual(only(await findings([file("nopvc.json", [hpa])], { targetVersion: "1.26" }), "velero-snapshot-class"), [], "no PVC: nothing to remind");
        });

        it("with B lacking the StorageClass, the snapshot CRDs, the CSI driver and the controller", async () => {
            const b = await serve(clusterB());
            const got = only(await findings([app()], { targetKubeconfig: b, targetContext: "tke-a" }), "velero-snapshot-class");
            assert.deepEqual(brief(got), [
                "velero-snapshot-class error PersistentVolume old-disk",
                "velero-snapshot-class error StorageClass cbs-ssd",
                "velero-snapshot-class error - -",
                "velero-snapshot-class error CSIDriver com.tencent.cloud.csi.cbs",
                "velero-snapshot-class warning - -",
            ]);
            assert.match(got[2].message, /does not serve VolumeSnapshot, VolumeSnapshotContent, VolumeSnapshotClass/);
        });

        it("a PVC naming no StorageClass needs a default one on B", async () => {
            const claim = file("unnamed.json", [pvc("scratch")]);
            const without = await serve(clusterB({ crds: true, csiDriver: true, controller: true }));
            const got = only(await findings([claim], { targetKubeconfig: without, targetContext: "tke-a" }), "velero-snapshot-class");
            assert.deepEqual(got.map((f) => f.message), ["1 PVC names no StorageClass and cluster B has no default one"]);
            const withDefault = await serve(clusterB({ defaultClass: true, crds: true, csiDriver: true, controller: true }));
            assert.deepEqual(only(await findings([claim], { targetKubeconfig: withDefault, targetContext: "tke-a" }), "velero-snapshot-class"), []);
        });

        it("where B's credentials may not read them (403), reminders instead of a failed scan", async () => {
            const b = await serve({ ...clusterB({ crds: true }), forbidden: ["/apis/storage.k8s.io/v1/storageclasses", "/apis/storage.k8s.io/v1/csidrivers", "/apis/apps/v1/deployments"] });
            const got = only(await findings([file("pvc403.json", [pvc("data", "cbs-ssd")])], { targetKubeconfig: b, targetContext: "tke-a" }), "velero-snapshot-class");
            assert.deepEqual(got.map((f) => `${f.severity} ${f.message}`), [
                "warning reminder: cluster B's credentials may not read StorageClasses (403 Forbidden), so it was not checked",
                "warning reminder: cluster B's credentials may not read CSIDriver com.tencent.cloud.csi.cbs (403 Forbidden), so it was not checked",
                "warning reminder: cluster B's credentials may not read Deployments (403 Forbidden), so it was not checked",
            ]);
        });

        it("are waived like any finding: on the object they name, or by their rule alone where they name none", async () => {
            const waivers = path.join(dir, "prereq-waivers.yaml");
            fs.writeFileSync(
                waivers,
                `- rule: velero-snapshot-class
  name: old-disk
  reason: its data is copied by hand before the restore
  expires: "2099-12-31"
- rule: velero-snapshot-class
  reason: B's storage is installed by the platform team's own pipeline
  expires: "2099-12-31"
`,
            );
            const r = await preflight([app()], { targetVersion: "1.26", waivers, format: "json" });
            const report = JSON.parse(r.stdout) as { summary: { errors: number }; findings: Finding[]; waived: Finding[] };
            assert.deepEqual(brief(only(report.findings, "velero-snapshot-class")), [], "every prerequisite finding is waived");
            assert.deepEqual(brief(report.waived), ["velero-snapshot-class error PersistentVolume old-disk", "velero-snapshot-class warning StorageClass cbs-ssd", "velero-snapshot-class warning - -"]);
            assert.equal(r.code, 0);
            assert.doesNotMatch(r.stderr, /matches no finding/, "both waivers were used");
        });

        it("with B holding all of them: only the legacy volume remains", async () => {
            const b = await serve(clusterB({ storageClass: true, crds: true, csiDriver: true, controller: true }));
            assert.deepEqual(brief(only(await findings([app()], { targetKubeconfig: b, targetContext: "tke-a" }), "velero-snapshot-class")), ["velero-snapshot-class error PersistentVolume old-disk"]);
        });
    });

    it("prints them in every format", async () => {
        const f = file("fmt.json", [ingress("networking.k8s.io/v1beta1"), pvc("data", "cbs-ssd")]);
        const table = await preflight([f], { targetVersion: "1.22", format: "table" });
        assert.match(table.stdout, /k8s-api-versions/);
        assert.match(table.stdout, /reminder: 1 PVC names StorageClass cbs-ssd/);
        assert.equal(table.code, 1);
        const sarif = JSON.parse((await preflight([f], { targetVersion: "1.22", format: "sarif" })).stdout) as { runs: { results: { ruleId: string }[] }[] };
        assert.deepEqual([...new Set(sarif.runs[0].results.map((r) => r.ruleId))].sort(), ["k8s-api-versions", "velero-snapshot-class"]);
        const junit = (await preflight([f], { targetVersion: "1.22", format: "junit" })).stdout;
        assert.match(junit, /k8s-api-versions/);
        assert.match(junit, /<failure/);
    });
});
