import { strict as assert } from "node:assert";
import type { KubeObject } from "../../rules";
import { assertValidCustomResource } from "../support/crds";
import { policyFor, remediate, resourceOf, SOURCE, TARGET, validate, validateStack } from "./harness";
import { describePolicy } from "./policyCases";

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

    it("flags, per cluster, a labelled class whose Velero lacks EnableCSI", async () => {
        const rs = [resourceOf(cbsClass({ "velero.io/csi-volumesnapshot-class": "true" }), SOURCE), resourceOf(velero("EnableCSI"), SOURCE), resourceOf(cbsClass({ "velero.io/csi-volumesnapshot-class": "true" })), resourceOf(velero("EnableAPIGroupVersions"))];
        const { violations } = await validateStack(policy, rs);
        assert.ok(violations.length > 0);
        assert.ok(violations.every((v) => v.urn === rs[2].urn || v.urn === rs[3].urn), "only the target's Velero lacks the flag");
    });
});
