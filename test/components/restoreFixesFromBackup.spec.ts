/**
 * The restore stage's fixes taken from the backup that will be restored: read from the bucket
 * (a real S3 server on 127.0.0.1) with the target cluster's store key once the Backup's
 * awaiter has completed, under Pulumi mocks with the awaiter's output known, as `pulumi up`
 * would run it; and the same backup as a tarball file for the offline plan.
 */
import type { ResourceModifierRule } from "../../modifiers/veleroFormat";
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { Migration } from "../../components/migration";
import { migrationSteps } from "../../components/migrationSteps";
import { backupInBucket, fixesFromBackup, restoreFixes, RestoreFixesError, type BackupFixes, type Fixes } from "../../components/restoreFixes";
import type { MigrationConfig } from "../../config";
import { MODIFIER_YAML_VERSION, validateModifierConfigMap } from "../../modifiers/validate";
import { decodeMap } from "../../plan/wire";
import { record, str } from "../../rules/objects";
import { backupObjects, manifestItems, writeBackup, type BackupItem } from "../preflight/backupTarball";
import { PROJECT_DIR } from "../config/support";
import { S3_KEY, startS3, type TestS3 } from "../support/s3Server";
import { declare, devConfig, type Declared } from "./harness";

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const RESTORE = "kubernetes:velero.io/v1:Restore";
const COMPLETED = JSON.stringify({ phase: "Completed", totalItems: 11, itemsBackedUp: 11, errors: 0, warnings: 0 });

/** The dev stack at the restore stage, with the fixes left to the backup in the bucket. */
function restoreConfig(): MigrationConfig {
    const config = devConfig(["tke2eks:stage=restore"]);
    delete config.restore.modifiersFrom;
    return config;
}

/** What providers return after create: each awaiter's status line, and the store's keys (the test server's). */
function created(key: { accessKeyId: string; secretAccessKey: string }) {
    return ({ type }: { type: string }): Record<string, unknown> => {
        if (type === "command:local:Command") return { stdout: `${COMPLETED}\n` };
        if (/AccessKey$/i.test(type)) return { accessKey: key.accessKeyId, secretAccessKey: key.secretAccessKey };
        return {};
    };
}

/** Runs the restore stage as `pulumi up` would, its bucket being the test server. */
async function deploy(s3: TestS3, key: { accessKeyId: string; secretAccessKey: string } = S3_KEY, run = "shop-1"): Promise<Declared> {
    const config = restoreConfig();
    config.run = run;
    return declare(
        async () => {
            const fixes = (await restoreFixes(config, { offline: false })) as BackupFixes;
            // Where the bucket is: the test server instead of cos.<region>.myqcloud.com.
            const where: Fixes = { ...fixes, s3: { ...fixes.s3, endpoint: s3.endpoint, forcePathStyle: true, timeoutSeconds: 2, maxAttempts: 1 } };
            const migration = new Migration("migration", { config, steps: migrationSteps(where) });
            return migration.steps;
        },
        { stack: "dev", preview: false, outputs: created(key) },
    );
}

function rules(d: Declared): ResourceModifierRule[] {
    const check = validateModifierConfigMap(d.one(CONFIG_MAP).inputs);
    assert.ok(check.ok, check.ok ? "" : check.errors.join("\n"));
    return check.value.modifiers.resourceModifierRules;
}

