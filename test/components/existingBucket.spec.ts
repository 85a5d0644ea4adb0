import { strict as assert } from "node:assert";
import { Migration } from "../../components/migration";
import { credentialsFile } from "../../components/velero";
import { loadMigrationConfig } from "../../config";
import { PROJECT_DIR, rawConfig } from "../config/support";
import { declare } from "./harness";

/** The sandbox's S3 server as a user would point a stack at it. */
const byoConfig = (over: Record<string, unknown> = {}) =>
    loadMigrationConfig(
        rawConfig({
            region: undefined,
            appId: undefined,
            bucket: undefined,
            existingBucket: { name: "velero", endpoint: "http://127.0.0.1:9000", region: "us-east-1", s3ForcePathStyle: true, accessKeyId: "S3RVER", secretAccessKey: "S3RVER-secret-key" },
            ...over,
        }),
        { projectDir: PROJECT_DIR, stack: "byo", secretKeys: ["tke2eks:existingBucket"] },
    );

describe("components: Migration with a bucket of the user's own", () => {
    it("declares no Tencent Cloud resource and points both Velero installs at the bucket's endpoint, path-style", async () => {
        const d = await declare(() => new Migration("migration", { config: byoConfig() }), { stack: "byo", preview: false });
        assert.deepEqual(d.resources.filter((r) => r.type.includes("tencentcloud")).map((r) => r.type), []);
        const releases = d.ofType("kubernetes:helm.sh/v3:Release");
        assert.equal(releases.length, 2);
        for (const r of releases) {
            const bsls = (r.inputs.values as { configuration: { backupStorageLocation: { bucket: string; config: Record<string, string> }[] } }).configuration.backupStorageLocation;
            for (const bsl of bsls) {
                assert.equal(bsl.bucket, "velero");
                assert.deepEqual({ s3Url: bsl.config.s3Url, region: bsl.config.region, s3ForcePathStyle: bsl.config.s3ForcePathStyle }, { s3Url: "http://127.0.0.1:9000", region: "us-east-1", s3ForcePathStyle: "true" });
            }
        }
    });

    it("hands both clusters the given key, as a secret", async () => {
        const d = await declare(() => new Migration("migration", { config: byoConfig() }), { stack: "byo", preview: false });
        const secrets = d.ofType("kubernetes:core/v1:Secret");
        assert.equal(secrets.length, 2);
        for (const s of secrets) {
            assert.equal(s.inputs.stringData, "[secret]");
            assert.deepEqual(s.props.stringData, { cloud: credentialsFile("S3RVER", "S3RVER-secret-key") });
        }
    });
});
