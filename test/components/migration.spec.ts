import { strict as assert } from "node:assert";
import { Migration, bslAccessMode } from "../../components/migration";
import * as pulumi from "@pulumi/pulumi";
import { MIGRATION_RUN_TYPE } from "../../components/migrationRun";
import { clusterRoleOfProvider } from "../../config/naming";
import { backupInBucket } from "../../restore/stageFixes";
import { engineUrn } from "../../plan/offline";
import type { PlanResource } from "../../plan/model";
import { customResourceErrors } from "../support/crds";
import { chartValuesErrors, unknownValueKeys } from "../support/chartValues";
import { declare, devConfig, type Declared } from "./harness";

function providerOf(d: Declared, r: PlanResource): PlanResource | undefined {
    return d.resources.find((p) => p.urn === r.provider);
}

describe("components: Migration", () => {
    it("names each cluster's Kubernetes provider after its role, and sends each cluster's resources through its own", async () => {
        const config = devConfig();
        const d = await declare(() => new Migration("migration", { config }), { stack: "dev" });
        const providers = d.ofType("pulumi:providers:kubernetes");
        assert.deepEqual(providers.map((p) => p.name).sort(), ["tke2eks-source", "tke2eks-target"]);
        for (const p of providers) {
            const role = clusterRoleOfProvider(p.name)!;
            assert.equal(p.inputs.context, config.clusters[role].kubeconfig.context);
            // The kubeconfig is a secret wherever it came from.
            assert.equal(p.inputs.kubeconfig, "[secret]");
            assert.equal(p.props.kubeconfig, config.clusters[role].kubeconfig.content);
        }
        const k8sResources = d.resources.filter((r) => r.type.startsWith("kubernetes:"));
        assert.equal(k8sResources.length, 8);
        for (const r of k8sResources) {
            const provider = providerOf(d, r);
            assert.ok(provider, r.name);
            assert.ok(r.name.endsWith(clusterRoleOfProvider(provider.name)!) || r.name.includes(`-${clusterRoleOfProvider(provider.name)}-`), `${r.name} via ${provider.name}`);
        }
        for (const r of d.resources.filter((x) => x.type.startsWith("tencentcloud:"))) {
            assert.equal(providerOf(d, r)?.name, "tke2eks-tencentcloud");
        }
        assert.equal(d.one("pulumi:providers:tencentcloud").inputs.region, "ap-guangzhou");
    });

    it("installs the same Velero on both clusters, sharing one bucket and prefix, each with its own key", async () => {
        const config = devConfig();
        const d = await declare(() => new Migration("migration", { config }), { stack: "dev" });
        const releases = d.ofType("kubernetes:helm.sh/v3:Release");
        assert.equal(releases.length, 2);
        const bsls = releases.map((r) => ((r.inputs.values as Record<string, Record<string, unknown>>).configuration.backupStorageLocation as Record<string, unknown>[])[0]);
        assert.equal(bsls[0].bucket, "tke2eks-dev-backups-1250000000");
        assert.deepEqual({ ...bsls[0], accessMode: undefined, default: undefined }, { ...bsls[1], accessMode: undefined, default: undefined });
        for (const r of releases) {
            assert.deepEqual(chartValuesErrors(r.inputs.values), [], r.name);
            assert.deepEqual(unknownValueKeys(r.inputs.values), [], r.name);
        }
        for (const vsc of d.resources.filter((r) => r.type.endsWith(":VolumeSnapshotClass"))) assert.deepEqual(customResourceErrors(vsc.inputs), [], vsc.name);
        // Two Secrets, each built from a different key.
        const secrets = d.ofType("kubernetes:core/v1:Secret");
        const keys = d.ofType("tencentcloud:index/camAccessKey:CamAccessKey");
        assert.deepEqual(keys.map((k) => k.name).sort(), ["migration-store-source-key", "migration-store-target-key"]);
        for (const s of secrets) {
            const role = s.name.includes("source") ? "source" : "target";
            assert.ok(s.dependencies.some((u) => u.endsWith(`::migration-store-${role}-key`)), s.name);
            assert.ok(!s.dependencies.some((u) => u.endsWith(`::migration-store-${role === "source" ? "target" : "source"}-key`)), s.name);
        }
        // Velero validates its location as soon as it starts: each release waits for the
        // whole store (bucket, policy, keys), not just its own key.
        const bucket = d.one("tencentcloud:index/cosBucket:CosBucket");
        for (const r of releases) {
            assert.ok(r.dependencies.includes(bucket.urn), r.name);
            for (const k of keys) assert.ok(r.dependencies.includes(k.urn), `${r.name} after ${k.name}`);
        }
    });

    it("rotates one cluster's key when its keyGeneration is raised: a new key resource, that cluster's Secret built from it", async () => {
        const config = devConfig(["tke2eks:target.keyGeneration=2"]);
        const d = await declare(() => new Migration("migration", { config }), { stack: "dev" });
        const keys = d.ofType("tencentcloud:index/camAccessKey:CamAccessKey");
        // A new name is a new resource: created before the old one (gone from the program) is deleted.
        assert.deepEqual(keys.map((k) => k.name).sort(), ["migration-store-source-key", "migration-store-target-key-2"]);
        const secrets = d.ofType("kubernetes:core/v1:Secret");
        const target = secrets.find((s) => s.name.includes("target"));
        assert.ok(target?.dependencies.some((u) => u.endsWith("::migration-store-target-key-2")));
        // Still the target user's key, made once that user's policy holds.
        const attachment = d.one("tencentcloud:index/camUserPolicyAttachment:CamUserPolicyAttachment", "migration-store-target-policy-attachment");
        assert.ok(keys.find((k) => k.name.endsWith("-2"))?.dependencies.includes(attachment.urn));
    });

    it("keeps the shared location read-only on the target at every stage, and gives the target a default location of its own", async () => {
        assert.equal(bslAccessMode("source"), "ReadWrite");
        assert.equal(bslAccessMode("target"), "ReadOnly");
        for (const stage of ["install", "backup", "restore", "complete"] as const) {
            const d = await declare(() => new Migration("migration", { config: devConfig([`tke2eks:stage=${stage}`]) }), { stack: "dev" });
            const values = (name: string) => (d.one("kubernetes:helm.sh/v3:Release", name).inputs.values as Record<string, Record<string, unknown>>).configuration;
            const locations = (name: string) => values(name).backupStorageLocation as Record<string, unknown>[];
            const [sourceShared, ...sourceOthers] = locations("velero-source");
            assert.deepEqual(sourceOthers, [], stage);
            assert.equal(sourceShared.accessMode, "ReadWrite", stage);
            assert.equal(sourceShared.default, true, stage);
            const [shared, own, ...more] = locations("velero-target");
            assert.deepEqual(more, [], stage);
            // Neither cluster can delete or overwrite the other's backups: B never writes A's prefix, A never sees B's.
            assert.deepEqual([shared.name, shared.prefix, shared.accessMode, shared.default], ["default", "velero", "ReadOnly", false], stage);
            assert.deepEqual([own.name, own.prefix, own.accessMode, own.default], ["eks", "velero-eks", "ReadWrite", true], stage);
            assert.equal(own.bucket, shared.bucket);
            assert.deepEqual(own.config, shared.config);
            assert.equal(values("velero-target").defaultBackupStorageLocation, "eks", stage);
            assert.equal(values("velero-source").defaultBackupStorageLocation, undefined, stage);
            for (const name of ["velero-source", "velero-target"]) {
                const v = d.one("kubernetes:helm.sh/v3:Release", name).inputs.values;
                assert.deepEqual(chartValuesErrors(v), [], `${stage} ${name}`);
                assert.deepEqual(unknownValueKeys(v), [], `${stage} ${name}`);
            }
        }
        const other = await declare(() => new Migration("migration", { config: devConfig(["tke2eks:prefix=teams/shop", "tke2eks:targetPrefix=teams/shop-b"]) }), { stack: "dev" });
        const own = ((other.one("kubernetes:helm.sh/v3:Release", "velero-target").inputs.values as Record<string, Record<string, unknown>>).configuration.backupStorageLocation as Record<string, unknown>[])[1];
        assert.equal(own.prefix, "teams/shop-b");
    });

    it("leaves the snapshot classes out when PVC data does not move", async () => {
        const d = await declare(() => new Migration("migration", { config: devConfig(["tke2eks:snapshots.enabled=false"]) }), { stack: "dev" });
        assert.equal(d.resources.filter((r) => r.type.endsWith(":VolumeSnapshotClass")).length, 0);
        assert.equal(d.ofType("tke2eks:snapshots:CbsSnapshotClass").length, 0);
    });

    it("declares the run as one MigrationRun under the Migration, from the backup stage on, its resources parented and named under it", async () => {
        const install = await declare(() => new Migration("migration", { config: devConfig() }), { stack: "dev" });
        assert.equal(install.ofType(MIGRATION_RUN_TYPE).length, 0, "no run in the install stage");
        const expected: Record<string, string[]> = {
            backup: ["backup", "backup-completed"],
            restore: ["backup", "backup-completed", "backup-synced", "restore-modifiers", "restore", "restore-completed"],
            complete: ["backup", "backup-completed", "backup-synced", "restore-modifiers", "restore", "restore-completed", "inventory", "verify"],
        };
        for (const [stage, names] of Object.entries(expected)) {
            let migration: Migration | undefined;
            const config = devConfig([`tke2eks:stage=${stage}`]);
            // The default: fixes read from the backup in the bucket once it completed.
            const d = await declare(() => (migration = new Migration("migration", { config, fixes: backupInBucket(config) })), { stack: "dev" });
            const run = d.one(MIGRATION_RUN_TYPE, "migration-run");
            assert.equal(run.parent, d.one("tke2eks:index:Migration").urn);
            const children = d.resources.filter((r) => r.parent === run.urn);
            assert.deepEqual(children.map((r) => r.name).sort(), names.map((n) => `migration-run-${n}`).sort(), stage);
            // Each cluster's resources through its own provider, given in the resource options.
            for (const r of children.filter((c) => c.type.startsWith("kubernetes:"))) {
                assert.equal(providerOf(d, r)?.name, r.type.endsWith(":Backup") ? "tke2eks-source" : "tke2eks-target", r.name);
            }
            // The stack outputs, per step of the stage.
            assert.deepEqual(Object.keys(migration!.steps), ["backup", "restore", "verification"].slice(0, Object.keys(expected).indexOf(stage) + 1), stage);
        }
    });

    it("gives each of the run's resources exactly the dependencies it needs, per stage", async () => {
        /** What each waits for, by name (the run's prefix dropped), in the complete stage. */
        const expected: Record<string, string[]> = {
            // A's Velero and its snapshot class before the Backup; the awaiter after it.
            backup: ["snapshots-source-class", "velero-source"],
            "backup-completed": ["backup"],
            // The gate asks B only once A finished, and once B's Velero (and its location) is there.
            "backup-synced": ["backup-completed", "velero-target"],
            // Its data: the fixes read from the bucket with B's key once the Backup completed.
            "restore-modifiers": ["backup-completed", "migration-store-target-key", "velero-target"],
            // Its resourceModifier reference is there only when the fixes are (hence the key).
            restore: ["backup", "backup-completed", "backup-synced", "migration-store-target-key", "restore-modifiers", "velero-target"],
            "restore-completed": ["restore"],
            inventory: ["restore-completed"],
            verify: ["restore-completed"],
        };
        const config = devConfig(["tke2eks:stage=complete"]);
        const d = await declare(() => new Migration("migration", { config, fixes: backupInBucket(config) }), { stack: "dev" });
        const nameOf = (urn: string) => d.registration(urn).name.replace(/^migration-run-/, "");
        const run = d.one(MIGRATION_RUN_TYPE).urn;
        const actual = Object.fromEntries(d.resources.filter((r) => r.parent === run).map((r) => [nameOf(r.urn), r.dependencies.map(nameOf).sort()]));
        assert.deepEqual(actual, expected);
    });

    it("keeps every URN an existing stack holds: aliases from today's names and parents; names stable across stages and a stack rename", async () => {
        /** Each resource's name and aliases, as its options give them, with the aliases resolved to URNs. */
        const declared = async (stack: string, stage: string) => {
            const seen: { type: string; name: string; aliases: pulumi.Input<pulumi.Alias | string>[] }[] = [];
            let migration: Migration | undefined;
            const d = await declare(
                () =>
                    (migration = new Migration("migration", { config: devConfig([`tke2eks:stage=${stage}`]), fixes: backupInBucket(devConfig([`tke2eks:stage=${stage}`])) }, {
                        transformations: [(a) => void seen.push({ type: a.type, name: a.name, aliases: a.opts.aliases ?? [] })],
                    })),
                { stack },
            );
            const migrationUrn = d.one("tke2eks:index:Migration").urn;
            const aliasUrns = seen.flatMap((r) =>
                r.aliases.map((a) => {
                    const alias = a as pulumi.Alias;
                    // An alias with no parent keeps the resource's own parent: the Migration for the providers.
                    assert.ok(alias.parent === undefined || alias.parent === migration, `${r.name}: the old parent is the Migration`);
                    return engineUrn(stack, "tke2eks", migrationUrn, r.type, String(alias.name));
                }),
            );
            return { d, names: seen.map((r) => `${r.type}::${r.name}`).sort(), aliasUrns };
        };
        const today = (stack: string) => [
            ["pulumi:providers:kubernetes", `${stack}-source`],
            ["pulumi:providers:kubernetes", `${stack}-target`],
            ["pulumi:providers:tencentcloud", `${stack}-tencentcloud`],
            ["kubernetes:velero.io/v1:Backup", "backup"],
            ["command:local:Command", "backup-completed"],
            ["command:local:Command", "backup-synced"],
            ["kubernetes:core/v1:ConfigMap", "restore-modifiers"],
            ["kubernetes:velero.io/v1:Restore", "restore"],
            ["command:local:Command", "restore-completed"],
            ["command:local:Command", "inventory"],
            ["command:local:Command", "verify"],
        ].map(([type, name]) => `urn:pulumi:${stack}::tke2eks::tke2eks:index:Migration$${type}::${name}`);
        const complete = await declared("dev", "complete");
        assert.deepEqual([...complete.aliasUrns].sort(), today("dev").sort());
        // Across stages: a resource keeps its name (hence URN) from the stage that made it on.
        const backup = await declared("dev", "backup");
        const restore = await declared("dev", "restore");
        for (const earlier of [backup, restore]) for (const n of earlier.names) assert.ok(complete.names.includes(n), n);
        // Across a stack rename: the same names, providers included.
        const renamed = await declared("prod", "complete");
        assert.deepEqual(renamed.names, complete.names);
        assert.deepEqual(renamed.d.ofType("pulumi:providers:kubernetes").map((p) => p.name).sort(), ["tke2eks-source", "tke2eks-target"]);
        assert.deepEqual([...renamed.aliasUrns].sort(), today("prod").sort());
    });
});
