import { describePolicy } from "./policyCases";

describe("policy eks-no-rdma", () => {
    describePolicy("eks-no-rdma", "target");
});
