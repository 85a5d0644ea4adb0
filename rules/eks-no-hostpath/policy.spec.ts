import { strict as assert } from "node:assert";
import { inEveryController } from "../../test/support/controllers";
import { policyFor, resourceOf, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-no-hostpath", () => {
    describePolicy("eks-no-hostpath", "target");

    const policy = policyFor("eks-no-hostpath");

    it("warns by default, on either profile: the level is the policy's, set with enforcementLevel", async () => {
        const pod = { spec: { containers: [{ name: "c", image: "c:1" }], volumes: [{ name: "logs", hostPath: { path: "/var/log" } }] } };
        for (const obj of inEveryController(pod)) {
            for (const profile of ["eks", "tke-serverless"]) {
                const { violations } = await validate(policy, resourceOf(obj), { profile });
                assert.deepEqual(
                    violations.map((v) => v.enforcementLevel),
                    ["advisory"],
                    `${String(obj.apiVersion)} ${String(obj.kind)} ${profile}`,
                );
            }
        }
    });
});
