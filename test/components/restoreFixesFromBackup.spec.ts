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
import { backupInBucket, fixesFromBackup, restoreFixes, type BackupFixes, type Fixes, type RestoreFixes } from "../../restore/stageFixes";
import type { MigrationConfig } from "../../config";
import { MODIFIER_YAML_VERSION, validateModifierConfigMap } from "../../modifiers/validate";
import { decodeMap } from "../../plan/wire";
import { record, str } from "../../rules/objects";
import { backupObjects, manifestItems, writeBackup, type BackupItem } from "../preflight/backupTarball";
import { PROJECT_DIR } from "../config/support";
import { S3_KEY, startS3, type TestS3 } from "../support/s3Server";
import { backupItems, served, servedWorkload } from "../restore/liveObjects";
import { preview, type PreviewJson } from "../restore/support";
import { declare, devConfig, type Declared } from "./harness";
import { UserError } from "../../core/errors";

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
            const migration = new Migration("migration", { config, fixes: where });
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
        // The preview of the same backup under the stack's Restore, as restore-preview --stack says it.
        const standalone = await preview({ backup: tarball, format: "json", stack: "dev", cwd: PROJECT_DIR, config: ["tke2eks:stage=restore"] });
        assert.equal(standalone.code, 0);
        const summary = (JSON.parse(standalone.stdout) as PreviewJson).summary;
        assert.deepEqual(modifiers.preview, { summary, refused: [] });
        assert.ok(summary.fixed > 0 && summary.objects > summary.fixed, JSON.stringify(summary));
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
        const offline = await declare(async () => new Migration("migration", { config, fixes: await restoreFixes(config, { offline: true }) }).steps, { stack: "dev" });
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
            assert.ok(err instanceof UserError);
            const text = `${String(err)}\n${err.stack ?? ""}`;
            // The volume info beside the tarball is read first (restore/volumeInfo.ts).
            assert.match(err.message, /^restore fixes from the backup: s3:\/\/tke2eks-dev-backups-1250000000\/velero\/backups\/shop-1\/shop-1-volumeinfo\.json\.gz: access denied \(403 InvalidAccessKeyId\): the credentials from the given key cannot read it$/);
            assert.ok(!text.includes(key.accessKeyId) && !text.includes(key.secretAccessKey), text);
            return true;
        });
        const missing = { ...local, backup: `s3://${bucket}/velero/backups/shop-9/shop-9.tar.gz` };
        await assert.rejects(fixesFromBackup(config, missing, S3_KEY), /shop-9\.tar\.gz: no such key in the bucket \(NoSuchKey\)/);
    });
});

describe("restore stage gate: refused objects stop it before the Restore is created", function () {
    this.timeout(30000);
    let s3: TestS3;
    let dir: string;
    const bucket = "tke2eks-dev-backups-1250000000";

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-gate-"));
        s3 = await startS3();
        const file = path.join(dir, "refused-1.tar.gz");
        const items = backupItems([...logAgent(), clusterIpWithPolicy(), served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "shop" }, data: {} })]);
        await writeBackup(file, items);
        await s3.put(bucket, backupObjects("velero", "refused-1", file, items, ["shop"]));
    });
    after(async () => {
        await s3.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** What the apply reads at deploy time (raised there as RunError, before the Restore registers). */
    function read(overrides: string[] = []): Promise<RestoreFixes> {
        const config = devConfig(["tke2eks:stage=restore", "tke2eks:run=refused-1", ...overrides]);
        delete config.restore.modifiersFrom;
        const where = backupInBucket(config);
        return fixesFromBackup(config, { ...where, s3: { ...where.s3, endpoint: s3.endpoint, forcePathStyle: true, timeoutSeconds: 2, maxAttempts: 1 } }, S3_KEY);
    }

    it("one error naming every refused object and why: a rule with no fix and B's API validation", async () => {
        await assert.rejects(read(), (err: unknown) => {
            assert.ok(err instanceof UserError, String(err));
            const [head, ...objects] = err.message.split("\n");
            assert.match(head, /^the restore stops before the Restore is created: cluster B would refuse 2 object\(s\) in backup: s3:\/\/tke2eks-dev-backups-1250000000\/velero\/backups\/refused-1\/refused-1\.tar\.gz \(.*tke2eks:restore\.waivers.*\):$/);
            assert.equal(objects.length, 2, err.message);
            assert.match(objects[0], /^ {2}- DaemonSet shop\/log-agent: eks-no-daemonset: /);
            assert.equal(objects[1], '  - Service shop/internal: API validation: spec.externalTrafficPolicy: Invalid value: "Cluster": may only be set for externally-accessible services');
            return true;
        });
    });

    it("waived, and with allowPartiallyFailed: the stage goes on and its outputs list what B still refuses", async () => {
        const waivers = path.join(dir, "waivers.yaml");
        fs.writeFileSync(waivers, "- {rule: eks-no-daemonset, namespace: shop, name: log-agent, reason: the platform runs it, expires: 2099-01-01}\n");
        // The waiver alone: the API validation refusal still stops it.
        await assert.rejects(read([`tke2eks:restore.waivers=${waivers}`]), (err: unknown) => err instanceof UserError && /refuse 1 object\(s\)/.test(err.message) && !err.message.includes("log-agent"));
        const fixes = await read([`tke2eks:restore.waivers=${waivers}`, "tke2eks:restore.allowPartiallyFailed=true"]);
        // DaemonSet, its ControllerRevision and two Pods (left out by the selector), the Service, the ConfigMap.
        assert.deepEqual(fixes.preview.summary, { objects: 6, restored: 2, fixed: 0, skipped: 3, refused: 1 });
        assert.deepEqual(fixes.preview.refused, [{ object: "Service shop/internal", reasons: ['API validation: spec.externalTrafficPolicy: Invalid value: "Cluster": may only be set for externally-accessible services'] }]);
        // A waived finding gets no modifier and is not listed as refused by the fixes either.
        assert.deepEqual(fixes.refused, []);
    });
});

/** A DaemonSet as cluster A serves it, with what its controller made. */
function logAgent(): Record<string, unknown>[] {
    return servedWorkload({
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "log-agent", namespace: "shop" },
        spec: { selector: { matchLabels: { app: "log-agent" } }, template: { metadata: { labels: { app: "log-agent" } }, spec: { containers: [{ name: "agent", image: "agent:1" }] } } },
    });
}

/** A Service B's API server refuses though no rule does: ClusterIP keeping externalTrafficPolicy. */
function clusterIpWithPolicy(): Record<string, unknown> {
    return served({ apiVersion: "v1", kind: "Service", metadata: { name: "internal", namespace: "shop" }, spec: { type: "ClusterIP", externalTrafficPolicy: "Cluster", selector: { app: "x" }, ports: [{ port: 80 }] } });
}

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
