import { describePolicy } from "./policyCases";

describe("policy eks-reserved-ports", () => {
    describePolicy("eks-reserved-ports", "target");
});
