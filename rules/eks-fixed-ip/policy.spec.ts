import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, remediate, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-fixed-ip", () => {
    describePolicy("eks-fixed-ip", "target");

    const policy = policyFor("eks-fixed-ip");
    const statefulSet: KubeObject = {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "orders", namespace: "shop", annotations: { "tke.cloud.tencent.com/enable-static-ip": "true" } },
        spec: { serviceName: "orders", template: { metadata: { labels: { app: "orders" } }, spec: { containers: [{ name: "o", image: "o:1" }] } } },
    };

    it("warns, without blocking, that the IP changes", async () => {
        const { violations } = await validate(policy, resourceOf(statefulSet));
        assert.deepEqual(
            violations.map((v) => v.enforcementLevel),
            ["advisory"],
        );
    });

    it("remediates by dropping the TKE marker, and asks for retain-ip when the config says so", async () => {
        const plain = await remediate(policy, resourceOf(statefulSet));
        assert.deepEqual((plain?.metadata as Record<string, unknown>).annotations, {});
        const retained = await remediate(policy, resourceOf(statefulSet), { retainIp: true });
        const template = (retained?.spec as { template: { metadata: { annotations: Record<string, string> } } }).template;
        assert.equal(template.metadata.annotations["eks.tke.cloud.tencent.com/retain-ip"], "true");
        assert.deepEqual((await validate(policy, { ...resourceOf(statefulSet), props: retained! }, { retainIp: true })).violations, []);
    });
});
