import { describePolicy } from "./policyCases";

describe("policy eks-no-nodeport-service", () => {
    describePolicy("eks-no-nodeport-service", "target");
});
