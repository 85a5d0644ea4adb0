/**
 * What the migration run's steps (migrationSteps.ts) get from the MigrationRun component:
 * everything the install made (the clusters' providers and Velero installs, the backup store)
 * and how to name and parent a resource under the run.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { MigrationConfig } from "../config/load";
import type { BackupStore } from "./backupStore";
import type { ClusterRole } from "../config/naming";
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

/** A resource's name under the run, and the options that parent it there. */
export interface RunChild {
    name: string;
    /** Parent (the run) and the alias from the resource's name and parent before the run was a component. */
    opts: pulumi.CustomResourceOptions;
}

export interface RunContext {
    config: MigrationConfig;
    /** The run's name (tke2eks:run): the Backup's and Restore's. */
    run: string;
    store: BackupStore;
    clusters: Record<ClusterRole, ClusterInstall>;
    /** Names and parents a step's resource, e.g. child("backup"). */
    child(name: string): RunChild;
}
