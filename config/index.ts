export { ConfigError, type ConfigIssue } from "./errors";
export { loadMigrationConfig, NAMESPACE, type ClusterConfig, type LoadOptions, type MigrationConfig } from "./load";
export { MIN_KUBERNETES } from "./schema";
export { STAGES, type Stage } from "./stages";
export { COS_REGIONS } from "./regions";
export { cosEndpoint } from "../core/names";
export type { VeleroRelease } from "./veleroRelease";
export type { Kubeconfig } from "../cluster/kubeconfigFile";
