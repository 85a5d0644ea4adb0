/**
 * The migration stages under mocks, through the program itself: which resources each stage
 * declares, what each waits for (the recorded dependency graph), the Velero objects against
 * the upstream CRDs, the modifiers against Velero's strict format and, replayed on the
 * example app, against the rules.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { declareMigration } from "../../program";
import { applyResourceModifiers, groupResourceOf, validateModifierConfigMap } from "../../modifiers";
import { checkObject, engineOptions } from "../../rules/engine";
import { record, str } from "../../rules/objects";
import type { KubeObject } from "../../rules/types";
import { decodeMap } from "../../plan/wire";
import type { PlanResource } from "../../plan/model";
import { assertValidCustomResource } from "../support/crds";
import { declare, devConfig, type Declared } from "../components/harness";
import { PROJECT_DIR } from "../config/support";
import { plan } from "../plan/support";
import { closure } from "./support";

const BACKUP = "kubernetes:velero.io/v1:Backup";
const RESTORE = "kubernetes:velero.io/v1:Restore";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const COMMAND = "command:local:Command";
const RELEASE = "kubernetes:helm.sh/v3:Release";

function stage(s: string, more: string[] = []): Promise<Declared> {
    return declare(() => declareMigration(devConfig([`tke2eks:stage=${s}`, ...more]), { offline: true }), { stack: "dev" });
}

/** The run's resources are named under it (components/migrationRun.ts). */
const RUN = "migration-run-";

function command(d: Declared, name: string): PlanResource {
    return d.one(COMMAND, RUN + name);
}

function release(d: Declared, role: "source" | "target"): PlanResource {
    return d.one(RELEASE, `velero-${role}`);
}

function bslOf(r: PlanResource): Record<string, unknown> {
    return record((record(record(r.inputs.values).configuration).backupStorageLocation as unknown[])[0]);
}

/** B's sync period: on its shared location only, never the server flag (which restarts the pod). */
function targetSyncPeriod(d: Declared): unknown {
    const configuration = record(record(release(d, "target").inputs.values).configuration);
    assert.equal(configuration.backupSyncPeriod, undefined);
    const [shared, own] = configuration.backupStorageLocation as Record<string, unknown>[];
    assert.equal(own.backupSyncPeriod, undefined);
    return shared.backupSyncPeriod;
}

