import { strict as assert } from "node:assert";
import * as path from "node:path";
import { ConfigError, loadMigrationConfig, type MigrationConfig } from "../../config";
import { PROJECT_DIR, rawConfig } from "./support";

const SANDBOX_BUCKET = { name: "velero", endpoint: "http://127.0.0.1:9000", region: "us-east-1", s3ForcePathStyle: true, accessKeyId: "S3RVER", secretAccessKey: "S3RVER-secret-key" };
/** Without the COS keys the default config carries. */
const NO_COS = { region: undefined, appId: undefined, bucket: undefined };
const SECRET = ["tke2eks:existingBucket"];

function load(over: Record<string, unknown>, secretKeys: string[] = SECRET): MigrationConfig {
    return loadMigrationConfig(rawConfig({ ...NO_COS, ...over }), { projectDir: PROJECT_DIR, stack: "test", secretKeys });
}

function problems(over: Record<string, unknown>, secretKeys: string[] = SECRET): ConfigError {
    try {
        load(over, secretKeys);
    } catch (err) {
        if (err instanceof ConfigError) return err;
        throw err;
    }
    assert.fail("config loaded, expected a ConfigError");
}

describe("config: bring your own bucket (tke2eks:existingBucket)", () => {
    it("uses the bucket, endpoint and key as given, with no COS store", () => {
        const c = load({ existingBucket: SANDBOX_BUCKET });
        assert.equal(c.bucket, "velero");
        assert.equal(c.endpoint, "http://127.0.0.1:9000");
        assert.equal(c.region, "us-east-1");
        assert.equal(c.s3ForcePathStyle, true);
        assert.deepEqual(c.store, { kind: "existing", accessKeyId: "S3RVER", secretAccessKey: "S3RVER-secret-key" });
    });

    it("takes a local S3 server's key in clear: it never leaves the machine", () => {
        assert.deepEqual(load({ existingBucket: SANDBOX_BUCKET }, []).store, { kind: "existing", accessKeyId: "S3RVER", secretAccessKey: "S3RVER-secret-key" });
        for (const endpoint of ["http://localhost:9000", "http://[::1]:9000/"]) assert.equal(load({ existingBucket: { ...SANDBOX_BUCKET, endpoint } }, []).endpoint, endpoint.replace(/\/$/, ""));
    });

    it("refuses the COS bucket's keys beside it, each named with what to use instead", () => {
        const err = problems({ existingBucket: SANDBOX_BUCKET, region: "ap-guangzhou", appId: "1250000000", bucket: "shop", createBucket: "false", s3ForcePathStyle: "true", retentionDays: "60" });
        const byKey = new Map(err.issues.map((i) => [i.key, i]));
        assert.deepEqual([...byKey.keys()].sort(), ["tke2eks:appId", "tke2eks:bucket", "tke2eks:createBucket", "tke2eks:region", "tke2eks:retentionDays", "tke2eks:s3ForcePathStyle"]);
        assert.equal(byKey.get("tke2eks:region")?.value, '"ap-guangzhou"');
        assert.match(byKey.get("tke2eks:region")!.message, /not used with tke2eks:existingBucket.*tke2eks:existingBucket\.region/);
        assert.match(byKey.get("tke2eks:s3ForcePathStyle")!.message, /tke2eks:existingBucket\.s3ForcePathStyle/);
    });

    it("requires the key to be a secret, and never prints it", () => {
        const err = problems({ existingBucket: { ...SANDBOX_BUCKET, endpoint: "https://s3.example.com" } }, []);
        assert.deepEqual(
            err.issues.map((i) => `${i.key} = ${i.value}: ${i.message}`),
            ["tke2eks:existingBucket.secretAccessKey = [secret]: must be a secret: set it with pulumi config set --secret --path tke2eks:existingBucket.secretAccessKey, so the stack file holds it encrypted"],
        );
        assert.doesNotMatch(err.message, /S3RVER/);
    });

    it("shows a bad endpoint or name with what is allowed, though the map is secret; a bad key stays hidden", () => {
        const err = problems({ existingBucket: { ...SANDBOX_BUCKET, name: "Velero_Backups", endpoint: "http://s3.example.com:9000", accessKeyId: "" } });
        assert.deepEqual(
            err.issues.map((i) => `${i.key} = ${i.value}: ${i.message}`),
            [
                `tke2eks:existingBucket.name = "Velero_Backups": must be an S3 bucket name: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit`,
                `tke2eks:existingBucket.endpoint = "http://s3.example.com:9000": must be an S3 endpoint URL without a path: https://host[:port], or http://127.0.0.1:PORT for a local S3 server`,
                "tke2eks:existingBucket.accessKeyId = [secret]: must not be empty",
            ],
        );
    });

    it("names what the map takes when a key is missing or unknown", () => {
        const err = problems({ existingBucket: { ...SANDBOX_BUCKET, name: undefined, bucketName: "velero" } });
        assert.deepEqual(
            err.issues.map((i) => `${i.key}: ${i.message}`),
            [
                "tke2eks:existingBucket.name: required: the bucket's full name",
                "tke2eks:existingBucket.bucketName: unknown key; allowed here: name, endpoint, region, s3ForcePathStyle, accessKeyId, secretAccessKey",
            ],
        );
    });

    it("without it, the COS bucket's region, APPID and name are required, and it is offered", () => {
        const err = problems({}, []);
        assert.deepEqual(
            err.issues.map((i) => i.key),
            ["tke2eks:region", "tke2eks:appId", "tke2eks:bucket"],
        );
        for (const i of err.issues) assert.match(i.message, /^required: .* \(or tke2eks:existingBucket, to use a bucket of your own\)$/);
    });
});

