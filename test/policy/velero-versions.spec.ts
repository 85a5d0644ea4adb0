import { describePolicy } from "./policyCases";

describe("policy velero-versions", () => {
    describePolicy("velero-versions", "every");
});
