import { describePolicy } from "./policyCases";

describe("policy eks-sysctls", () => {
    describePolicy("eks-sysctls", "target");
});
