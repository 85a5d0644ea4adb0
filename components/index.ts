/** The migration's building blocks, one component per file. */
export { CosBackupStore, type CosBackupStoreArgs, type CosCredentials } from "./cosBackupStore";
export { Velero, type VeleroArgs, BSL_NAME, CREDENTIALS_SECRET, RELEASE_NAME } from "./velero";
export { CbsSnapshotClass, type CbsSnapshotClassArgs, CBS_CSI_DRIVER, VELERO_SNAPSHOT_CLASS_LABEL } from "./snapshotClass";
export { Migration, type MigrationArgs, type ClusterSummary, bslAccessMode } from "./migration";
export { MigrationRun, type MigrationRunArgs } from "./migrationRun";
export type { ClusterInstall, RunContext } from "./stage";
export { CLUSTER_ROLES, kubernetesProviderName, clusterRoleOfProvider, type ClusterRole } from "./naming";
export { VELERO_CHART } from "./veleroChart";
