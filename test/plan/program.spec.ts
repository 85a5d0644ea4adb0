import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { migrationProgram } from "../../program";
import { runOffline } from "../../plan/offline";
import { readStackConfig } from "../../config/stackFiles";
import { decodeMap } from "../../plan/wire";
import { PROJECT_DIR } from "./support";

describe("program: as the Pulumi CLI runs it", () => {
    it("reads the engine's config and exports the bucket and per-cluster status", async () => {
        const sc = readStackConfig(PROJECT_DIR, "dev");
        const run = await runOffline({ project: sc.project, stack: "dev", config: sc.config, program: () => migrationProgram(PROJECT_DIR) });
        const outputs = decodeMap(run.outputs, "display");
        assert.equal(outputs.bucket, "tke2eks-dev-backups-1250000000");
        assert.equal(outputs.s3Url, "https://cos.ap-guangzhou.myqcloud.com");
        assert.equal(outputs.stage, "install");
        const clusters = outputs.clusters as Record<string, Record<string, unknown>>;
        assert.deepEqual(Object.keys(clusters).sort(), ["source", "target"]);
        assert.deepEqual(clusters.target.backupStorageLocation, { name: "default", accessMode: "ReadOnly" });
        assert.deepEqual(clusters.target.ownStorageLocation, { name: "eks", prefix: "velero-eks", accessMode: "ReadWrite" });
        assert.equal(clusters.source.ownStorageLocation, null);
        assert.equal(clusters.target.provider, "tke2eks-target");
        assert.equal(clusters.source.context, "tke-a");
        assert.equal(clusters.source.snapshotClass, "cbs-snapclass");
        // Helm's status is only known after deploy.
        assert.equal(clusters.source.status, "[unknown]");
    });

    it("fails a preview with one clean message (RunError, no stack trace) for a bad config", async () => {
        const sc = readStackConfig(PROJECT_DIR, "dev", ["tke2eks:region=ap-moon", "tke2eks:bucket=UPPER"]);
        await assert.rejects(
            runOffline({ project: sc.project, stack: "dev", config: sc.config, program: () => migrationProgram(PROJECT_DIR) }),
            (err: unknown) => {
                assert.ok(pulumi.RunError.isInstance(err));
                assert.match((err as Error).message, /^2 problems in the tke2eks config of stack "dev":\n {2}- tke2eks:region = "ap-moon": .*\n {2}- tke2eks:bucket = "UPPER": /);
                return true;
            },
        );
    });
});

describe("program: the offline run itself", () => {
    it("fails when a resource cannot be declared, even if nothing awaited it", async () => {
        await assert.rejects(
            runOffline({
                project: "tke2eks",
                stack: "test",
                config: {},
                program: () => {
                    new k8s.core.v1.Namespace("broken", { metadata: { name: pulumi.output(Promise.reject(new Error("name lookup failed"))) } });
                },
            }),
            /name lookup failed/,
        );
    });
});
