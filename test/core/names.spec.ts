/**
 * The names every layer shares, checked once here; the callers' specs check their messages.
 */
import { strict as assert } from "node:assert";
import { cosBucketName, cosEndpoint, cosEndpointRegion, isDnsLabel, isDnsSubdomain } from "../../core/names";

describe("core/names", () => {
    it("a DNS label: lowercase letters, digits and inner '-', at most 63 characters", () => {
        for (const ok of ["a", "shop", "shop-1", "0", "a".repeat(63)]) assert.ok(isDnsLabel(ok), ok);
        for (const bad of ["", "-a", "a-", "Shop", "a.b", "a_b", "*", "a".repeat(64)]) assert.ok(!isDnsLabel(bad), bad);
    });

    it("a DNS subdomain: labels joined by '.', at most 253 characters", () => {
        for (const ok of ["a", "shop-1", "deployments.apps", "a.b.c", `${"a".repeat(63)}.${"b".repeat(189)}`]) assert.ok(isDnsSubdomain(ok), ok);
        for (const bad of ["", ".a", "a.", "a..b", "a.-b", "A.b", "a/b", "a".repeat(254)]) assert.ok(!isDnsSubdomain(bad), bad);
    });

    it("a COS bucket's full name ends in the APPID", () => {
        assert.equal(cosBucketName("velero", "1250000000"), "velero-1250000000");
    });

    it("COS's endpoint is the region's https service domain, and only that gives its region back", () => {
        assert.equal(cosEndpoint("ap-guangzhou"), "https://cos.ap-guangzhou.myqcloud.com");
        assert.equal(cosEndpointRegion(cosEndpoint("ap-guangzhou")), "ap-guangzhou");
        assert.equal(cosEndpointRegion("https://cos.na-siliconvalley.myqcloud.com/"), "na-siliconvalley");
        for (const bad of ["http://cos.ap-guangzhou.myqcloud.com", "https://velero-1250000000.cos.ap-guangzhou.myqcloud.com", "https://cos.ap-guangzhou.myqcloud.com/velero", "https://s3.us-east-1.amazonaws.com", "http://127.0.0.1:9000"]) {
            assert.equal(cosEndpointRegion(bad), undefined, bad);
        }
    });

});
