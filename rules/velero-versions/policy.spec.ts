import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, resourceOf, SOURCE, TARGET, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy velero-versions", () => {
    describePolicy("velero-versions", "every");

    const policy = policyFor("velero-versions");
    const release = (awsTag: string): KubeObject => ({
        apiVersion: "helm.sh/v3",
        kind: "Release",
        name: "velero",
        namespace: "velero",
        chart: "vmware-tanzu/velero",
        version: "12.1.0",
        values: {
            image: { tag: "v1.18.1" },
            initContainers: [{ name: "velero-plugin-for-aws", image: `velero/velero-plugin-for-aws:${awsTag}`, volumeMounts: [{ mountPath: "/target", name: "plugins" }] }],
            configuration: { features: "EnableCSI" },
        },
    });

    it("holds both clusters' Velero to the compatibility matrix", async () => {
        for (const cluster of [SOURCE, TARGET]) {
            assert.deepEqual((await validate(policy, resourceOf(release("v1.14.0"), cluster))).violations, []);
            const { violations } = await validate(policy, resourceOf(release("v1.10.1"), cluster));
            assert.ok(violations.length > 0);
            assert.ok(violations.every((v) => v.enforcementLevel === "mandatory"));
        }
    });
});
