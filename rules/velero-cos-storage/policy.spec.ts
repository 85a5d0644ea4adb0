import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, resourceOf, SOURCE, TARGET, validate, validateStack } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy velero-cos-storage", () => {
    describePolicy("velero-cos-storage", "every");

    const policy = policyFor("velero-cos-storage");
    const bsl = (bucket: string, prefix: string, pathStyle = "false"): KubeObject => ({
        apiVersion: "velero.io/v1",
        kind: "BackupStorageLocation",
        metadata: { name: "default", namespace: "velero" },
        spec: {
            provider: "aws",
            objectStorage: { bucket, prefix },
            config: { region: "ap-shanghai", s3Url: "https://cos.ap-shanghai.myqcloud.com", s3ForcePathStyle: pathStyle, checksumAlgorithm: "" },
        },
    });

    it("passes when both clusters share the bucket and prefix", async () => {
        const rs = [resourceOf(bsl("migration-1250000000", "tke2eks"), SOURCE), resourceOf(bsl("migration-1250000000", "tke2eks"), TARGET)];
        assert.deepEqual((await validateStack(policy, rs)).violations, []);
    });

    it("flags each cluster's location when they point at different stores", async () => {
        const rs = [resourceOf(bsl("migration-1250000000", "tke2eks"), SOURCE), resourceOf(bsl("migration-1250000000", "other"), TARGET)];
        const { violations } = await validateStack(policy, rs);
        assert.deepEqual(violations.map((v) => v.urn).sort(), rs.map((r) => r.urn).sort());
        assert.ok(violations.every((v) => v.enforcementLevel === "mandatory" && v.message.startsWith("Velero on COS\nBackupStorageLocation velero/default: ")));
    });

    it("checks COS addressing on the source as on the target", async () => {
        for (const cluster of [SOURCE, TARGET]) {
            const { violations } = await validate(policy, resourceOf(bsl("migration-1250000000", "tke2eks", "true"), cluster));
            assert.equal(violations.length, 1);
            assert.match(violations[0].message, /s3ForcePathStyle/);
        }
    });
});