describe("stages: what each declares", () => {
    it("install: Velero only, no Backup, Restore or command", async () => {
        const d = await stage("install");
        for (const t of [BACKUP, RESTORE, CONFIG_MAP, COMMAND]) assert.equal(d.ofType(t).length, 0, t);
        assert.equal(targetSyncPeriod(d), undefined);
    });

    it("backup: the Backup in A after A's Velero, kept on delete, waited on by the awaiter; B syncs every 15s", async () => {
        const d = await stage("backup");
        const backup = d.one(BACKUP);
        assert.deepEqual(d.ofType(RESTORE), []);
        assert.deepEqual(d.ofType(COMMAND).map((c) => c.name), [`${RUN}backup-completed`]);
        assert.equal(d.resources.find((r) => r.urn === backup.provider)?.name, "tke2eks-source");
        assert.equal(backup.retainOnDelete, true);
        assert.ok(backup.dependencies.includes(release(d, "source").urn));
        const done = command(d, "backup-completed");
        assert.deepEqual(done.dependencies, [backup.urn]);
        assert.equal(done.inputs.create, "node bin/tke2eks await backup shop-1 --namespace velero --timeout 18000");
        // The kubeconfig travels as a secret environment variable, never on the command line.
        assert.deepEqual(done.inputs.environment, { TKE2EKS_KUBECONFIG: "[secret]", TKE2EKS_CONTEXT: "tke-a" });
        assert.equal(d.registration(done.urn).custom, true);
        assert.equal(targetSyncPeriod(d), "15s");
    });

    it("backup: CRD-valid, never file-system backup, DaemonSets left out, CSI snapshots when enabled", async () => {
        const d = await stage("backup");
        const backup = d.one(BACKUP).inputs;
        assertValidCustomResource(backup, "Backup");
        const spec = record(backup.spec);
        assert.deepEqual(spec.includedNamespaces, ["shop", "minio"]);
        assert.deepEqual(spec.excludedResources, ["daemonsets.apps"]);
        assert.equal(spec.defaultVolumesToFsBackup, false);
        assert.equal(spec.snapshotVolumes, true);
        assert.equal(spec.storageLocation, "default");
        assert.equal(spec.ttl, "720h");
        assert.equal(record(backup.metadata).name, "shop-1");

        const other = (await stage("backup", ["tke2eks:snapshots.enabled=false", "tke2eks:backup.includeDaemonSets=true", "tke2eks:backup.ttl=48h"])).one(BACKUP).inputs;
        assertValidCustomResource(other, "Backup");
        assert.equal(record(other.spec).snapshotVolumes, false);
        assert.equal(record(other.spec).excludedResources, undefined);
        assert.equal(record(other.spec).ttl, "48h");
    });

    it("restore: never without the Backup, the sync gate, the read-only location and the modifiers before it", async () => {
        const d = await stage("restore");
        const restore = d.one(RESTORE);
        const before = closure(d, restore);
        const target = release(d, "target");
        for (const r of [d.one(BACKUP), command(d, "backup-completed"), command(d, "backup-synced"), target, d.one(CONFIG_MAP)]) {
            assert.ok(before.has(r.urn), `the Restore waits for ${r.name}`);
        }
        assert.equal(bslOf(target).accessMode, "ReadOnly");
        assert.equal(targetSyncPeriod(d), "15s");
        assert.equal(d.resources.find((r) => r.urn === restore.provider)?.name, "tke2eks-target");
        assert.equal(restore.retainOnDelete, true);
        // The gate waits on B, for the Backup A finished.
        const gate = command(d, "backup-synced");
        assert.ok(gate.dependencies.includes(command(d, "backup-completed").urn));
        assert.equal(gate.inputs.create, "node bin/tke2eks await backup shop-1 --namespace velero --timeout 600 --location default");
        assert.equal(record(gate.inputs.environment).TKE2EKS_CONTEXT, "eks-b");
        assert.deepEqual(command(d, "restore-completed").dependencies, [restore.urn]);
        assert.deepEqual(d.ofType(COMMAND).map((c) => c.name.replace(RUN, "")).sort(), ["backup-completed", "backup-synced", "restore-completed"]);
        // The gate's measured wait (the awaiter's waitedSeconds) is an output, known once it ran.
        assert.equal(record(decodeMap(d.outputs, "display").restore).syncWaitSeconds, "[unknown]");
    });

    it("restore: CRD-valid, existing objects left alone, PVs from snapshots, modifiers referenced", async () => {
        const d = await stage("restore", ["tke2eks:restore.namespaceMapping={\"shop\":\"shop-eks\"}", "tke2eks:restore.allowPartiallyFailed=true"]);
        const restore = d.one(RESTORE).inputs;
        assertValidCustomResource(restore, "Restore");
        const spec = record(restore.spec);
        assert.equal(spec.backupName, "shop-1");
        assert.equal(spec.existingResourcePolicy, "none");
        assert.equal(spec.restorePVs, true);
        assert.deepEqual(spec.namespaceMapping, { shop: "shop-eks" });
        assert.deepEqual(spec.resourceModifier, { kind: "ConfigMap", name: "tke2eks-restore-modifiers-shop-1" });
        assert.match(str(command(d, "restore-completed").inputs.create) ?? "", / --allow-partially-failed$/);
    });

    it("restore: the ConfigMap parses under Velero's strict format, one key, version v1", async () => {
        const d = await stage("restore");
        const cm = d.one(CONFIG_MAP).inputs;
        assert.equal(record(cm.metadata).namespace, "velero");
        const check = validateModifierConfigMap(cm);
        assert.ok(check.ok, check.ok ? "" : check.errors.join("\n"));
        assert.equal(check.value.modifiers.version, "v1");
        assert.deepEqual(Object.keys(record(cm.data)), ["resource-modifiers.yaml"]);
        // NodePort → ClusterIP by default, LoadBalancer when configured.
        const lb = validateModifierConfigMap((await stage("restore", ["tke2eks:restore.nodePortServiceType=LoadBalancer"])).one(CONFIG_MAP).inputs);
        assert.ok(lb.ok);
        // The Service's fix, as the stack's Velero (v1.18.2) reads it: a strategic merge patch.
        const typeOp = (v: typeof lb) =>
            v.ok ? v.value.modifiers.resourceModifierRules.filter((r) => r.conditions.groupResource === "services").map((r) => (JSON.parse(r.strategicPatches?.[0].patchData ?? "{}") as { spec?: { type?: string } }).spec?.type)[0] : undefined;
        assert.equal(typeOp(check), "ClusterIP");
        assert.equal(typeOp(lb), "LoadBalancer");
        // Written for the target's Velero: v1.12.0 reads JSON patches only, and retain-ip must not come quoted.
        const old = validateModifierConfigMap((await stage("restore", ["tke2eks:target.veleroVersion=v1.12.0", "tke2eks:restore.retainIp=true"])).one(CONFIG_MAP).inputs, { velero: "v1.12.0" });
        assert.ok(old.ok, old.ok ? "" : old.errors.join("\n"));
        assert.ok(old.value.modifiers.resourceModifierRules.every((r) => (r.patches ?? []).length > 0 && !r.mergePatches && !r.strategicPatches));
        assert.ok(old.value.modifiers.resourceModifierRules.some((r) => (r.patches ?? []).some((p) => /retain-ip/.test(String(p.value)))), "retain-ip written as part of its map");
    });

    it("restore: the modifiers applied to the example app leave nothing the rules' fixes would change", async () => {
        const d = await stage("restore");
        const check = validateModifierConfigMap(d.one(CONFIG_MAP).inputs);
        assert.ok(check.ok);
        const engine = engineOptions("eks");
        const dir = path.join(PROJECT_DIR, "examples", "tke-app");
        let fixed = 0;
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
            for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"))) {
                const obj = doc.toJS() as KubeObject;
                const ns = str(record(obj.metadata).namespace);
                if (!ns || !["shop", "minio"].includes(ns)) continue;
                const before = checkObject(obj, engine).filter((f) => (f.autofix ?? []).length > 0);
                const { object: after, errors } = applyResourceModifiers(check.value.modifiers, obj, groupResourceOf(str(obj.apiVersion) ?? "", str(obj.kind) ?? "") ?? "", devConfig(["tke2eks:stage=restore"]).clusters.target.velero.velero);
                assert.deepEqual(errors, []);
                const left = checkObject(after, engine);
                assert.deepEqual(left.filter((f) => (f.autofix ?? []).length > 0 || f.severity === "error").map((f) => `${f.rule} ${f.path}`), [], `${file}: ${str(obj.kind)} ${ns}/${str(record(obj.metadata).name)}`);
                if (before.length > 0) fixed++;
            }
        }
        assert.ok(fixed >= 3, `the example has objects to fix (${fixed})`);
    });

    it("restore from the live source cluster: offline, the ConfigMap's data is unknown and the outputs say why", async () => {
        const d = await stage("restore", ["tke2eks:restore.modifiersFrom=source-cluster"]);
        assert.deepEqual(d.one(CONFIG_MAP).inputs.data, { "resource-modifiers.yaml": "[unknown]" });
        const outputs = decodeMap(d.outputs, "display");
        const modifiers = record(record(outputs.restore).modifiers);
        assert.match(str(modifiers.from) ?? "", /source cluster \(tke-a\) at deploy time; tke2eks plan stays offline/);
    });

    it("restore without modifiersFrom: the fixes come from the backup in the bucket once it completed, unknown in the plan", async () => {
        const d = await declare(() => {
            const config = devConfig(["tke2eks:stage=restore"]);
            delete config.restore.modifiersFrom;
            return declareMigration(config, { offline: true });
        }, { stack: "dev" });
        assert.deepEqual(d.one(CONFIG_MAP).inputs.data, "[unknown]");
        const restore = d.one(RESTORE);
        assert.equal(record(restore.inputs.spec).resourceModifier, "[unknown]");
        assert.ok(restore.dependencies.includes(d.one(CONFIG_MAP).urn));
        const modifiers = record(record(decodeMap(d.outputs, "display").restore).modifiers);
        assert.equal(modifiers.from, "backup: s3://tke2eks-dev-backups-1250000000/velero/backups/shop-1/shop-1.tar.gz (read once the Backup has completed)");
        assert.equal(modifiers.rules, "[unknown]");
    });

    it("complete: the shared location stays ReadOnly on B, B's sync period back, the inventory after the restore", async () => {
        const d = await stage("complete");
        assert.equal(bslOf(release(d, "source")).accessMode, "ReadWrite");
        assert.equal(bslOf(release(d, "target")).accessMode, "ReadOnly");
        assert.equal(targetSyncPeriod(d), undefined);
        const inventory = command(d, "inventory");
        assert.deepEqual(inventory.dependencies, [command(d, "restore-completed").urn]);
        assert.equal(inventory.inputs.create, "node bin/tke2eks inventory --restore-name shop-1 --namespace minio --namespace shop");
        // The verification fails the stage by default, after the restore finished, against B.
        const verify = command(d, "verify");
        assert.deepEqual(verify.dependencies, [command(d, "restore-completed").urn]);
        assert.equal(verify.inputs.create, "node bin/tke2eks verify --restore shop-1 --velero-namespace velero --namespace minio --namespace shop --format json --timeout 600");
        assert.deepEqual(verify.inputs.environment, { TKE2EKS_KUBECONFIG: "[secret]", TKE2EKS_CONTEXT: "eks-b" });
        assert.equal(d.resources.find((r) => r.urn === verify.provider), undefined, "a local command, not a cluster object");
        const outputs = decodeMap(d.outputs, "display");
        assert.deepEqual(Object.keys(record(outputs.verification)).sort(), ["backedUp", "inventory", "report", "restored", "rollback"]);
        assert.equal(record(outputs.verification).report, "[unknown]");
        assert.match(str(record(outputs.verification).rollback) ?? "", /velero\.io\/restore-name=shop-1/);
    });

    it("complete with tke2eks:verify.onFailure warn: the report is still an output, the stage does not fail on it", async () => {
        const d = await stage("complete", ["tke2eks:verify.onFailure=warn", "tke2eks:verify.timeout=120", "tke2eks:backup.includedNamespaces=[\"*\"]"]);
        const verify = command(d, "verify");
        assert.equal(verify.inputs.create, "node bin/tke2eks verify --restore shop-1 --velero-namespace velero --format json --timeout 120 --warn-only");
    });

    it("re-running a stage declares the same resources with the same inputs", async () => {
        const view = (d: Declared) => d.resources.map((r) => ({ urn: r.urn, deps: [...r.dependencies].sort(), inputs: r.inputs }));
        assert.deepEqual(view(await stage("complete")), view(await stage("complete")));
        // A new run is an explicit new name: the Backup and Restore change name, nothing else is added.
        const a = await stage("restore");
        const b = await stage("restore", ["tke2eks:run=shop-2"]);
        assert.deepEqual(b.resources.map((r) => r.urn), a.resources.map((r) => r.urn));
        assert.equal(record(b.one(RESTORE).inputs.spec).backupName, "shop-2");
    });
});

