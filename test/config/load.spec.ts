import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, loadMigrationConfig, type MigrationConfig } from "../../config";
import { VELERO_MATRIX } from "../../rules/veleroVersions";
import { PROJECT_DIR, rawConfig, SOURCE, TARGET } from "./support";

function load(over: Record<string, unknown> = {}, secretKeys: string[] = []): MigrationConfig {
    return loadMigrationConfig(rawConfig(over), { projectDir: PROJECT_DIR, stack: "test", secretKeys });
}

/** The ConfigError a config raises (fails the test if it loads). */
function problems(over: Record<string, unknown>, secretKeys: string[] = []): ConfigError {
    try {
        load(over, secretKeys);
    } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
    }
    assert.fail("config loaded, expected a ConfigError");
}

function keys(err: ConfigError): string[] {
    return err.issues.map((i) => i.key).sort();
}

describe("config: loading tke2eks:* keys", () => {
    it("fills the defaults and resolves both clusters", () => {
        const c = load();
        assert.equal(c.bucket, "shop-backups-1250000000");
        assert.equal(c.endpoint, "https://cos.ap-guangzhou.myqcloud.com");
        assert.deepEqual(c.store, { kind: "cos", appId: "1250000000", bucketName: "shop-backups", createBucket: true, retentionDays: 60 });
        assert.deepEqual(c.chart, { kind: "repository", url: "https://vmware-tanzu.github.io/helm-charts" });
        assert.equal(c.prefix, "velero");
        assert.equal(c.stage, "install");
        assert.equal(c.s3ForcePathStyle, false);
        assert.equal(c.imageRegistry, "docker.io");
        assert.deepEqual(c.snapshots, { enabled: true, className: "cbs-snapclass", deletionPolicy: "Delete" });
        // 720h is 30 days; COS keeps objects 30 days more.
        assert.equal(c.backupTtl, "720h");
        for (const role of ["source", "target"] as const) {
            const cluster = c.clusters[role];
            assert.equal(cluster.namespace, "velero");
            assert.equal(cluster.snapshotApiVersion, "v1");
            assert.equal(cluster.velero.velero, VELERO_MATRIX[0].defaultVelero);
            assert.equal(cluster.velero.awsPlugin, VELERO_MATRIX[0].defaultAwsPlugin);
            assert.equal(cluster.velero.csiPlugin, undefined);
            assert.equal(cluster.velero.upgradeCRDs, true);
            assert.equal(cluster.velero.checksumAlgorithmConfig, true);
            assert.ok(path.isAbsolute(cluster.kubeconfig.file ?? ""));
            assert.match(cluster.kubeconfig.content, /kind: Config/);
        }
        assert.equal(c.clusters.source.kubeconfig.context, "tke-a");
        assert.equal(c.clusters.target.kubeconfig.server, "https://cls-e5f6g7h8.ccs.tencent-cloud.com");
    });

    it("reads booleans and numbers the way Pulumi passes them (strings) and YAML keeps them (in maps)", () => {
        const c = load({ createBucket: "false", s3ForcePathStyle: "true", retentionDays: "90", appId: 1250000000, snapshots: { enabled: false } });
        assert.deepEqual(c.store, { kind: "cos", appId: "1250000000", bucketName: "shop-backups", createBucket: false, retentionDays: 90 });
        assert.equal(c.s3ForcePathStyle, true);
        assert.equal(c.snapshots.enabled, false);
    });

    it("lists every bad key in one error, with its value and what is allowed", () => {
        const err = problems({
            region: "ap-mars",
            appId: "12ab",
            bucket: "Shop_Backups",
            prefix: "/velero/",
            backupTtl: "30d",
            stage: "roll-back",
            imageRegistry: "https://docker.io",
            regoin: "ap-guangzhou",
            snapshots: { enabled: "maybe", deletionPolicy: "Keep", size: 1 },
            source: { ...SOURCE, namespace: "Velero NS" },
            target: { ...TARGET, snapshotApiVersion: "v1alpha1", keyGeneration: 0 },
        });
        assert.deepEqual(keys(err), [
            "tke2eks:appId",
            "tke2eks:backupTtl",
            "tke2eks:bucket",
            "tke2eks:imageRegistry",
            "tke2eks:prefix",
            "tke2eks:region",
            "tke2eks:regoin",
            "tke2eks:snapshots.deletionPolicy",
            "tke2eks:snapshots.enabled",
            "tke2eks:snapshots.size",
            "tke2eks:source.namespace",
            "tke2eks:stage",
            "tke2eks:target.keyGeneration",
            "tke2eks:target.snapshotApiVersion",
        ]);
        const byKey = new Map(err.issues.map((i) => [i.key, i]));
        assert.equal(byKey.get("tke2eks:region")?.value, '"ap-mars"');
        assert.match(byKey.get("tke2eks:region")!.message, /COS region: .*ap-guangzhou/);
        assert.match(byKey.get("tke2eks:appId")!.message, /APPID: 10 digits/);
        assert.match(byKey.get("tke2eks:stage")!.message, /install, backup, restore, complete/);
        assert.match(byKey.get("tke2eks:regoin")!.message, /unknown key; allowed here: region, appId/);
        assert.match(byKey.get("tke2eks:snapshots.size")!.message, /allowed here: enabled, className, deletionPolicy/);
        assert.match(byKey.get("tke2eks:target.snapshotApiVersion")!.message, /v1 .*or v1beta1/);
        // One message, one line per problem.
        assert.match(byKey.get("tke2eks:target.keyGeneration")!.message, /whole number from 1 to 1000/);
        assert.match(err.message, /^14 problems in the tke2eks config of stack "test":/);
        assert.equal(err.message.split("\n").length, 15);
    });

    it("names keys whose project prefix is misspelt (Pulumi keeps them, the program never reads them), and leaves other providers' keys alone", () => {
        const raw = { ...rawConfig(), "tke2ek:stage": "backup", "TKE2EKS:run": "shop-1", "tke-2eks:prefix": "v", "aws:region": "us-east-1", "kubernetes:context": "x", "tencentcloud:region": "ap-guangzhou" };
        let err: unknown;
        try {
            loadMigrationConfig(raw, { projectDir: PROJECT_DIR, stack: "test" });
        } catch (e) {
            err = e;
        }
        assert.ok(err instanceof ConfigError, String(err));
        assert.deepEqual(
            err.issues.map((i) => `${i.key}: ${i.message}`),
            [
                'tke2ek:stage: never read: the project\'s keys start with "tke2eks:"; did you mean tke2eks:stage?',
                'TKE2EKS:run: never read: the project\'s keys start with "tke2eks:"; did you mean tke2eks:run?',
                'tke-2eks:prefix: never read: the project\'s keys start with "tke2eks:"; did you mean tke2eks:prefix?',
            ],
        );
        assert.ok(err.issues.every((i) => i.value === undefined), "values are not echoed");
    });

    it("says which keys are missing", () => {
        const err = problems({ region: undefined, appId: undefined, bucket: undefined, target: undefined, source: { context: "tke-a" } });
        assert.deepEqual(keys(err), ["tke2eks:appId", "tke2eks:bucket", "tke2eks:region", "tke2eks:source.kubeconfig", "tke2eks:target"]);
        for (const i of err.issues) assert.match(i.message, /^required/);
    });

    it("checks the cross-key rules from the COS and Velero facts", () => {
        const err = problems({ bucket: "shop-backups-1250000000", s3ForcePathStyle: "true", backupTtl: "2160h", retentionDays: "60" });
        const byKey = new Map(err.issues.map((i) => [i.key, i.message]));
        assert.match(byKey.get("tke2eks:bucket")!, /without the -1250000000 suffix/);
        assert.match(byKey.get("tke2eks:s3ForcePathStyle")!, /after 2024-01-01.*createBucket: false/);
        assert.match(byKey.get("tke2eks:retentionDays")!, /before Velero's TTL \(2160h = 90 days\); use at least 90/);
        // Path style is fine for an existing, older bucket.
        assert.equal(load({ s3ForcePathStyle: "true", createBucket: "false" }).s3ForcePathStyle, true);
    });

    it("holds the source to Kubernetes 1.18 and the target to 1.20, and explains YAML's 1.2", () => {
        const err = problems({ source: { ...SOURCE, kubernetesVersion: "1.17" }, target: { ...TARGET, kubernetesVersion: 1.2 } });
        const byKey = new Map(err.issues.map((i) => [i.key, i]));
        assert.match(byKey.get("tke2eks:source.kubernetesVersion")!.message, /source cluster must run Kubernetes 1.18 or newer/);
        const target = byKey.get("tke2eks:target.kubernetesVersion")!;
        assert.equal(target.value, '"1.2"');
        assert.match(target.message, /1.20 or newer.*quote it/);
        // Versions are optional, and the minimums themselves pass.
        load({ source: { ...SOURCE, kubernetesVersion: "1.18" }, target: { ...TARGET, kubernetesVersion: "v1.20.6" } });
        load({ source: { kubeconfig: SOURCE.kubeconfig }, target: { kubeconfig: TARGET.kubeconfig } });
    });

    it("refuses the same cluster as source and target", () => {
        const err = problems({ target: SOURCE });
        assert.deepEqual(keys(err), ["tke2eks:target.context"]);
        assert.match(err.issues[0].message, /same cluster \(https:\/\/cls-a1b2c3d4/);
    });
});

describe("config: Velero versions from the compatibility matrix", () => {
    it("pins older Velero lines with their plugins, the CSI plugin only below 1.14", () => {
        for (const line of VELERO_MATRIX) {
            const c = load({ target: { ...TARGET, veleroVersion: line.velero } });
            const v = c.clusters.target.velero;
            assert.equal(v.velero, line.defaultVelero, line.velero);
            assert.equal(v.awsPlugin, line.defaultAwsPlugin, line.velero);
            assert.equal(v.csiPlugin, line.defaultCsiPlugin, line.velero);
            assert.equal(v.csiPlugin !== undefined, Number(line.velero.split(".")[1]) < 14, line.velero);
            // Chart 12's CRD-upgrade job needs `velero install --crds-only`, new in 1.18.
            assert.equal(v.upgradeCRDs, line.velero === "1.18", line.velero);
            // Only plugins that send checksums know (and need) checksumAlgorithm: v1.9.1 on.
            assert.equal(v.checksumAlgorithmConfig, !/^v1\.[0-8]\./.test(line.defaultAwsPlugin), line.velero);
            // The source keeps the chart's default.
            assert.equal(c.clusters.source.velero.velero, VELERO_MATRIX[0].defaultVelero);
        }
        assert.equal(load({ source: { ...SOURCE, veleroVersion: "1.17.0" } }).clusters.source.velero.velero, "v1.17.0");
    });

    it("refuses versions outside the matrix and aws plugin tags that do not fit", () => {
        const err = problems({
            source: { ...SOURCE, veleroVersion: "v1.11.0" },
            target: { ...TARGET, veleroVersion: "latest" },
        });
        const byKey = new Map(err.issues.map((i) => [i.key, i.message]));
        assert.match(byKey.get("tke2eks:source.veleroVersion")!, /Velero 1.11 is not in the compatibility matrix.*1.18/);
        assert.match(byKey.get("tke2eks:target.veleroVersion")!, /not a Velero version/);

        const plugin = problems({ source: { ...SOURCE, awsPluginVersion: "v1.13.2" }, target: { ...TARGET, awsPluginVersion: "v1.14.1" } });
        const p = new Map(plugin.issues.map((i) => [i.key, i.message]));
        assert.match(p.get("tke2eks:source.awsPluginVersion")!, /Velero 1.18 needs velero-plugin-for-aws 1.14.x/);
        assert.match(p.get("tke2eks:target.awsPluginVersion")!, /^v1.14.1 .*https:\/\/github\.com\/velero-io\/velero\/issues\/\d+.*; use v1.14.0$/);
        assert.equal(load({ target: { ...TARGET, awsPluginVersion: "1.14.0" } }).clusters.target.velero.awsPlugin, "v1.14.0");
    });
});

describe("config: kubeconfigs", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-kubeconfig-"));
        fs.writeFileSync(path.join(dir, "broken.yaml"), "apiVersion: v1\nkind: Config\ncontexts: [\n");
        fs.writeFileSync(path.join(dir, "notkube.yaml"), "name: something else\n");
        fs.writeFileSync(path.join(dir, "empty.yaml"), "\n");
        fs.writeFileSync(path.join(dir, "nocurrent.yaml"), fs.readFileSync(path.join(PROJECT_DIR, TARGET.kubeconfig!), "utf8").replace(/^current-context:.*$/m, ""));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("names the cluster and key of a missing file, unreadable YAML, or a wrong context", () => {
        const err = problems({
            source: { ...SOURCE, kubeconfig: path.join(dir, "missing.yaml") },
            target: { ...TARGET, kubeconfig: path.join(dir, "broken.yaml") },
        });
        const byKey = new Map(err.issues.map((i) => [i.key, i.message]));
        assert.match(byKey.get("tke2eks:source.kubeconfig")!, /^source cluster: kubeconfig .*missing\.yaml: no such file$/);
        assert.match(byKey.get("tke2eks:target.kubeconfig")!, /^target cluster: kubeconfig .*broken\.yaml: not valid YAML: /);

        const ctx = problems({ target: { ...TARGET, context: "eks-c" }, source: { ...SOURCE, kubeconfig: path.join(dir, "notkube.yaml") } });
        const c = new Map(ctx.issues.map((i) => [i.key, i]));
        assert.match(c.get("tke2eks:target.context")!.message, /^target cluster: kubeconfig .*eks-b\.kubeconfig\.yaml: no context "eks-c" \(contexts: eks-b\)$/);
        assert.equal(c.get("tke2eks:target.context")!.value, '"eks-c"');
        assert.match(c.get("tke2eks:source.kubeconfig")!.message, /^source cluster: kubeconfig .*notkube\.yaml: not a kubeconfig \(expected kind: Config with a contexts list\)$/);

        const empty = problems({ target: { ...TARGET, kubeconfig: path.join(dir, "empty.yaml") } });
        assert.match(empty.issues.find((i) => i.key === "tke2eks:target.kubeconfig")!.message, /^target cluster: kubeconfig .*empty\.yaml: is empty$/);
    });

    it("checks the context's user and server as the cluster commands do", () => {
        const content = fs.readFileSync(path.join(PROJECT_DIR, TARGET.kubeconfig!), "utf8");
        const noUser = problems({ target: { kubeconfig: content.replace("user: eks-b-admin", "user: nobody") } });
        assert.deepEqual(
            noUser.issues.map((i) => [i.key, i.message]),
            [["tke2eks:target.kubeconfig", 'target cluster: kubeconfig (inline): context "eks-b" names user "nobody", which is not one of its users (users: eks-b-admin)']],
        );
        const noUrl = problems({ target: { kubeconfig: content.replace("server: https://", "server: ") } });
        assert.deepEqual(
            noUrl.issues.map((i) => [i.key, i.message]),
            [["tke2eks:target.kubeconfig", 'target cluster: kubeconfig (inline): cluster "cls-e5f6g7h8" has server "cls-e5f6g7h8.ccs.tencent-cloud.com", not an http:// or https:// URL']],
        );
    });

    it("uses current-context when no context is given, and asks for one when there is none", () => {
        const c = load({ target: { kubeconfig: TARGET.kubeconfig } });
        assert.equal(c.clusters.target.kubeconfig.context, "eks-b");
        const err = problems({ target: { kubeconfig: path.join(dir, "nocurrent.yaml") } });
        assert.match(err.issues[0].message, /^target cluster: kubeconfig .*nocurrent\.yaml: no current-context; set tke2eks:target\.context to one of: eks-b$/);
        assert.equal(err.issues[0].key, "tke2eks:target.context");
    });

    it("takes a kubeconfig's content inline, and never echoes it", () => {
        const content = fs.readFileSync(path.join(PROJECT_DIR, TARGET.kubeconfig!), "utf8").replace("tokenFile: ~/.kube/tke2eks/eks-b.token", "token: sk-very-secret-token");
        const c = load({ target: { kubeconfig: content, context: "eks-b" } });
        assert.equal(c.clusters.target.kubeconfig.content, content);
        assert.equal(c.clusters.target.kubeconfig.file, undefined);

        const err = problems({ target: { kubeconfig: content, context: "nope" } });
        assert.equal(err.issues[0].key, "tke2eks:target.context");
        assert.match(err.issues[0].message, /^target cluster: kubeconfig \(inline\): no context "nope"/);
        const broken = problems({ target: { kubeconfig: content + "\n  : [", context: "eks-b" } });
        assert.equal(broken.issues[0].value, "[secret]");
        assert.doesNotMatch(broken.message, /sk-very-secret-token/);
    });

    it("never echoes the values of a key the stack keeps as a secret", () => {
        const schema = problems({ target: { ...TARGET, namespace: "Bad NS" } }, ["tke2eks:target"]);
        assert.equal(schema.issues[0].value, "[secret]");
        assert.doesNotMatch(schema.message, /Bad NS/);
        const version = problems({ target: { ...TARGET, veleroVersion: "v9.9.9-private" } }, ["tke2eks:target"]);
        assert.equal(version.issues[0].key, "tke2eks:target.veleroVersion");
        assert.equal(version.issues[0].value, "[secret]");
        assert.doesNotMatch(version.message, /9\.9\.9-private/);
    });
});

/**
 * The Terraform provider's own bucket check, the oracle: terraform-provider-tencentcloud v1.83.25,
 * tencentcloud/common/validators.go L240-251 (ValidateCosBucketName).
 */
function providerAccepts(fullName: string): boolean {
    return fullName.length >= 1 && fullName.length <= 60 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?-[0-9]{10}$/.test(fullName);
}

describe("config: bucket and APPID follow the Terraform provider's bucket validator", () => {
    const name = (length: number) => "b".repeat(length);

    for (const full of [59, 60, 61]) {
        it(`a bucket of ${full} characters in all (name ${full - 11} + -APPID) is ${full <= 60 ? "accepted" : "refused"}, as the provider does`, () => {
            const bucket = name(full - 11);
            assert.equal(`${bucket}-1250000000`.length, full);
            const expected = providerAccepts(`${bucket}-1250000000`);
            assert.equal(expected, full <= 60);
            if (expected) {
                assert.equal(load({ bucket }).bucket, `${bucket}-1250000000`);
            } else {
                const err = problems({ bucket });
                assert.deepEqual(keys(err), ["tke2eks:bucket"]);
                assert.equal(err.issues[0].value, JSON.stringify(bucket));
                assert.equal(err.issues[0].message, "must be at most 49 characters: with -<APPID> added the bucket name is at most 60 in all");
                assert.equal(err.message.split("\n").length, 2);
            }
        });
    }

    for (const digits of [9, 10, 11]) {
        it(`an APPID of ${digits} digits is ${digits === 10 ? "accepted" : "refused"}, as the provider's -[0-9]{10} suffix says`, () => {
            const appId = "1".repeat(digits);
            const expected = providerAccepts(`shop-backups-${appId}`);
            assert.equal(expected, digits === 10);
            if (expected) {
                assert.equal(load({ appId }).bucket, `shop-backups-${appId}`);
            } else {
                const err = problems({ appId });
                assert.deepEqual(keys(err), ["tke2eks:appId"]);
                assert.equal(err.issues[0].value, JSON.stringify(appId));
                assert.match(err.message, /^1 problem in the tke2eks config of stack "test":\n {2}- tke2eks:appId = "1+": must be your Tencent Cloud APPID: 10 digits \(e\.g\. 1250000000\)$/);
            }
        });
    }

    it("accepts and refuses the same names as the provider, for names around its pattern's edges", () => {
        for (const bucket of ["a", "0", "a-b", "ab", "a--b", "-a", "a-", "A", "a_b", "a.b", "", "shop backups"]) {
            const full = `${bucket}-1250000000`;
            let accepted: boolean;
            try {
                load({ bucket });
                accepted = true;
            } catch (err) {
                assert.ok(err instanceof ConfigError, bucket);
                accepted = false;
            }
            assert.equal(accepted, providerAccepts(full), JSON.stringify(bucket));
        }
    });
});