describe("config: the Velero chart's source (tke2eks:chart)", () => {
    const REFERENCE = process.env.TKE2EKS_REFERENCE ?? path.resolve(PROJECT_DIR, "..", "shared", "reference");
    const chart = (value: string) => loadMigrationConfig(rawConfig({ chart: value }), { projectDir: PROJECT_DIR, stack: "test" }).chart;
    const chartProblem = (value: string) => {
        try {
            chart(value);
        } catch (err) {
            if (err instanceof ConfigError) return err.issues.map((i) => `${i.key} = ${i.value}: ${i.message}`);
            throw err;
        }
        assert.fail(`${value} loaded`);
    };

    it("takes a repository URL, an OCI reference or a local .tgz (relative to the project)", () => {
        assert.deepEqual(chart("https://charts.example.com/mirror/"), { kind: "repository", url: "https://charts.example.com/mirror" });
        assert.deepEqual(chart("oci://ccr.ccs.tencentyun.com/mirror/velero"), { kind: "oci", ref: "oci://ccr.ccs.tencentyun.com/mirror/velero" });
        const tgz = path.join(REFERENCE, "velero-chart-12.1.0", "velero-12.1.0.tgz");
        const given = path.relative(PROJECT_DIR, tgz);
        assert.deepEqual(chart(given), { kind: "file", path: tgz, given });
    });

    it("refuses anything else, and a .tgz it cannot read, naming the key and the value", () => {
        assert.deepEqual(chartProblem("ftp://charts.example.com/velero"), [
            `tke2eks:chart = "ftp://charts.example.com/velero": must be a chart repository URL (https://...), an OCI reference ending in /velero (oci://registry/path/velero) or the path of the chart's .tgz file`,
        ]);
        assert.deepEqual(chartProblem("oci://registry.example.com/charts/other"), [
            `tke2eks:chart = "oci://registry.example.com/charts/other": must be a chart repository URL (https://...), an OCI reference ending in /velero (oci://registry/path/velero) or the path of the chart's .tgz file`,
        ]);
        const [missing] = chartProblem("charts/velero-12.1.0.tgz");
        assert.match(missing, /^tke2eks:chart = "charts\/velero-12\.1\.0\.tgz": cannot be read: .*charts\/velero-12\.1\.0\.tgz: no such file; give the Velero chart 12\.1\.0 \.tgz/);
    });
});
