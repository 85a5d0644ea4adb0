import { describePolicy } from "./policyCases";

describe("policy eks-no-hostpath", () => {
    describePolicy("eks-no-hostpath", "target");
});
