/**
 * The team's own restore changes on the real programs, on a sandbox of its own: a modifier file
 * (one merge patch, one strategic patch: examples/restore-changes/team-modifiers.yaml), a
 * StorageClass mapping cbs-csi → a class B has, and an image mapping, run through the backup
 * and restore stages as the program declares them. The objects Velero restores into B carry
 * the changes, and restore-preview predicted each of them.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { must, REPO, Sandbox, startSandbox, Steps, stopSandbox } from "./support";

const RUN = "changes-1";
const MODIFIERS = path.join(REPO, "examples", "restore-changes", "team-modifiers.yaml");
const FROM_IMAGE = "ccr.ccs.tencentyun.com/shop";
const TO_IMAGE = "registry.b.example/shop";
/** A class of B's own, beside the cbs-csi both clusters have (fixtures/storage.yaml). */
const B_CLASS = "cbs-csi-premium";

const CHANGES = [
    `tke2eks:restore.modifiers=${JSON.stringify([MODIFIERS])}`,
    `tke2eks:restore.storageClassMapping=${JSON.stringify({ "cbs-csi": B_CLASS })}`,
    `tke2eks:restore.imageMapping=${JSON.stringify({ [FROM_IMAGE]: TO_IMAGE })}`,
];
const BACKUP = [`tke2eks:run=${RUN}`, `tke2eks:backup.includedNamespaces=${JSON.stringify(["shop"])}`];

/** A claim the storage-class mapping moves (unbound: nothing provisions in A, and that is all the restore needs). */
const CLAIM = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "uploads", namespace: "shop" },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName: "cbs-csi", resources: { requests: { storage: "10Gi" } } },
};

interface PreviewObject {
    kind: string;
    namespace?: string;
    name: string;
    outcome: string;
    reasons: string[];
}

type Container = { name: string; image: string; env?: { name: string; value?: string }[] };

const steps = new Steps();
const timed = steps.timed.bind(steps);

