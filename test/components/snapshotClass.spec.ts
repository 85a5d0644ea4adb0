import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import { CbsSnapshotClass, type CbsSnapshotClassArgs } from "../../components/snapshotClass";
import { customResourceErrors } from "../support/crds";
import { declare } from "./harness";

function program(args: Partial<CbsSnapshotClassArgs> = {}) {
    return () => {
        const provider = new k8s.Provider("test-source", { kubeconfig: "{}" });
        new CbsSnapshotClass("snapshots", { provider, className: "cbs-snapclass", deletionPolicy: "Delete", apiVersion: "v1", ...args });
    };
}

describe("components: CbsSnapshotClass", () => {
    it("declares a CRD-valid VolumeSnapshotClass for the CBS driver that Velero picks by its label", async () => {
        const d = await declare(program());
        const vsc = d.one("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass");
        assert.equal(vsc.parent, d.one("tke2eks:snapshots:CbsSnapshotClass").urn);
        assert.equal(vsc.provider, d.one("pulumi:providers:kubernetes").urn);
        assert.deepEqual(vsc.inputs, {
            apiVersion: "snapshot.storage.k8s.io/v1",
            kind: "VolumeSnapshotClass",
            metadata: { name: "cbs-snapclass", labels: { "velero.io/csi-volumesnapshot-class": "true" } },
            driver: "com.tencent.cloud.csi.cbs",
            deletionPolicy: "Delete",
        });
        assert.deepEqual(customResourceErrors(vsc.inputs), []);
    });

    it("keeps snapshots with Retain, and speaks v1beta1 to old snapshot controllers", async () => {
        const d = await declare(program({ deletionPolicy: "Retain", apiVersion: "v1beta1", className: "cbs-retain" }));
        const vsc = d.one("kubernetes:snapshot.storage.k8s.io/v1beta1:VolumeSnapshotClass");
        assert.equal(vsc.inputs.deletionPolicy, "Retain");
        // The current CRDs define v1beta1 but no longer serve it: valid for a cluster that still does.
        assert.deepEqual(customResourceErrors(vsc.inputs, { allowUnserved: true }), []);
        assert.match(customResourceErrors(vsc.inputs).join("\n"), /no longer served/);
    });
});
