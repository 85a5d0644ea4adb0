import { describePolicy } from "./policyCases";

describe("policy velero-cos-storage", () => {
    describePolicy("velero-cos-storage", "every");
});
