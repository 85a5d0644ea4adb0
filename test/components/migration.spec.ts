import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import { Migration, bslAccessMode } from "../../components/migration";
import { clusterRoleOfProvider } from "../../components/naming";
import type { MigrationStep, StageContext } from "../../components/stage";
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
        assert.deepEqual(providers.map((p) => p.name).sort(), ["dev-source", "dev-target"]);
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
            assert.equal(providerOf(d, r)?.name, "dev-tencentcloud");
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

    it("runs the steps of the current stage with the install at hand, parented to the migration", async () => {
        const seen: StageContext[] = [];
        const step: MigrationStep = {
            name: "restore",
            stages: ["restore"],
            declare(ctx) {
                seen.push(ctx);
                const cm = new k8s.core.v1.ConfigMap(
                    "restore-modifiers",
                    { metadata: { name: "modifiers", namespace: ctx.clusters.target.velero.namespace }, data: { "rules.yaml": "version: v1\nresourceModifierRules: []\n" } },
                    { parent: ctx.parent, provider: ctx.clusters.target.provider },
                );
                return { configMap: cm.metadata.name };
            },
        };
        const install = await declare(() => new Migration("migration", { config: devConfig(), steps: [step] }), { stack: "dev" });
        assert.equal(seen.length, 0, "not in the install stage");
        assert.equal(install.ofType("kubernetes:core/v1:ConfigMap").length, 0);

        let migration: Migration | undefined;
        const d = await declare(
            () => {
                migration = new Migration("migration", { config: devConfig(["tke2eks:stage=restore"]), steps: [step] });
            },
            { stack: "dev" },
        );
        assert.equal(seen.length, 1);
        assert.equal(seen[0].config.stage, "restore");
        assert.equal(seen[0].store.bucket, "tke2eks-dev-backups-1250000000");
        const cm = d.one("kubernetes:core/v1:ConfigMap");
        assert.equal(cm.parent, d.one("tke2eks:index:Migration").urn);
        assert.equal(providerOf(d, cm)?.name, "dev-target");
        assert.ok(migration && "configMap" in migration.steps.restore);
    });
});
