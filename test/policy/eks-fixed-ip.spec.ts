import { describePolicy } from "./policyCases";

describe("policy eks-fixed-ip", () => {
    describePolicy("eks-fixed-ip", "target");
});
