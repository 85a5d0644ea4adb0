/**
 * The CBS VolumeSnapshotClass Velero's built-in CSI support picks (by its label) to snapshot
 * PVCs on the source and restore them on the target.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export const CBS_CSI_DRIVER = "com.tencent.cloud.csi.cbs";
/** Velero uses the snapshot class of a driver that carries this label. */
export const VELERO_SNAPSHOT_CLASS_LABEL = "velero.io/csi-volumesnapshot-class";

export interface CbsSnapshotClassArgs {
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
    /** Object name of the class, e.g. cbs-snapclass. */
    className: string;
    /** Delete: the CBS snapshot goes with its VolumeSnapshotContent; Retain keeps it. */
    deletionPolicy: "Delete" | "Retain";
    /** v1, or v1beta1 for snapshot controllers older than 4.0 (as in Tencent's guide). */
    apiVersion: "v1" | "v1beta1";
}

export class CbsSnapshotClass extends pulumi.ComponentResource {
    readonly className: string;
    readonly snapshotClass: k8s.apiextensions.CustomResource;

    constructor(name: string, args: CbsSnapshotClassArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tke2eks:snapshots:CbsSnapshotClass", name, {}, opts);
        this.className = args.className;
        this.snapshotClass = new k8s.apiextensions.CustomResource(
            `${name}-class`,
            {
                apiVersion: `snapshot.storage.k8s.io/${args.apiVersion}`,
                kind: "VolumeSnapshotClass",
                metadata: { name: args.className, labels: { [VELERO_SNAPSHOT_CLASS_LABEL]: "true" } },
                driver: CBS_CSI_DRIVER,
                deletionPolicy: args.deletionPolicy,
            },
            { parent: this, provider: args.provider },
        );
        this.registerOutputs({ className: this.className });
    }
}
