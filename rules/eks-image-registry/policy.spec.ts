import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, provider, resourceOf, SOURCE, validateStack } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-image-registry", () => {
    describePolicy("eks-image-registry", "target");

    const policy = policyFor("eks-image-registry");
    const job = (name: string, image: string): KubeObject => ({
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name, namespace: "batch" },
        spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image }] } } },
    });

    it("is a stack policy listing each serverless cluster's registries once", async () => {
        assert.equal(policy.validateResource, undefined);
        const rs = [
            resourceOf(job("a", "harbor.example.com/batch/a:1")),
            resourceOf(job("b", "harbor.example.com/batch/b:1")),
            resourceOf(job("c", "harbor.example.com/batch/c:1"), provider("prod-serverless")),
            resourceOf(job("d", "old-registry.example.com/batch/d:1"), SOURCE),
        ];
        const { violations } = await validateStack(policy, rs);
        assert.deepEqual(
            violations.map((v) => v.urn),
            [rs[0].urn, rs[2].urn],
        );
        assert.ok(violations.every((v) => v.message.includes("harbor.example.com") && v.enforcementLevel === "advisory"));
    });
});
