import { describePolicy } from "./policyCases";

describe("policy eks-pod-quota", () => {
    describePolicy("eks-pod-quota", "target");
});
