import { strict as assert } from "node:assert";
import { inEveryController } from "../../test/support/controllers";
import { policyFor, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-sysctls", () => {
    describePolicy("eks-sysctls", "target");

    const policy = policyFor("eks-sysctls");
    const withSysctl = (name: string) => resourceOf(inEveryController({ spec: { securityContext: { sysctls: [{ name, value: "1" }] }, containers: [{ name: "c", image: "c:1" }] } })[1]);

    it("follows the profile: net.* refused on eks, everything but net.* on tke-serverless", async () => {
        assert.equal((await validate(policy, withSysctl("net.core.somaxconn"))).violations.length, 1);
        assert.deepEqual((await validate(policy, withSysctl("net.core.somaxconn"), { profile: "tke-serverless" })).violations, []);
        assert.deepEqual((await validate(policy, withSysctl("kernel.shm_rmid_forced"))).violations, []);
        assert.equal((await validate(policy, withSysctl("kernel.shm_rmid_forced"), { profile: "tke-serverless" })).violations.length, 1);
    });
});
