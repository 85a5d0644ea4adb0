/** The Velero Helm chart every install uses (NOTES.md: chart 12.1.0 ships Velero v1.18.1). */
export const VELERO_CHART = {
    name: "velero",
    version: "12.1.0",
    repo: "https://vmware-tanzu.github.io/helm-charts",
} as const;

export const VELERO_CHART_MAJOR = Number(VELERO_CHART.version.split(".")[0]);
