/** The stage keys (run, backup, restore): defaults, and one clear message per bad value, before anything is declared. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, loadMigrationConfig, type MigrationConfig } from "../../config";
import { PROJECT_DIR, rawConfig } from "./support";

function load(over: Record<string, unknown>): MigrationConfig {
    return loadMigrationConfig(rawConfig(over), { projectDir: PROJECT_DIR, stack: "test" });
}

function problems(over: Record<string, unknown>): ConfigError {
    try {
        load(over);
    } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
    }
    assert.fail("config loaded, expected a ConfigError");
}

/** Each issue as `key = value: message`, as the error prints it. */
function lines(err: ConfigError): string[] {
    return err.message.split("\n").slice(1).map((l) => l.trim().replace(/^- /, ""));
}

const RESTORE = { stage: "restore", run: "shop-1", backup: { includedNamespaces: ["shop", "minio"] } };

describe("config: stage keys", () => {
    it("defaults: DaemonSets out, existing objects kept, PVs restored when snapshots are on, backup TTL from backupTtl", () => {
        const c = load(RESTORE);
        assert.equal(c.run, "shop-1");
        assert.deepEqual(c.backup.includedNamespaces, ["shop", "minio"]);
        assert.equal(c.backup.includeDaemonSets, false);
        assert.equal(c.backup.ttl, "720h");
        assert.equal(c.backup.timeout, 3600);
        assert.equal(c.restore.existingResourcePolicy, "none");
        assert.equal(c.restore.restorePVs, true);
        assert.equal(c.restore.allowPartiallyFailed, false);
        assert.equal(c.restore.modifiersFrom, undefined);
        assert.equal(load({ ...RESTORE, snapshots: { enabled: false } }).restore.restorePVs, false);
        assert.deepEqual(load({ ...RESTORE, restore: { modifiersFrom: "source-cluster" } }).restore.modifiersFrom, { kind: "source-cluster" });
        const m = load({ ...RESTORE, restore: { modifiersFrom: ["examples/tke-app"] } }).restore.modifiersFrom;
        assert.deepEqual(m, { kind: "manifests", paths: [path.join(PROJECT_DIR, "examples/tke-app")], given: ["examples/tke-app"] });
    });

    it("the install stage needs no run name and no namespaces", () => {
        const c = load({});
        assert.equal(c.run, undefined);
        assert.deepEqual(c.backup.includedNamespaces, []);
    });

    it("an unknown stage", () => {
        assert.deepEqual(lines(problems({ stage: "migrate" })), ['tke2eks:stage = "migrate": must be one of install, backup, restore, complete']);
    });

    it("from the backup stage on: a run name and the namespaces are required", () => {
        assert.deepEqual(lines(problems({ stage: "backup" })), [
            "tke2eks:run: required from stage backup on: a name for this migration run (a DNS label, e.g. shop-1); a new name starts a new backup and restore",
            'tke2eks:backup.includedNamespaces: required from stage backup on: the namespaces to migrate, e.g. [shop, minio], or ["*"] for all',
        ]);
    });

    it("a run name that is not a valid object name", () => {
        for (const run of ["Shop_1", "-shop", "a".repeat(64)]) {
            const err = problems({ ...RESTORE, run });
            assert.equal(err.issues.length, 1, err.message);
            assert.equal(err.issues[0].key, "tke2eks:run");
            assert.match(err.issues[0].message, /DNS label|at most 63/);
        }
    });

    it("namespaces that are not DNS labels", () => {
        const err = problems({ ...RESTORE, backup: { includedNamespaces: ["shop", "Shop_Prod"], excludedNamespaces: ["kube system"] }, restore: { includedNamespaces: ["ok", "x."] } });
        assert.deepEqual(err.issues.map((i) => `${i.key} = ${i.value}`).sort(), [
            'tke2eks:backup.excludedNamespaces[0] = "kube system"',
            'tke2eks:backup.includedNamespaces[1] = "Shop_Prod"',
            'tke2eks:restore.includedNamespaces[1] = "x."',
        ]);
        for (const i of err.issues) assert.match(i.message, /must be a namespace name \(a DNS label.*\) or \* for all/);
    });

    it("a namespace mapping whose targets collide", () => {
        const err = problems({ ...RESTORE, restore: { namespaceMapping: { shop: "apps", minio: "apps" } } });
        assert.deepEqual(lines(err), ['tke2eks:restore.namespaceMapping.minio = "apps": minio and shop are both mapped onto apps; each target namespace may receive one source namespace']);
        // Onto a namespace that is restored under its own name.
        const onto = problems({ ...RESTORE, restore: { namespaceMapping: { shop: "minio" } } });
        assert.deepEqual(lines(onto), ['tke2eks:restore.namespaceMapping.shop = "minio": minio is also backed up and restored under its own name; mapping shop onto it would mix the two']);
        // A source that is not backed up.
        assert.match(problems({ ...RESTORE, restore: { namespaceMapping: { web: "web-eks" } } }).message, /tke2eks:restore\.namespaceMapping\.web: web is not backed up/);
    });

    it("a TTL that is not a duration, or outlives the bucket's retention", () => {
        assert.deepEqual(lines(problems({ ...RESTORE, backup: { includedNamespaces: ["shop"], ttl: "30d" } })), ['tke2eks:backup.ttl = "30d": must be a duration in hours, minutes, seconds, like 720h or 72h30m']);
        assert.deepEqual(lines(problems({ ...RESTORE, retentionDays: 10, backupTtl: "24h", backup: { includedNamespaces: ["shop"], ttl: "300h" } })), [
            'tke2eks:backup.ttl = "300h": longer than COS keeps the backup\'s objects (10 days, tke2eks:retentionDays); use at most 240h',
        ]);
    });

    it("an unreadable or empty modifiersFrom path", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-empty-"));
        try {
            const err = problems({ ...RESTORE, restore: { modifiersFrom: ["examples/tke-app", "no/such/dir", empty] } });
            assert.equal(err.issues.length, 2, err.message);
            assert.equal(err.issues[0].key, "tke2eks:restore.modifiersFrom[1]");
            assert.match(err.issues[0].message, /^cannot be read: .*no\/such\/dir: no such file or directory$/);
            assert.equal(err.issues[1].key, "tke2eks:restore.modifiersFrom[2]");
            assert.match(err.issues[1].message, /no \.yaml, \.yml or \.json manifests in |cannot be read/);
        } finally {
            fs.rmSync(empty, { recursive: true });
        }
    });

    it("modifiersFrom: backup (the default, read at deploy time) or one backup tarball file, alone and readable", () => {
        assert.deepEqual(load({ ...RESTORE, restore: { modifiersFrom: "backup" } }).restore.modifiersFrom, { kind: "backup" });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-tarball-"));
        try {
            const file = path.join(dir, "shop-1.tar.gz");
            fs.writeFileSync(file, "");
            assert.deepEqual(load({ ...RESTORE, restore: { modifiersFrom: [file] } }).restore.modifiersFrom, { kind: "backup-file", path: file, given: file });
            assert.deepEqual(lines(problems({ ...RESTORE, restore: { modifiersFrom: ["examples/tke-app", file] } })), [
                `tke2eks:restore.modifiersFrom[1] = ${JSON.stringify(file)}: a backup tarball is the whole backup: list it alone, without manifests or other tarballs`,
            ]);
            const err = problems({ ...RESTORE, restore: { modifiersFrom: [path.join(dir, "none.tgz")] } });
            assert.equal(err.issues[0].key, "tke2eks:restore.modifiersFrom[0]");
            assert.match(err.issues[0].message, /^cannot be read: .*none\.tgz: no such file$/);
            assert.match(problems({ ...RESTORE, restore: { modifiersFrom: "bucket" } }).issues[0].message, /must be backup \(the default\), source-cluster, a list of manifest files and folders, or a backup tarball file/);
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("unknown keys and bad choices name what is allowed", () => {
        const err = problems({ ...RESTORE, backup: { includedNamespaces: ["shop"], snapshot: true }, restore: { existingResourcePolicy: "replace", nodePortServiceType: "NodePort", timeout: 5 } });
        assert.deepEqual(err.issues.map((i) => i.key).sort(), [
            "tke2eks:backup.snapshot",
            "tke2eks:restore.existingResourcePolicy",
            "tke2eks:restore.nodePortServiceType",
            "tke2eks:restore.timeout",
        ]);
        assert.match(err.message, /tke2eks:backup\.snapshot: unknown key; allowed here: includedNamespaces, excludedNamespaces/);
        assert.match(err.message, /existingResourcePolicy = "replace": must be none \(default: keep what B already has\) or update/);
    });
});
