import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { assertValidCustomResource } from "../../test/support/crds";
import { policyFor, remediate, resourceOf, SOURCE, TARGET, validate, validateStack } from "../../test/policy/harness";
import { describePolicy } from "../../test/policy/policyCases";

describe("policy velero-snapshot-class", () => {
    describePolicy("velero-snapshot-class", "every");

    const policy = policyFor("velero-snapshot-class");
    const cbsClass = (labels?: Record<string, string>): KubeObject => ({
        apiVersion: "snapshot.storage.k8s.io/v1",
        kind: "VolumeSnapshotClass",
        metadata: { name: "cbs", ...(labels ? { labels } : {}) },
        driver: "com.tencent.cloud.csi.cbs",
        deletionPolicy: "Retain",
    });
    const velero = (features: string): KubeObject => ({
        apiVersion: "helm.sh/v3",
        kind: "Release",
        name: "velero",
        namespace: "velero",
        chart: "velero",
        values: { configuration: { features } },
    });

    it("remediates a CBS class on either cluster with Velero's label, giving a CRD-valid class that passes", async () => {
        for (const cluster of [TARGET, SOURCE]) {
            const r = resourceOf(cbsClass(), cluster);
            const fixed = await remediate(policy, r);
            assert.ok(fixed);
            assertValidCustomResource(fixed, "remediated VolumeSnapshotClass");
            assert.deepEqual((fixed.metadata as { labels: unknown }).labels, { "velero.io/csi-volumesnapshot-class": "true" });
            assert.deepEqual((await validate(policy, { ...r, props: fixed })).violations, []);
        }
    });

    it("flags the Velero release that lacks EnableCSI, on its own resource, once", async () => {
        const rs = [resourceOf(cbsClass({ "velero.io/csi-volumesnapshot-class": "true" })), resourceOf(velero("EnableCSI")), resourceOf(velero("EnableAPIGroupVersions"))];
        assert.deepEqual((await validate(policy, rs[1])).violations, []);
        const flagged = (await validate(policy, rs[2])).violations;
        assert.equal(flagged.length, 1);
        assert.match(flagged[0].message, /lack EnableCSI/);
        assert.deepEqual((await validateStack(policy, rs)).violations, [], "the stack check does not repeat it");
    });
});
