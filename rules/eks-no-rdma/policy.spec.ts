import { strict as assert } from "node:assert";
import { inEveryController } from "../../test/support/controllers";
import { policyFor, resourceOf, SOURCE, validate } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy eks-no-rdma", () => {
    describePolicy("eks-no-rdma", "target");

    const policy = policyFor("eks-no-rdma");

    it("refuses RDMA resources in every Pod-making kind bound for the target", async () => {
        const pod = { spec: { containers: [{ name: "train", image: "t:1", resources: { limits: { "rdma/hca": "1" } } }] } };
        for (const obj of inEveryController(pod)) {
            assert.equal((await validate(policy, resourceOf(obj))).violations.length, 1, `${String(obj.apiVersion)} ${String(obj.kind)}`);
            assert.ok((await validate(policy, resourceOf(obj, SOURCE))).notApplicable);
        }
    });
});
