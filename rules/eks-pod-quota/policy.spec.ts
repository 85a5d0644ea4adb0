import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, provider, resourceOf, SOURCE, validate, validateStack } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-pod-quota", () => {
    describePolicy("eks-pod-quota", "target");

    const policy = policyFor("eks-pod-quota");
    const deployment = (name: string, replicas: number): KubeObject => ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: "shop" },
        spec: { replicas, template: { spec: { containers: [{ name: "c", image: "c:1" }] } } },
    });
    const hpa = (target: string, maxReplicas: number): KubeObject => ({
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: target, namespace: "shop" },
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas: 1, maxReplicas },
    });

    it("checks each workload's replicas against tke-serverless's per-workload limit", async () => {
        assert.deepEqual((await validate(policy, resourceOf(deployment("web", 150)))).violations, [], "eks has no per-workload limit");
        assert.equal((await validate(policy, resourceOf(deployment("web", 150)), { profile: "tke-serverless" })).violations.length, 1);
        assert.equal((await validate(policy, resourceOf(hpa("web", 150)), { profile: "tke-serverless" })).violations.length, 1);
        assert.deepEqual((await validate(policy, resourceOf(deployment("web", 150)), { profile: "tke-serverless", replicaLimit: 200 })).violations, []);
    });

    it("counts each serverless cluster's Pods on its own, HPA maxima included, the source left out", async () => {
        const b = provider("prod-serverless");
        const rs = [resourceOf(deployment("web", 3)), resourceOf(hpa("web", 90)), resourceOf(deployment("api", 20)), resourceOf(deployment("api", 99), b), resourceOf(deployment("big", 500), SOURCE)];
        const { violations } = await validateStack(policy, rs);
        assert.equal(violations.length, 1);
        assert.match(violations[0].message, /up to 110 Pods on urn:pulumi:dev::tke2eks::pulumi:providers:kubernetes::dev-target, above the quota of 100/);
        assert.equal(violations[0].urn, rs[0].urn, "attached to the largest contributor: web, scaled to 90 by its HPA");
        assert.equal(violations[0].enforcementLevel, "advisory");
        assert.deepEqual((await validateStack(policy, rs, { podQuota: 110 })).violations, []);
        assert.deepEqual((await validateStack(policy, rs, { excludeNames: ["shop/web"] })).violations, [], "20 Pods left without web");
    });
});
