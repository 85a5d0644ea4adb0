/** The Velero Helm chart every install uses; its version is pinned once, in the rules' matrix. */
import { PINNED_CHART } from "../rules/veleroVersions";

export const VELERO_CHART = {
    name: "velero",
    version: PINNED_CHART.version,
    repo: "https://vmware-tanzu.github.io/helm-charts",
} as const;

export const VELERO_CHART_MAJOR = Number(VELERO_CHART.version.split(".")[0]);
