/**
 * The migration, end to end, on the real programs: `tke2eks sandbox up` starts clusters A and B
 * (etcd, kube-apiserver, kube-controller-manager), an S3 server and Velero with the aws plugin;
 * examples/tke-app and the hard cases go into A; then the stages run as the program declares
 * them: live preflight of A, the Backup and its wait, B's sync gate, the preview of the backup
 * read from the bucket, the Restore with the fixes as resource modifiers and its wait, verify.
 * The preview is held against what Velero really did, object by object.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { must, REPO, Sandbox, startSandbox, Steps, stopSandbox, tke2eks } from "./support";

const RUN = "rehearsal-1";
const NAMESPACES = ["shop", "minio", "edge"];

interface PreviewObject {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
    outcome: "restored" | "fixed" | "skipped" | "refused";
    reasons: string[];
}

const steps = new Steps();
const timed = steps.timed.bind(steps);

describe("e2e: migrate examples/tke-app from real cluster A to real cluster B with real Velero", function () {
    // The first run builds the programs (minutes); later steps wait on Velero.
    this.timeout(40 * 60_000);
    // Each step builds on the one before: the first failure is the one to read.
    this.bail(true);
    let sandbox: Sandbox;
    let preview: { objects: PreviewObject[] };
    const log = (line: string) => process.stderr.write(`      ${line}\n`);

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
        "runs the workloads in A: examples/tke-app and the hard cases, with a finished Job from the CronJob",
        timed("workloads in A", async () => {
            for (const cluster of ["a", "b"] as const) must("storage class", await sandbox.kubectl(cluster, ["apply", "-f", path.join(__dirname, "fixtures", "storage.yaml")]));
            must("apply", await sandbox.kubectl("a", ["apply", "-f", path.join(REPO, "examples", "tke-app"), "-f", path.join(__dirname, "fixtures", "edge.yaml")]));
            must("job from cronjob", await sandbox.kubectl("a", ["create", "job", "report-manual", "--from=cronjob/report", "-n", "edge"]));
            must("job done", await sandbox.kubectl("a", ["wait", "--for=condition=Complete", "job/report-manual", "-n", "edge", "--timeout=120s"]));
            for (const [ns, workload] of [["shop", "deployment/web"], ["shop", "statefulset/orders"], ["minio", "deployment/minio"], ["edge", "statefulset/queue"], ["edge", "daemonset/agent"]]) {
                must(`rollout ${workload}`, await sandbox.kubectl("a", ["rollout", "status", workload, "-n", ns, "--timeout=180s"]));
            }
            must("claims bound", await sandbox.kubectl("a", ["wait", "--for=jsonpath={.status.phase}=Bound", "pvc", "--all", "-n", "edge", "--timeout=120s"]));
            const token = JSON.parse(must("token", await sandbox.kubectl("a", ["get", "secret", "deployer-token", "-n", "edge", "-o", "json"])).stdout) as { data?: { token?: string } };
            assert.ok(token.data?.token, "the token controller filled the legacy token Secret");
            const auto = JSON.parse(must("svc", await sandbox.kubectl("a", ["get", "svc", "auto-nodeport", "-n", "edge", "-o", "json"])).stdout) as { spec: { ports: { nodePort?: number }[] } };
            assert.ok(auto.spec.ports[0].nodePort, "the API server assigned a nodePort");
        }),
    );

    it(
        "finds in the live preflight of A what the serverless cluster cannot run",
        timed("live preflight", async () => {
            const ran = must(
                "preflight",
                await tke2eks(["preflight", "--kubeconfig", sandbox.kubeconfig("a"), ...NAMESPACES.flatMap((n) => ["--namespace", n]), "--format", "json"]),
                [1],
            );
            const findings = (JSON.parse(ran.stdout) as { findings: { rule: string; kind: string; name: string }[] }).findings;
            const has = (rule: string, kind: string, name: string) => findings.some((f) => f.rule === rule && f.kind === kind && f.name === name);
            assert.ok(has("eks-no-daemonset", "DaemonSet", "agent"), "the DaemonSet on the nodes");
            assert.ok(
                findings.some((f) => f.kind === "Pod" && f.name === "probe"),
                "the Pod on a hostPort",
            );
            assert.ok(
                findings.some((f) => f.kind === "Service" && f.name === "auto-nodeport"),
                "the NodePort Service",
            );
        }),
    );

    it(
        "backs up A: the Backup the backup stage declares, waited on until Completed",
        timed("backup stage", async () => {
            await sandbox.deploy(["tke2eks:stage=backup", `tke2eks:backup.includedNamespaces=${JSON.stringify(NAMESPACES)}`], log);
            const backup = JSON.parse(must("get backup", await sandbox.kubectl("a", ["get", "backups.velero.io", RUN, "-n", "velero", "-o", "json"])).stdout) as { status: { phase: string } };
            assert.equal(backup.status.phase, "Completed");
            assert.ok(await sandbox.object(`backups/${RUN}/${RUN}.tar.gz`), "the tarball is in the bucket");
        }),
    );

    it(
        "previews the restore from the backup in the bucket",
        timed("restore-preview", async () => {
            const ran = await sandbox.restorePreview(RUN, [`tke2eks:backup.includedNamespaces=${JSON.stringify(NAMESPACES)}`]);
            must("restore-preview", ran, [0, 1]);
            preview = JSON.parse(ran.stdout) as { objects: PreviewObject[] };
            assert.ok(preview.objects.length > 20, `the preview lists the backup's objects (${preview.objects.length})`);
        }),
    );

    it(
        "restores into B: the sync gate, the Restore with the fixes as resource modifiers, waited on until Completed",
        timed("restore stage", async () => {
            const tarball = path.join(sandbox.dir, `${RUN}.tar.gz`);
            fs.writeFileSync(tarball, (await sandbox.object(`backups/${RUN}/${RUN}.tar.gz`))!);
            await sandbox.deploy(
                ["tke2eks:stage=restore", `tke2eks:backup.includedNamespaces=${JSON.stringify(NAMESPACES)}`, `tke2eks:restore.modifiersFrom=${JSON.stringify([tarball])}`],
                log,
            );
            const restore = JSON.parse(must("get restore", await sandbox.kubectl("b", ["get", "restores.velero.io", RUN, "-n", "velero", "-o", "json"])).stdout) as { status: { phase: string } };
            assert.equal(restore.status.phase, "Completed");
        }),
    );

    it(
        "predicted what Velero did, object by object (Velero's restore resource list and the objects in B)",
        timed("preview against Velero", async () => {
            // pkg/restore/restore.go at v1.18.2 records each item it handled: "<ns>/<name>(created|updated|skipped|failed)".
            const done = (await sandbox.json(`restores/${RUN}/restore-${RUN}-resource-list.json.gz`)) as Record<string, string[]>;
            const actions = new Map<string, string>();
            for (const [gvk, items] of Object.entries(done)) {
                const kind = gvk.split("/").pop()!;
                for (const item of items) {
                    const m = /^(.*)\((\w+)\)$/.exec(item);
                    if (m) actions.set(`${kind} ${m[1]}`, m[2]);
                }
            }
            const wrong: string[] = [];
            for (const o of preview.objects) {
                const key = `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
                const action = actions.get(key);
                const arrives = o.outcome === "restored" || o.outcome === "fixed";
                const velero = action === "created" || action === "updated";
                if (arrives !== velero) wrong.push(`${key}: preview ${o.outcome} (${o.reasons.join("; ")}), Velero ${action ?? "did not handle it"}`);
            }
            assert.deepEqual(wrong, []);
        }),
    );

    it(
        "verifies B: everything the backup held arrived and is ready",
        timed("verify", async () => {
            const ran = await tke2eks(["verify", "--restore", RUN, "--kubeconfig", sandbox.kubeconfig("b"), "-o", "json", "--timeout", "3m"]);
            const report = JSON.parse(ran.stdout) as { namespaces: Record<string, { notReady: { kind: string; name: string; reason?: string }[]; missing: { kind: string; name: string }[] }> };
            const wrong = Object.entries(report.namespaces).flatMap(([ns, r]) => [
                ...r.notReady.map((o) => `not ready: ${o.kind} ${ns}/${o.name}: ${o.reason ?? ""}`),
                ...r.missing.map((o) => `missing: ${o.kind} ${ns}/${o.name}`),
            ]);
            assert.deepEqual(wrong, []);
            assert.equal(ran.code, 0, ran.stderr);
        }),
    );
});
