import { describePolicy } from "./policyCases";

describe("policy velero-snapshot-class", () => {
    describePolicy("velero-snapshot-class", "every");
});