describe("stages: tke2eks plan", () => {
    it("--config tke2eks:stage=restore shows the Restore and its modifiers and passes the policy pack", async () => {
        const text = await plan({ config: ["tke2eks:stage=restore"] });
        assert.equal(text.code, 0, text.stdout + text.stderr);
        assert.match(text.stdout, /\+ kubernetes:velero\.io\/v1:Restore {2}migration-run-restore {2}\[kept on delete\]/);
        assert.match(text.stdout, /Restore modifiers and preview\n {2}from manifests: examples\/tke-app: 6 modifier rules in ConfigMap tke2eks-restore-modifiers-shop-1\n {2}preview: 7 objects: 4 restored, 3 fixed, 0 skipped, 0 refused\n/);
        assert.match(text.stdout, /Policy pack: 0 mandatory/);
        const yaml = await plan({ config: ["tke2eks:stage=restore"], format: "yaml" });
        assert.equal(yaml.code, 0);
        const docs = parseAllDocuments(yaml.stdout).map((d) => d.toJS() as KubeObject | null);
        const cm = docs.find((o) => o?.kind === "ConfigMap");
        assert.ok(cm && validateModifierConfigMap(cm).ok, "the ConfigMap in the YAML plan is Velero-valid");
        assert.ok(docs.some((o) => o?.kind === "Restore"));
    });
});
