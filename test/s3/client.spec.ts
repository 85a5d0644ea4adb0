/**
 * The S3 client's options as the commands give them.
 */
import { strict as assert } from "node:assert";
import { resolveRegion } from "../../s3/client";

describe("s3/client", () => {
    it("the S3 client signs for a COS endpoint's region, and for the environment's elsewhere", () => {
        assert.equal(resolveRegion({ endpoint: "https://cos.ap-shanghai.myqcloud.com", env: {} }), "ap-shanghai");
        assert.equal(resolveRegion({ endpoint: "http://127.0.0.1:9000", env: { AWS_REGION: "us-west-2" } }), "us-west-2");
        assert.equal(resolveRegion({ endpoint: "https://cos.ap-shanghai.myqcloud.com", region: "ap-beijing", env: {} }), "ap-beijing");
    });
});
