/** The stage keys (run, backup, restore): defaults, and one clear message per bad value, before anything is declared. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, loadMigrationConfig, type MigrationConfig } from "../../config";
import { backupManifest } from "../../restore/manifests";
import { record } from "../../rules/objects";
import { passReaches, STAGES, stageFrom } from "../../config/stages";
import { PROJECT_DIR, rawConfig, SOURCE } from "./support";

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
        // Over Velero's default itemOperationTimeout, 4 h (pkg/cmd/server/config/config.go:42 at v1.18.2).
        assert.equal(c.backup.timeout, 18_000);
        assert.equal(c.restore.timeout, 18_000);
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
        assert.deepEqual(lines(problems({ stage: "migrate" })), ['tke2eks:stage = "migrate": must be one of install, backup, restore, complete, cutover, rollback']);
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

    it("restore.waivers: the preflight waiver file, read when the config loads; a missing or bad file names the key, the value and every bad entry", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-waivers-"));
        try {
            const good = path.join(dir, "waivers.yaml");
            fs.writeFileSync(good, "- {rule: eks-no-daemonset, namespace: shop, name: log-agent, reason: left to B's own agent, expires: 2099-01-01}\n");
            const c = load({ ...RESTORE, restore: { waivers: good } });
            assert.deepEqual(c.restore.waivers, {
                path: good,
                given: good,
                entries: [{ rule: "eks-no-daemonset", namespace: "shop", name: "log-agent", reason: "left to B's own agent", expires: "2099-01-01", entry: 1 }],
            });
            assert.equal(load(RESTORE).restore.waivers, undefined);

            const bad = path.join(dir, "bad.yaml");
            fs.writeFileSync(bad, "- {rule: eks-no-daemonset, reason: x, expires: someday}\n- {rule: no-such-rule, reason: y, expires: 2099-01-01}\n");
            const [line, ...more] = lines(problems({ ...RESTORE, restore: { waivers: bad } }));
            assert.deepEqual(more, []);
            assert.ok(line.startsWith(`tke2eks:restore.waivers = ${JSON.stringify(bad)}: waivers ${bad}: 2 bad entries: entry 1 (eks-no-daemonset): expires: "someday" is not a date (YYYY-MM-DD); entry 2 (no-such-rule): rule: "no-such-rule" is not a rule ID`), line);
            assert.deepEqual(lines(problems({ ...RESTORE, restore: { waivers: "no/such/waivers.yaml" } })), [
                `tke2eks:restore.waivers = "no/such/waivers.yaml": waivers ${path.join(PROJECT_DIR, "no/such/waivers.yaml")}: no such file`,
            ]);
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
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

    it("* leaves out the system namespaces and Velero's; the list is configurable, and named ones are untouched", () => {
        const all = load({ ...RESTORE, backup: { includedNamespaces: ["*"], excludedNamespaces: ["scratch"] }, source: { ...SOURCE, namespace: "backup-system" } });
        assert.deepEqual(all.backup.wildcardExcludes, ["kube-system", "kube-public", "kube-node-lease", "backup-system"]);
        assert.deepEqual(record(backupManifest(all, "shop-1").spec).excludedNamespaces, ["scratch", "kube-system", "kube-public", "kube-node-lease", "backup-system"]);
        const own = load({ ...RESTORE, backup: { includedNamespaces: ["*"], wildcardExcludes: ["kube-system", "velero"] } });
        assert.deepEqual(record(backupManifest(own, "shop-1").spec).excludedNamespaces, ["kube-system", "velero"]);
        const none = load({ ...RESTORE, backup: { includedNamespaces: ["*"], wildcardExcludes: [] } });
        assert.equal(record(backupManifest(none, "shop-1").spec).excludedNamespaces, undefined);
        // Named namespaces are taken as named, kube-system included.
        const named = load({ ...RESTORE, backup: { includedNamespaces: ["shop", "kube-system"] } });
        assert.equal(record(backupManifest(named, "shop-1").spec).excludedNamespaces, undefined);
        assert.deepEqual(lines(problems({ ...RESTORE, backup: { includedNamespaces: ["*"], wildcardExcludes: ["Kube_System"] } })), [
            'tke2eks:backup.wildcardExcludes[0] = "Kube_System": must be a namespace name (a DNS label: lowercase letters, digits and \'-\', starting and ending with a letter or digit) or * for all',
        ]);
    });

    it("targetPrefix: beside the shared prefix by default, never inside, around or equal to it", () => {
        assert.equal(load({}).targetPrefix, "velero-eks");
        assert.equal(load({ prefix: "teams/shop" }).targetPrefix, "teams/shop-eks");
        assert.equal(load({ prefix: "teams/shop", targetPrefix: "teams/shop-b" }).targetPrefix, "teams/shop-b");
        for (const [prefix, targetPrefix] of [["velero", "velero"], ["velero", "velero/eks"], ["teams/shop", "teams"]]) {
            assert.deepEqual(lines(problems({ prefix, targetPrefix })), [
                `tke2eks:targetPrefix = "${targetPrefix}": must be beside tke2eks:prefix (${prefix}), not the same, inside it or around it: Velero marks a location Unavailable when its prefix holds another location's folders; e.g. ${prefix}-eks`,
            ]);
        }
        assert.match(problems({ targetPrefix: "/abs" }).message, /tke2eks:targetPrefix = "\/abs": must be a key prefix like velero or teams\/shop/);
    });

    it("verify: fails the complete stage by default, warn on request, a bounded timeout", () => {
        assert.deepEqual(load({}).verify, { onFailure: "fail", timeout: 600 });
        assert.deepEqual(load({ verify: { onFailure: "warn", timeout: "120" } }).verify, { onFailure: "warn", timeout: 120 });
        assert.deepEqual(lines(problems({ verify: { onFailure: "ignore", timeout: 5, extra: 1 } })).sort(), [
            'tke2eks:verify.onFailure = "ignore": must be fail (default: the complete stage fails) or warn (the report is still an output)',
            "tke2eks:verify.timeout = 5: must be a whole number from 10 to 86400",
            "tke2eks:verify.extra: unknown key; allowed here: onFailure, timeout",
        ].sort());
    });
});

describe("the stage order (config/stages.ts)", () => {
    it("lists the stages in the order a migration goes through them", () => {
        assert.deepEqual(STAGES, ["install", "backup", "restore", "complete", "cutover", "rollback"]);
    });

    it("a run from backup on, rollback's included", () => {
        assert.deepEqual(STAGES.filter((s) => stageFrom(s, "backup")), ["backup", "restore", "complete", "cutover", "rollback"]);
    });

    it("the pass reaches each step from its stage on, and rollback has none", () => {
        assert.deepEqual(STAGES.filter((s) => passReaches(s, "backup")), ["backup", "restore", "complete", "cutover"]);
        assert.deepEqual(STAGES.filter((s) => passReaches(s, "restore")), ["restore", "complete", "cutover"]);
        assert.deepEqual(STAGES.filter((s) => passReaches(s, "complete")), ["complete", "cutover"]);
    });
});
