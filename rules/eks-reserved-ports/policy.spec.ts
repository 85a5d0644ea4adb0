import { strict as assert } from "node:assert";
import { inEveryController } from "../../test/support/controllers";
import { policyFor, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-reserved-ports", () => {
    describePolicy("eks-reserved-ports", "target");

    const policy = policyFor("eks-reserved-ports");
    const pod = (port: number, probe?: number) => ({
        spec: { containers: [{ name: "app", image: "app:1", ports: [{ containerPort: port }], ...(probe ? { livenessProbe: { tcpSocket: { port: probe } } } : {}) }] },
    });

    it("judges every Pod-making kind and API version the SDK has a type for", async () => {
        for (const obj of inEveryController(pod(9100))) {
            const { violations } = await validate(policy, resourceOf(obj));
            assert.equal(violations.length, 1, `${String(obj.apiVersion)} ${String(obj.kind)}`);
        }
    });

    it("reads its ports from the config, within bounds", async () => {
        const r = resourceOf(inEveryController(pod(8080))[0]);
        assert.deepEqual((await validate(policy, r)).violations, []);
        assert.equal((await validate(policy, r, { reservedPorts: [8080] })).violations.length, 1);
        const high = resourceOf(inEveryController(pod(61500))[0]);
        assert.deepEqual((await validate(policy, high)).violations, [], "eks refuses 62000 and above");
        assert.equal((await validate(policy, high, { reservedRangeFrom: 61000 })).violations.length, 1);
    });

    it("counts probe ports under tke-serverless only", async () => {
        const r = resourceOf(inEveryController(pod(8080, 61500))[0]);
        assert.deepEqual((await validate(policy, r)).violations, []);
        assert.match((await validate(policy, r, { profile: "tke-serverless" })).violations[0].message, /livenessProbe/);
    });
});
