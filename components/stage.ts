/**
 * How migration steps beyond the install plug into the Migration component: each declares
 * its resources for the `tke2eks:stage` values it belongs to, with everything the install
 * made at hand (the clusters' providers and Velero installs, the backup store).
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { MigrationConfig } from "../config/load";
import type { Stage } from "../config/schema";
import type { CosBackupStore } from "./cosBackupStore";
import type { ClusterRole } from "./naming";
import type { CbsSnapshotClass } from "./snapshotClass";
import type { Velero } from "./velero";

/** One cluster as the install left it. */
export interface ClusterInstall {
    role: ClusterRole;
    provider: k8s.Provider;
    /** The provider's name, which says which cluster it is (see naming.ts). */
    providerName: string;
    /** kubeconfig context the provider uses. */
    context: string;
    velero: Velero;
    /** Present when `tke2eks:snapshots.enabled`. */
    snapshotClass?: CbsSnapshotClass;
}

export interface StageContext {
    config: MigrationConfig;
    /** Parent for the step's resources (the Migration component). */
    parent: pulumi.ComponentResource;
    store: CosBackupStore;
    clusters: Record<ClusterRole, ClusterInstall>;
}

export interface MigrationStep {
    /** Key of the step's outputs in the Migration's outputs, e.g. "backup". */
    name: string;
    /** The stages in which the step's resources exist. */
    stages: readonly Stage[];
    /** Declares the step's resources; returns its outputs. */
    declare(ctx: StageContext): Record<string, pulumi.Input<unknown>>;
}
