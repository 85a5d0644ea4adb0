import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy k8s-api-versions", () => {
    describePolicy("k8s-api-versions", "target");

    const policy = policyFor("k8s-api-versions");
    const ingress = (apiVersion: string): KubeObject => ({ apiVersion, kind: "Ingress", metadata: { name: "web", namespace: "shop" }, spec: {} });

    it("refuses an Ingress the serverless cluster's Kubernetes version no longer serves, once targetMinor says which", async () => {
        const old = resourceOf(ingress("networking.k8s.io/v1beta1"));
        assert.deepEqual((await validate(policy, old)).violations, [], "no target version: nothing to judge by");
        const { violations } = await validate(policy, old, { targetMinor: 22 });
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /Ingress shop\/web will not arrive: Velero restores it as networking\.k8s\.io\/v1beta1 .*Kubernetes 1\.22/);
        assert.match(violations[0].message, /re-create it on cluster B as networking\.k8s\.io\/v1 Ingress/);
        assert.deepEqual((await validate(policy, old, { targetMinor: 21 })).violations, []);
        assert.deepEqual((await validate(policy, resourceOf(ingress("networking.k8s.io/v1")), { targetMinor: 30 })).violations, []);
    });
});
