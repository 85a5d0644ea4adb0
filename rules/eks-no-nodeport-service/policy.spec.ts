import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { policyFor, remediate, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-no-nodeport-service", () => {
    describePolicy("eks-no-nodeport-service", "target");

    const policy = policyFor("eks-no-nodeport-service");
    const service = (type: string): KubeObject => ({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web", namespace: "shop" },
        spec: { type, selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 8080, nodePort: 30080 }] },
    });

    it("blocks a NodePort Service and only warns about a LoadBalancer's explicit nodePorts", async () => {
        assert.deepEqual(
            (await validate(policy, resourceOf(service("NodePort")))).violations.map((v) => v.enforcementLevel),
            ["mandatory"],
        );
        const lb = (await validate(policy, resourceOf(service("LoadBalancer")))).violations;
        assert.deepEqual(
            lb.map((v) => v.enforcementLevel),
            ["advisory"],
        );
        assert.match(lb[0].message, /^No NodePort Services\n.*\/spec\/ports\/0\/nodePort.*\. Fix: /s);
    });

    it("remediates to the Service type the config asks for, dropping the nodePorts", async () => {
        const r = resourceOf(service("NodePort"));
        const spec = (await remediate(policy, r, { nodePortServiceType: "LoadBalancer" }))?.spec as Record<string, unknown>;
        assert.equal(spec.type, "LoadBalancer");
        assert.deepEqual(spec.ports, [{ name: "http", port: 80, targetPort: 8080 }]);
        const fixed = await remediate(policy, r);
        assert.equal((fixed?.spec as Record<string, unknown>).type, "ClusterIP");
    });
});
