import { describePolicy } from "./policyCases";

describe("policy eks-host-network", () => {
    describePolicy("eks-host-network", "target");
});
