import { strict as assert } from "node:assert";
import { backupSchema, clusterSchema, restoreSchema, snapshotsSchema, verifySchema } from "../../config/schema";

describe("config schema: maps", () => {
    const maps = { backup: backupSchema, restore: restoreSchema, verify: verifySchema, snapshots: snapshotsSchema };

    for (const [name, schema] of Object.entries(maps)) {
        it(`tke2eks:${name} left out reads as an empty map: its keys' own defaults, nothing else`, () => {
            assert.deepEqual(schema.parse(undefined), schema.parse({}));
        });
    }

    it("an unknown key names every key the map takes, the required ones marked", () => {
        const r = clusterSchema.safeParse({ kubeconfig: "k", kubeConfig: "typo" });
        assert.equal(r.success, false);
        const issue = r.error?.issues[0];
        assert.equal(issue?.code, "unrecognized_keys");
        const bad = clusterSchema.safeParse("not a map");
        assert.match(bad.error?.issues[0]?.message ?? "", /^must be a map with kubeconfig \(required\), context, kubernetesVersion, veleroVersion, awsPluginVersion, namespace, snapshotApiVersion, values, keyGeneration$/);
        assert.match(verifySchema.safeParse([]).error?.issues[0]?.message ?? "", /^must be a map with onFailure, timeout$/);
    });
});