describe("e2e: the team's restore changes (modifier file, StorageClass and image mapping) on real Velero", function () {
    this.timeout(30 * 60_000);
    this.bail(true);
    let sandbox: Sandbox;
    let preview: PreviewObject[];
    const log = (line: string) => process.stderr.write(`      ${line}\n`);
    const getB = async (args: string[]) => JSON.parse(must(`get ${args.join(" ")}`, await sandbox.kubectl("b", ["get", ...args, "-o", "json"])).stdout) as Record<string, unknown>;

    before(
        "sandbox up",
        timed("sandbox up", async () => {
            sandbox = await startSandbox();
        }),
    );

    after("sandbox down", async () => {
        await stopSandbox(sandbox);
        steps.report(log);
    });

    it(
        "runs the shop in A with a claim on cbs-csi; B has cbs-csi and a class of its own",
        timed("workloads in A", async () => {
            for (const cluster of ["a", "b"] as const) must("storage class", await sandbox.kubectl(cluster, ["apply", "-f", path.join(__dirname, "fixtures", "storage.yaml")]));
            const premium = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: B_CLASS }, provisioner: "com.tencent.cloud.csi.cbs", reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer" };
            must("B's class", await sandbox.kubectl("b", ["apply", "-f", "-"], JSON.stringify(premium)));
            must("apply", await sandbox.kubectl("a", ["apply", "-f", path.join(REPO, "examples", "tke-app", "shop.yaml")]));
            must("claim", await sandbox.kubectl("a", ["apply", "-f", "-"], JSON.stringify(CLAIM)));
            must("rollout", await sandbox.kubectl("a", ["rollout", "status", "deployment/web", "-n", "shop", "--timeout=180s"]));
        }),
    );

    it(
        "backs up A through the backup stage",
        timed("backup stage", async () => {
            await sandbox.deploy(["tke2eks:stage=backup", ...BACKUP], log);
            const backup = JSON.parse(must("get backup", await sandbox.kubectl("a", ["get", "backups.velero.io", RUN, "-n", "velero", "-o", "json"])).stdout) as { status: { phase: string } };
            assert.equal(backup.status.phase, "Completed");
        }),
    );

    it(
        "previews the changes per object from the backup in the bucket",
        timed("restore-preview", async () => {
            const ran = await sandbox.restorePreview(RUN, [...BACKUP, ...CHANGES]);
            must("restore-preview", ran, [0, 1]);
            preview = (JSON.parse(ran.stdout) as { objects: PreviewObject[] }).objects;
            const reasons = (kind: string, name: string) => preview.find((o) => o.kind === kind && o.namespace === "shop" && o.name === name)?.reasons ?? [];
            const web = reasons("Deployment", "web");
            assert.ok(web.some((r) => r.startsWith(`imageMapping: /spec/template/spec/containers/0/image ${FROM_IMAGE}/web:2.4.1 → ${TO_IMAGE}/web:2.4.1`)), web.join("\n"));
            assert.ok(web.some((r) => /team-modifiers\.yaml rule 0: changed \/metadata\/labels\/migrated-to$/.test(r)), web.join("\n"));
            assert.ok(web.some((r) => /team-modifiers\.yaml rule 1: changed \/spec\/template\/spec\/containers\/0\/env$/.test(r)), web.join("\n"));
            assert.ok(reasons("PersistentVolumeClaim", "uploads").some((r) => r.startsWith(`storageClassMapping: /spec/storageClassName cbs-csi → ${B_CLASS}`)));
            assert.ok(reasons("StatefulSet", "orders").some((r) => r.startsWith("imageMapping:")), "the StatefulSet's image too");
        }),
    );

    it(
        "restores into B through the restore stage, Velero's plugin ConfigMaps beside the modifiers",
        timed("restore stage", async () => {
            const tarball = path.join(sandbox.dir, `${RUN}.tar.gz`);
            fs.writeFileSync(tarball, (await sandbox.object(`backups/${RUN}/${RUN}.tar.gz`))!);
            await sandbox.deploy(["tke2eks:stage=restore", ...BACKUP, ...CHANGES, `tke2eks:restore.modifiersFrom=${JSON.stringify([tarball])}`], log);
            const restore = (await getB(["restores.velero.io", RUN, "-n", "velero"])) as { status: { phase: string; errors?: number } };
            assert.equal(restore.status.phase, "Completed", JSON.stringify(restore.status));
            const sc = (await getB(["configmap", "tke2eks-change-storage-class", "-n", "velero"])) as { metadata: { labels: Record<string, string> }; data: Record<string, string> };
            assert.equal(sc.metadata.labels["velero.io/change-storage-class"], "RestoreItemAction");
            assert.deepEqual(sc.data, { "cbs-csi": B_CLASS });
        }),
    );

    it(
        "B's objects carry the changes the preview predicted",
        timed("changes in B", async () => {
            const web = (await getB(["deployment", "web", "-n", "shop"])) as { metadata: { labels: Record<string, string> }; spec: { template: { spec: { containers: Container[] } } } };
            assert.equal(web.metadata.labels["migrated-to"], "eks", "the merge patch");
            const container = web.spec.template.spec.containers.find((c) => c.name === "web")!;
            assert.equal(container.image, `${TO_IMAGE}/web:2.4.1`, "the image mapping");
            assert.ok(container.env?.some((e) => e.name === "CLUSTER" && e.value === "eks"), `the strategic patch: ${JSON.stringify(container.env)}`);
            const orders = (await getB(["statefulset", "orders", "-n", "shop"])) as { spec: { template: { spec: { containers: Container[] } } } };
            assert.equal(orders.spec.template.spec.containers[0].image, `${TO_IMAGE}/orders:1.9.0`);
            const claim = (await getB(["pvc", "uploads", "-n", "shop"])) as { spec: { storageClassName: string } };
            assert.equal(claim.spec.storageClassName, B_CLASS, "the StorageClass mapping");
            for (const [kind, name] of [["Deployment", "web"], ["StatefulSet", "orders"], ["PersistentVolumeClaim", "uploads"]]) {
                assert.equal(preview.find((o) => o.kind === kind && o.name === name)?.outcome, "fixed", `${kind} ${name} predicted fixed`);
            }
        }),
    );
});
