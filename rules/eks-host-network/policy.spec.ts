import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, remediate, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-host-network", () => {
    describePolicy("eks-host-network", "target");

    const policy = policyFor("eks-host-network");
    const rc: KubeObject = {
        apiVersion: "v1",
        kind: "ReplicationController",
        metadata: { name: "edge", namespace: "edge" },
        spec: { template: { spec: { hostNetwork: true, containers: [{ name: "nginx", image: "nginx:1", ports: [{ containerPort: 80, hostPort: 80 }] }] } } },
    };

    it("remediates the hostPort and keeps reporting hostNetwork, which has no automatic fix", async () => {
        const r = resourceOf(rc);
        assert.equal((await validate(policy, r)).violations.length, 2);
        const fixed = await remediate(policy, r);
        const spec = (fixed?.spec as { template: { spec: { hostNetwork: boolean; containers: { ports: unknown[] }[] } } }).template.spec;
        assert.deepEqual(spec.containers[0].ports, [{ containerPort: 80 }]);
        const left = (await validate(policy, { ...r, props: fixed! })).violations;
        assert.equal(left.length, 1);
        assert.match(left[0].message, /hostNetwork/);
    });
});
