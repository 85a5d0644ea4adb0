import { describePolicy } from "./policyCases";

describe("policy eks-ephemeral-storage", () => {
    describePolicy("eks-ephemeral-storage", "target");
});
