import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, remediate, resourceOf, SOURCE, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy velero-no-node-agent", () => {
    describePolicy("velero-no-node-agent", "mixed");

    const policy = policyFor("velero-no-node-agent");
    const release: KubeObject = {
        apiVersion: "helm.sh/v3",
        kind: "Release",
        name: "velero",
        namespace: "velero",
        chart: "velero",
        version: "12.1.0",
        values: { deployNodeAgent: true, snapshotsEnabled: false, configuration: { features: "EnableCSI" } },
    };
    const fsBackup: KubeObject = {
        apiVersion: "velero.io/v1",
        kind: "Backup",
        metadata: { name: "migration", namespace: "velero" },
        spec: { includedNamespaces: ["shop"], defaultVolumesToFsBackup: true },
    };

    it("refuses the node agent in the target's Velero, not in the source's", async () => {
        assert.equal((await validate(policy, resourceOf(release))).violations.length, 1);
        assert.match((await validate(policy, resourceOf(release, SOURCE))).notApplicable ?? "", /^not deployed to the serverless cluster/);
    });

    it("refuses a file-system backup on either cluster: restoring it needs the node agent on the target", async () => {
        const { violations } = await validate(policy, resourceOf(fsBackup, SOURCE));
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /\/spec\/defaultVolumesToFsBackup/);
    });

    it("remediates the release by turning the node agent off", async () => {
        const fixed = await remediate(policy, resourceOf(release));
        assert.equal((fixed?.values as Record<string, unknown>).deployNodeAgent, false);
        assert.deepEqual((await validate(policy, { ...resourceOf(release), props: fixed! })).violations, []);
    });
});
