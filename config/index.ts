export { ConfigError, type ConfigIssue } from "./errors";
export { loadMigrationConfig, NAMESPACE, type ClusterConfig, type LoadOptions, type MigrationConfig } from "./load";
export { STAGES, MIN_KUBERNETES, type Stage } from "./schema";
export { COS_REGIONS } from "./regions";
export { cosEndpoint } from "../core/names";
export type { VeleroRelease } from "./veleroRelease";
export type { Kubeconfig } from "../cluster/kubeconfigFile";
