import { describePolicy } from "./policyCases";

describe("policy eks-image-registry", () => {
    describePolicy("eks-image-registry", "target");
});
