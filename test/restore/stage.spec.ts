/**
 * The restore stage's use of the preview: its tally (counts, refused objects with why), the
 * gate that stops the stage, the Backup's scope over manifests, and cluster B's Kubernetes
 * version (tke2eks:target.kubernetesVersion) reaching the pipeline and `restore-preview --stack`.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { backupScope } from "../../restore/backupScope";
import { pipelineFor, stackRestore } from "../../restore/stack";
import { PreviewTally, refusalMessage, refusalsThatStop } from "../../restore/stageSummary";
import { devConfig } from "../components/harness";
import { writeBackup } from "../preflight/backupTarball";
import { backupItems, served, servedService, servedWorkload } from "./liveObjects";
import { preview, tmpdir, type PreviewJson } from "./support";

type Obj = Record<string, unknown>;
const ROOT = path.join(__dirname, "..", "..");

const cronJob = (apiVersion: string) =>
    served({
        apiVersion,
        kind: "CronJob",
        metadata: { name: "report", namespace: "shop" },
        spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "report", image: "report:1" }] } } } } },
    });

/** A Service B's API server refuses though no rule does: a ClusterIP Service keeping externalTrafficPolicy. */
const clusterIpWithPolicy = () => served({ apiVersion: "v1", kind: "Service", metadata: { name: "internal", namespace: "shop" }, spec: { type: "ClusterIP", externalTrafficPolicy: "Cluster", selector: { app: "x" }, ports: [{ port: 80 }] } });

function judgeAll(overrides: string[], objects: readonly Obj[]) {
    const config = devConfig(["tke2eks:stage=restore", ...overrides]);
    const pipeline = pipelineFor(stackRestore(config, "shop-1"));
    const tally = new PreviewTally();
    for (const item of backupItems(objects)) tally.add(pipeline.judge(item.obj, item.groupResource));
    return tally.result();
}

describe("restore stage: the preview's tally and gate", () => {
    it("counts every outcome and keeps the refused objects with only the reasons B refuses them for", () => {
        const daemonSet = servedWorkload({
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            metadata: { name: "log-agent", namespace: "shop" },
            spec: { selector: { matchLabels: { app: "log-agent" } }, template: { metadata: { labels: { app: "log-agent" } }, spec: { containers: [{ name: "a", image: "a:1" }] } } },
        });
        const nodePort = servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } });
        const cm = served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "shop" }, data: {} });
        const result = judgeAll([], [cm, nodePort, ...daemonSet, clusterIpWithPolicy()]);
        // The DaemonSet's ControllerRevision and its two Pods are left out by the owned-objects selector.
        assert.deepEqual(result.summary, { objects: 7, restored: 1, fixed: 1, skipped: 3, refused: 2 });
        assert.deepEqual(
            result.refused.map((r) => r.object),
            ["DaemonSet shop/log-agent", "Service shop/internal"],
        );
        assert.match(result.refused[0].reasons[0], /^eks-no-daemonset: /);
        assert.ok(!result.refused[0].reasons.some((r) => r.startsWith("owned by")), "only why B refuses it");
        assert.deepEqual(result.refused[1].reasons, ['API validation: spec.externalTrafficPolicy: Invalid value: "Cluster": may only be set for externally-accessible services']);
    });

    it("a rule's refusal always stops the stage; API validation alone only without allowPartiallyFailed", () => {
        const rule = { object: "DaemonSet shop/a", reasons: ["eks-no-daemonset: DaemonSet cannot run"] };
        const api = { object: "Service shop/b", reasons: ["API validation: spec.ports: Required value"] };
        const both = { object: "Service shop/c", reasons: ["API validation: spec.ports: Required value", "eks-reserved-ports: port 9100"] };
        const preview = { summary: { objects: 3, restored: 0, fixed: 0, skipped: 0, refused: 3 }, refused: [rule, api, both] };
        assert.deepEqual(refusalsThatStop(preview, false), [rule, api, both]);
        assert.deepEqual(refusalsThatStop(preview, true), [rule, both]);
        assert.equal(
            refusalMessage([rule, both], "backup: s3://b/velero/backups/shop-1/shop-1.tar.gz"),
            "the restore stops before the Restore is created: cluster B would refuse 2 object(s) in backup: s3://b/velero/backups/shop-1/shop-1.tar.gz" +
                " (fix them in cluster A and back up again under a new run name, leave them out with tke2eks:restore.excludedResources or excludedNamespaces," +
                " or waive a rule's refusal in the file tke2eks:restore.waivers names):\n" +
                "  - DaemonSet shop/a: eks-no-daemonset: DaemonSet cannot run\n" +
                "  - Service shop/c: API validation: spec.ports: Required value; eks-reserved-ports: port 9100",
        );
    });

    it("the stop names the first 20 refused objects and says how many more and where to see them", () => {
        const refused = Array.from({ length: 23 }, (_, i) => ({ object: `DaemonSet shop/d${i}`, reasons: ["eks-no-daemonset: DaemonSet cannot run"] }));
        const lines = refusalMessage(refused, "backup: b").split("\n");
        assert.match(lines[0], /would refuse 23 object\(s\) in backup: b /);
        assert.deepEqual(lines.slice(1, -1), refused.slice(0, 20).map((o) => `  - ${o.object}: eks-no-daemonset: DaemonSet cannot run`));
        assert.equal(lines.at(-1), "  … and 3 more (tke2eks restore-preview --stack <stack> --backup <the same backup> lists every one)");
        assert.equal(refusalMessage(refused.slice(0, 20), "backup: b").split("\n").length, 21, "exactly 20: all named, no tail");
    });

    it("manifests are previewed as far as the Backup takes them: its namespaces, resources (no DaemonSets) and selector", () => {
        const scoped = backupScope(devConfig(["tke2eks:stage=restore", 'tke2eks:backup.labelSelector={"matchLabels":{"team":"shop"}}']));
        const obj = (namespace: string | undefined, labels: Record<string, string> = { team: "shop" }) => ({ metadata: { name: "x", ...(namespace ? { namespace } : {}), labels } });
        assert.equal(scoped("configmaps", obj("shop")), true);
        assert.equal(scoped("configmaps", obj("monitoring")), false, "not a backed-up namespace");
        assert.equal(scoped("configmaps", obj(undefined)), false, "cluster-scoped: no fix the restore could use");
        assert.equal(scoped("daemonsets.apps", obj("shop")), false, "DaemonSets stay out of the backup");
        assert.equal(scoped("configmaps", obj("shop", { team: "other" })), false, "the Backup's label selector");
        // velero.io/exclude-from-backup=true on the object (item_backupper.go:116) or its namespace (backup_controller.go:506-513).
        assert.equal(scoped("configmaps", obj("shop", { team: "shop", "velero.io/exclude-from-backup": "true" })), false);
        assert.equal(scoped("namespaces", { metadata: { name: "shop", labels: { "velero.io/exclude-from-backup": "true" } } }), false);
        assert.equal(scoped("configmaps", obj("shop")), false, "its namespace is labelled");
        const withDaemonSets = backupScope(devConfig(["tke2eks:stage=restore", "tke2eks:backup.includeDaemonSets=true"]));
        assert.equal(withDaemonSets("daemonsets.apps", obj("shop")), true);
    });
});

