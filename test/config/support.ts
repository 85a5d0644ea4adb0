/** A valid raw stack config (as the engine passes it) over the example kubeconfigs, to vary per test. */
import * as path from "node:path";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export interface ClusterRaw {
    kubeconfig?: string;
    context?: string;
    kubernetesVersion?: string | number;
    veleroVersion?: string;
    awsPluginVersion?: string;
    [key: string]: unknown;
}

export const SOURCE: ClusterRaw = { kubeconfig: "examples/clusters/tke-a.kubeconfig.yaml", context: "tke-a", kubernetesVersion: "1.26" };
export const TARGET: ClusterRaw = { kubeconfig: "examples/clusters/eks-b.kubeconfig.yaml", context: "eks-b", kubernetesVersion: "1.28" };

/** `tke2eks:<key>` → string; objects are JSON, as Pulumi passes them. */
export function rawConfig(over: Record<string, unknown> = {}): Record<string, string> {
    const values: Record<string, unknown> = {
        region: "ap-guangzhou",
        appId: "1250000000",
        bucket: "shop-backups",
        source: SOURCE,
        target: TARGET,
        ...over,
    };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        if (v === undefined) continue;
        out[`tke2eks:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}
