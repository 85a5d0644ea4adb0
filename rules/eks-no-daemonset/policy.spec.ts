import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, provider, remediate, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-no-daemonset", () => {
    describePolicy("eks-no-daemonset", "target");

    const policy = policyFor("eks-no-daemonset");
    const ds = (apiVersion: string, labels: Record<string, string> = {}): KubeObject => ({
        apiVersion,
        kind: "DaemonSet",
        metadata: { name: "agent", namespace: "ops", labels },
        spec: { template: { spec: { containers: [{ name: "a", image: "ops/agent:1" }] } } },
    });

    it("refuses a DaemonSet of every API group, as a resource, a patch or a list item", async () => {
        for (const apiVersion of ["apps/v1", "apps/v1beta2", "extensions/v1beta1"]) {
            assert.equal((await validate(policy, resourceOf(ds(apiVersion)))).violations.length, 1, apiVersion);
        }
        const patch = { ...resourceOf(ds("apps/v1")), type: "kubernetes:apps/v1:DaemonSetPatch" };
        assert.equal((await validate(policy, patch)).violations.length, 1);
        const list = { ...resourceOf(ds("apps/v1")), type: "kubernetes:apps/v1:DaemonSetList", props: { items: [ds("apps/v1"), ds("apps/v1")] } };
        const { violations } = await validate(policy, list);
        assert.deepEqual(
            violations.map((v) => / \(at (\S+)\)\./.exec(v.message)?.[1]),
            ["/items/0/kind", "/items/1/kind"],
        );
    });

    it("lets super nodes inject a labelled DaemonSet on tke-serverless only", async () => {
        const injected = resourceOf(ds("apps/v1", { "eks.tke.cloud.tencent.com/ds-injection": "true" }));
        assert.deepEqual((await validate(policy, injected, { profile: "tke-serverless" })).violations, []);
        assert.equal((await validate(policy, injected)).violations.length, 1);
    });

    it("judges the providers the config names as the target, and only those", async () => {
        const clusterB = resourceOf(ds("apps/v1"), provider("cluster-b"));
        assert.match((await validate(policy, clusterB)).notApplicable ?? "", /provider "cluster-b" matches none of targetProviders/);
        assert.equal((await validate(policy, clusterB, { targetProviders: ["cluster-b"] })).violations.length, 1);
        assert.ok((await validate(policy, resourceOf(ds("apps/v1")), { targetProviders: ["cluster-b"] })).notApplicable);
    });

    it("has nothing to remediate", async () => {
        assert.equal(await remediate(policy, resourceOf(ds("apps/v1"))), undefined);
    });
});
