import { strict as assert } from "node:assert";
import { inEveryController } from "../../test/support/controllers";
import { policyFor, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-ephemeral-storage", () => {
    describePolicy("eks-ephemeral-storage", "target");

    const policy = policyFor("eks-ephemeral-storage");

    it("measures against ephemeralStorageGi from the config", async () => {
        const pod = { spec: { containers: [{ name: "c", image: "c:1", resources: { requests: { "ephemeral-storage": "30Gi" } } }] } };
        const r = resourceOf(inEveryController(pod)[0]);
        const [v] = (await validate(policy, r)).violations;
        assert.equal(v.enforcementLevel, "advisory");
        assert.deepEqual((await validate(policy, r, { ephemeralStorageGi: 40 })).violations, []);
    });
});
