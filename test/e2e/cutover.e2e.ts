/**
 * The cut-over's quiet source on a real cluster A: `tke2eks cutover scale-down` scales the
 * namespace's Deployment and StatefulSet to zero, keeping their counts on them, and waits until
 * the real controllers have removed their Pods; run again, it keeps the counts it kept (not the
 * zero it left); `scale-back` gives them back and waits until their Pods are ready again.
 * Then the two-pass migration as the stages declare it, with the real Velero: a first pass
 * (complete), a change in A, the cutover stage (A at zero, B updated and at A's counts, the
 * change arrived) and the rollback stage (A's counts back).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { must, Sandbox, startSandbox, stopSandbox, tke2eks } from "./support";

const NS = "till";
const ANNOTATION = "tke2eks.io/replicas-before-cutover";

interface Workload {
    metadata: { annotations?: Record<string, string> };
    spec: { replicas: number };
    status: { replicas?: number; readyReplicas?: number };
}

const WORKLOADS = [
    { kind: "Deployment", name: "web", replicas: 3 },
    { kind: "StatefulSet", name: "db", replicas: 2 },
];

function manifest(kind: string, name: string, replicas: number) {
    const labels = { app: name };
    const template = { metadata: { labels }, spec: { containers: [{ name, image: "nginx:1.27" }] } };
    return { apiVersion: "apps/v1", kind, metadata: { name, namespace: NS }, spec: { replicas, selector: { matchLabels: labels }, template, ...(kind === "StatefulSet" ? { serviceName: name } : {}) } };
}

describe("e2e: the cut-over scales A's workloads to zero and back against a real API server", function () {
    this.timeout(10 * 60_000);
    this.bail(true);
    let sandbox: Sandbox;

    const read = async (kind: string, name: string, cluster: "a" | "b" = "a"): Promise<Workload> =>
        JSON.parse(must(`get ${name}`, await sandbox.kubectl(cluster, ["get", kind.toLowerCase(), name, "-n", NS, "-o", "json"])).stdout) as Workload;
    const log = (line: string) => process.stderr.write(`      ${line}\n`);
    /** The stack config of both passes: this namespace, the fixes from its manifests (known offline). */
    const stageConfig = () => {
        const manifests = path.join(sandbox.dir, "till-manifests.json");
        fs.writeFileSync(manifests, JSON.stringify({ apiVersion: "v1", kind: "List", items: WORKLOADS.map((w) => manifest(w.kind, w.name, w.replicas)) }));
        return [`tke2eks:backup.includedNamespaces=${JSON.stringify([NS])}`, `tke2eks:restore.modifiersFrom=${JSON.stringify([manifests])}`];
    };
    const cutover = (action: string, extra: string[] = []) => tke2eks(["cutover", action, "-n", NS, "--kubeconfig", sandbox.kubeconfig("a"), "--interval", "1", "--timeout", "180", ...extra]);

    before("sandbox up", async () => {
        sandbox = await startSandbox();
        must("namespace", await sandbox.kubectl("a", ["create", "namespace", NS]));
        for (const w of WORKLOADS) must(`create ${w.name}`, await sandbox.kubectl("a", ["create", "-f", "-"], JSON.stringify(manifest(w.kind, w.name, w.replicas))));
        for (const w of WORKLOADS) must(`rollout ${w.name}`, await sandbox.kubectl("a", ["rollout", "status", `${w.kind.toLowerCase()}/${w.name}`, "-n", NS, "--timeout=180s"]));
    });

    after("sandbox down", async () => {
        await stopSandbox(sandbox);
    });

    it("scale-down: zero replicas, the counts kept on the objects and printed, no Pods left", async () => {
        const ran = must("scale-down", await cutover("scale-down"));
        const report = JSON.parse(ran.stdout) as { replicas: Record<string, Record<string, number>>; waitingFor: string[] };
        assert.deepEqual(report.replicas, { [NS]: { "Deployment/web": 3, "StatefulSet/db": 2 } });
        assert.deepEqual(report.waitingFor, []);
        for (const w of WORKLOADS) {
            const obj = await read(w.kind, w.name);
            assert.equal(obj.spec.replicas, 0, w.name);
            assert.equal(obj.metadata.annotations?.[ANNOTATION], String(w.replicas), w.name);
            assert.equal(obj.status.replicas ?? 0, 0, `${w.name}: Pods left`);
        }
    });

    it("scale-down again: the counts kept before, not the zero it left", async () => {
        const ran = must("scale-down again", await cutover("scale-down", ["-o", "table"]));
        assert.match(ran.stdout, /Deployment\/web {2}3/);
        assert.match(ran.stdout, /StatefulSet\/db {2}2/);
        for (const w of WORKLOADS) assert.equal((await read(w.kind, w.name)).metadata.annotations?.[ANNOTATION], String(w.replicas));
    });

    it("scale-back: the counts given back, the annotation gone, the Pods ready", async () => {
        const ran = must("scale-back", await cutover("scale-back"));
        assert.deepEqual((JSON.parse(ran.stdout) as { replicas: unknown }).replicas, { [NS]: { "Deployment/web": 3, "StatefulSet/db": 2 } });
        for (const w of WORKLOADS) {
            const obj = await read(w.kind, w.name);
            assert.equal(obj.spec.replicas, w.replicas, w.name);
            assert.equal(obj.metadata.annotations?.[ANNOTATION], undefined, w.name);
            assert.equal(obj.status.readyReplicas, w.replicas, w.name);
        }
        // Nothing kept any more: a second rollback gives nothing back.
        const again = must("scale-back again", await cutover("scale-back"));
        assert.deepEqual((JSON.parse(again.stdout) as { replicas: unknown }).replicas, {});
    });

    it("refuses a kept count that is not a number, naming the object and the value (exit 1), and changes nothing", async () => {
        must("annotate", await sandbox.kubectl("a", ["annotate", "deployment/web", "-n", NS, `${ANNOTATION}=lots`]));
        const ran = await cutover("scale-back");
        assert.equal(ran.code, 1, ran.stderr);
        assert.match(ran.stderr, new RegExp(`Deployment ${NS}/web: annotation ${ANNOTATION}="lots" is not a replica count`));
        assert.equal((await read("Deployment", "web")).spec.replicas, 3);
        must("remove", await sandbox.kubectl("a", ["annotate", "deployment/web", "-n", NS, `${ANNOTATION}-`]));
    });

    it("first pass (stage complete, run till-1): B holds the workloads at A's counts", async function () {
        this.timeout(8 * 60_000);
        await sandbox.deploy(["tke2eks:stage=complete", "tke2eks:run=till-1", ...stageConfig()], log);
        for (const w of WORKLOADS) assert.equal((await read(w.kind, w.name, "b")).spec.replicas, w.replicas, `${w.name} in B`);
    });

    it("cutover (run till-2): A at zero with the counts kept, B updated and at A's counts, what A wrote since arrived", async function () {
        this.timeout(8 * 60_000);
        // Written in A after the first pass: only the second pass brings it.
        must("late write", await sandbox.kubectl("a", ["create", "configmap", "late", "-n", NS, "--from-literal=written=after-first-pass"]));
        await sandbox.deploy(["tke2eks:stage=cutover", "tke2eks:run=till-2", "tke2eks:cutover.firstRun=till-1", ...stageConfig()], log);
        for (const w of WORKLOADS) {
            const a = await read(w.kind, w.name, "a");
            assert.equal(a.spec.replicas, 0, `${w.name} in A`);
            assert.equal(a.metadata.annotations?.[ANNOTATION], String(w.replicas), `${w.name} in A`);
            const b = await read(w.kind, w.name, "b");
            assert.equal(b.spec.replicas, w.replicas, `${w.name} in B`);
            assert.equal(b.metadata.annotations?.[ANNOTATION], undefined, `${w.name} in B`);
            assert.equal(b.status.readyReplicas, w.replicas, `${w.name} in B ready`);
        }
        must("the late write in B", await sandbox.kubectl("b", ["get", "configmap", "late", "-n", NS]));
        const restore = JSON.parse(must("restore", await sandbox.kubectl("b", ["get", "restores.velero.io", "till-2", "-n", "velero", "-o", "json"])).stdout) as { spec: { existingResourcePolicy: string }; status: { phase: string } };
        assert.equal(restore.spec.existingResourcePolicy, "update");
        assert.equal(restore.status.phase, "Completed");
    });

    it("a cutover whose first pass is not in B is refused at its first step, the Restore named", async () => {
        await assert.rejects(sandbox.deploy(["tke2eks:stage=cutover", "tke2eks:run=till-3", "tke2eks:cutover.firstRun=never-made", ...stageConfig()], log), /Restore velero\/never-made \(not found\)/);
    });

    it("rollback: A's workloads get their counts back", async function () {
        this.timeout(5 * 60_000);
        await sandbox.deploy(["tke2eks:stage=rollback", "tke2eks:run=till-2", ...stageConfig()], log);
        for (const w of WORKLOADS) {
            const a = await read(w.kind, w.name, "a");
            assert.equal(a.spec.replicas, w.replicas, `${w.name} in A`);
            assert.equal(a.metadata.annotations?.[ANNOTATION], undefined, `${w.name} in A`);
            assert.equal(a.status.readyReplicas, w.replicas, `${w.name} in A ready`);
        }
    });

    it("refuses a namespace that does not exist, naming it (exit 1)", async () => {
        const ran = await tke2eks(["cutover", "scale-down", "-n", "no-such-ns", "--kubeconfig", sandbox.kubeconfig("a"), "--timeout", "30"]);
        assert.equal(ran.code, 1, ran.stderr);
        assert.match(ran.stderr, /namespace no-such-ns does not exist on cluster \S+/);
    });
});