describe("restore fixes from the backup in the bucket", function () {
    this.timeout(30000);
    let s3: TestS3;
    let dir: string;
    let tarball: string;
    const bucket = "tke2eks-dev-backups-1250000000";

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-deploy-fixes-"));
        s3 = await startS3();
        // What a Backup of shop and minio holds (with their Namespace objects), as Velero writes it.
        const items = backedUp(manifestItems(path.join(PROJECT_DIR, "examples", "tke-app")));
        tarball = path.join(dir, "shop-1.tar.gz");
        await writeBackup(tarball, items);
        await s3.put(bucket, backupObjects("velero", "shop-1", tarball, items, ["shop", "minio"]));
        // A backup with nothing to fix: one ConfigMap.
        const quiet: BackupItem[] = [{ groupResource: "configmaps", obj: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "shop" }, data: { a: "b" } } }];
        const quietFile = path.join(dir, "quiet-1.tar.gz");
        await writeBackup(quietFile, quiet);
        await s3.put(bucket, backupObjects("velero", "quiet-1", quietFile, quiet, ["shop"]));
    });
    after(async () => {
        await s3.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("unset modifiersFrom means the backup in Velero's location: bucket, prefix, run, COS endpoint and addressing", () => {
        assert.deepEqual(backupInBucket(restoreConfig()), {
            backup: `s3://${bucket}/velero/backups/shop-1/shop-1.tar.gz`,
            s3: { endpoint: "https://cos.ap-guangzhou.myqcloud.com", region: "ap-guangzhou", forcePathStyle: false },
        });
    });

    it("pulumi up: once the Backup has completed, the ConfigMap holds the backup's fixes and the Restore references it", async () => {
        const d = await deploy(s3);
        const all = rules(d);
        const web = all.filter((r) => r.conditions.groupResource === "services" && r.conditions.namespaces?.includes("shop") && new RegExp(r.conditions.resourceNameRegex ?? "").test("web"));
        assert.ok(web.length > 0, "the NodePort Service web has a rule");
        // Written for the target's Velero (v1.18.2: a strategic merge patch on the Service).
        const patchData = web.flatMap((r) => [...(r.strategicPatches ?? []), ...(r.mergePatches ?? [])]).map((p) => JSON.parse(p.patchData) as { spec?: { type?: string } });
        assert.ok(patchData.some((p) => p.spec?.type === "ClusterIP"), JSON.stringify(web));
        assert.ok(!all.some((r) => r.conditions.namespaces?.includes("monitoring")), "only the backed-up namespaces");
        const restore = d.one(RESTORE);
        assert.deepEqual(record(restore.inputs.spec).resourceModifier, { kind: "ConfigMap", name: "tke2eks-restore-modifiers-shop-1" });
        assert.ok(restore.dependencies.includes(d.one(CONFIG_MAP).urn));

        const outputs = decodeMap(d.outputs, "display");
        const modifiers = record(record(outputs.restore).modifiers);
        assert.equal(modifiers.from, `backup: s3://${bucket}/velero/backups/shop-1/shop-1.tar.gz (read once the Backup has completed)`);
        assert.equal(modifiers.rules, all.length);
        const items = backedUp(manifestItems(path.join(PROJECT_DIR, "examples", "tke-app")));
        const namespaced = items.filter((i) => str(record(i.obj.metadata).namespace) !== undefined);
        assert.equal(modifiers.objects, namespaced.length, "the shop and minio objects, each counted once");
    });

    it("gives the same modifiers as the same backup given as a tarball file (the offline plan's form)", async () => {
        const fromBucket = d2yaml(await deploy(s3));
        const config = devConfig(["tke2eks:stage=restore", `tke2eks:restore.modifiersFrom=${JSON.stringify([tarball])}`]);
        assert.deepEqual(config.restore.modifiersFrom, { kind: "backup-file", path: tarball, given: tarball });
        const offline = await declare(async () => new Migration("migration", { config, steps: migrationSteps(await restoreFixes(config, { offline: true })) }).steps, { stack: "dev" });
        assert.deepEqual(d2yaml(offline), fromBucket);
        assert.equal(str(record(record(decodeMap(offline.outputs, "display").restore).modifiers).from), `backup: ${tarball}`);
    });

    it("a backup with nothing to fix: the ConfigMap says so and the Restore does not reference it", async () => {
        const d = await deploy(s3, S3_KEY, "quiet-1");
        assert.match(str(record(d.one(CONFIG_MAP).inputs.data)["resource-modifiers.yaml"]) ?? "", /^# No object in the backup needs an automatic fix/);
        assert.equal(record(d.one(RESTORE).inputs.spec).resourceModifier, undefined);
    });

    it("a bucket that refuses the key: one line naming the backup, never the key (what the apply raises as RunError)", async () => {
        const key = { accessKeyId: "AKIDDEPLOYLEAK0000001", secretAccessKey: "deploy-secret-value-1" };
        const config = restoreConfig();
        const where = backupInBucket(config);
        const local = { ...where, s3: { ...where.s3, endpoint: s3.endpoint, forcePathStyle: true, timeoutSeconds: 2, maxAttempts: 1 } };
        await assert.rejects(fixesFromBackup(config, local, key), (err: unknown) => {
            assert.ok(err instanceof RestoreFixesError);
            const text = `${String(err)}\n${err.stack ?? ""}`;
            assert.match(err.message, /^restore fixes from the backup: s3:\/\/tke2eks-dev-backups-1250000000\/velero\/backups\/shop-1\/shop-1\.tar\.gz: access denied \(403 InvalidAccessKeyId\): the credentials from the given key cannot read it$/);
            assert.ok(!text.includes(key.accessKeyId) && !text.includes(key.secretAccessKey), text);
            return true;
        });
        const missing = { ...local, backup: `s3://${bucket}/velero/backups/shop-9/shop-9.tar.gz` };
        await assert.rejects(fixesFromBackup(config, missing, S3_KEY), /shop-9\.tar\.gz: no such key in the bucket \(NoSuchKey\)/);
    });
});

/** The items of the shop and minio namespaces, and those namespaces. */
function backedUp(items: BackupItem[]): BackupItem[] {
    const namespaces = ["shop", "minio"];
    return items.filter((i) => {
        const meta = record(i.obj.metadata);
        return namespaces.includes(str(meta.namespace) ?? "") || (i.obj.kind === "Namespace" && namespaces.includes(str(meta.name) ?? ""));
    });
}

/** The modifiers document of a run, parsed. */
function d2yaml(d: Declared): unknown {
    return parse(str(record(d.one(CONFIG_MAP).inputs.data)["resource-modifiers.yaml"]) ?? "", { version: MODIFIER_YAML_VERSION });
}