describe("restore stage: cluster B's Kubernetes version (tke2eks:target.kubernetesVersion)", () => {
    let dir: string;
    before(() => {
        dir = tmpdir();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("refuses an object in a version B no longer serves, and only then", () => {
        const at125 = judgeAll(["tke2eks:target.kubernetesVersion=1.25"], [cronJob("batch/v1beta1"), cronJob("batch/v1")]);
        assert.equal(at125.summary.refused, 1);
        assert.equal(at125.refused[0].object, "CronJob shop/report");
        assert.match(at125.refused[0].reasons[0], /^k8s-api-versions: CronJob shop\/report will not arrive: Velero restores it as batch\/v1beta1 .* Kubernetes 1\.25 \(upstream removals\) does not serve/);
        const at124 = judgeAll(["tke2eks:target.kubernetesVersion=1.24"], [cronJob("batch/v1beta1")]);
        assert.deepEqual(at124.summary, { objects: 1, restored: 1, fixed: 0, skipped: 0, refused: 0 });
    });

    it("restore-preview --stack picks it up", async () => {
        const file = path.join(dir, "cron.tar.gz");
        await writeBackup(file, backupItems([cronJob("batch/v1beta1")]));
        const at = async (version: string) => {
            const run = await preview({ backup: file, format: "json", stack: "dev", cwd: ROOT, config: [`tke2eks:target.kubernetesVersion=${version}`] });
            return { code: run.code, doc: JSON.parse(run.stdout) as PreviewJson };
        };
        const refused = await at("1.28");
        assert.equal(refused.code, 1);
        assert.equal(refused.doc.objects[0].outcome, "refused");
        assert.match(refused.doc.objects[0].reasons[0], /^k8s-api-versions: .*Kubernetes 1\.28/);
        const restored = await at("1.21");
        assert.equal(restored.code, 0);
        assert.equal(restored.doc.objects[0].outcome, "restored");
    });

    it("restore-preview --stack uses the stack's tke2eks:restore.waivers; --waivers replaces them", async () => {
        const file = path.join(dir, "daemonset.tar.gz");
        await writeBackup(file, backupItems(servedWorkload({
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            metadata: { name: "log-agent", namespace: "shop" },
            spec: { selector: { matchLabels: { app: "log-agent" } }, template: { metadata: { labels: { app: "log-agent" } }, spec: { containers: [{ name: "a", image: "a:1" }] } } },
        })));
        const stackWaivers = path.join(dir, "stack-waivers.yaml");
        fs.writeFileSync(stackWaivers, "- {rule: eks-no-daemonset, namespace: shop, name: log-agent, reason: kept on purpose, expires: 2099-01-01}\n");
        const other = path.join(dir, "other-waivers.yaml");
        fs.writeFileSync(other, "- {rule: eks-no-daemonset, namespace: shop, name: something-else, reason: x, expires: 2099-01-01}\n");
        const outcome = async (extra: { waivers?: string }) => {
            const run = await preview({ backup: file, format: "json", stack: "dev", cwd: ROOT, config: [`tke2eks:restore.waivers=${stackWaivers}`], ...extra });
            return (JSON.parse(run.stdout) as PreviewJson).objects.find((o) => o.kind === "DaemonSet");
        };
        const waived = await outcome({});
        assert.equal(waived?.outcome, "restored");
        assert.match(waived?.reasons[0] ?? "", /^eks-no-daemonset waived until 2099-01-01: kept on purpose$/);
        assert.equal((await outcome({ waivers: other }))?.outcome, "refused");
    });
});
