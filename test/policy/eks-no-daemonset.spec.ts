import { describePolicy } from "./policyCases";

describe("policy eks-no-daemonset", () => {
    describePolicy("eks-no-daemonset", "target");
});
