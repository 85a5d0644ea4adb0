import { describePolicy } from "./policyCases";

describe("policy velero-no-node-agent", () => {
    describePolicy("velero-no-node-agent", "mixed");
});
