/**
 * The project's own stack aimed at the sandbox: its config (both kubeconfigs, the sandbox's
 * bucket as `tke2eks:existingBucket`, the chart's .tgz), written as `DIR/Pulumi.sandbox.yaml`
 * for the user, and planned offline so that the Velero the sandbox installs is exactly what the
 * program declares: its Namespace, credentials Secret and Helm values per cluster.
 */
import { stringify } from "yaml";
import { CLUSTER_ROLES, kubernetesProviderName, type ClusterRole } from "../config/naming";
import type { StackConfig } from "../config/stackFiles";
import { planConfig } from "../plan/run";
import { isRecord } from "../rules/objects";
import type { VeleroDeclared } from "./veleroInstall";

export const SANDBOX_STACK = "sandbox";
export const SANDBOX_BUCKET = "tke2eks-sandbox";
export const SANDBOX_PREFIX = "velero";

export interface SandboxStackArgs {
    projectDir: string;
    file: string;
    kubeconfigs: Record<ClusterRole, string>;
    /** `major.minor` of the clusters' API servers. */
    kubernetesVersion: string;
    endpoint: string;
    region: string;
    key: { accessKeyId: string; secretAccessKey: string };
    chart: string;
}

/** The stack's settings by key (without the `tke2eks:` namespace); the secret key apart. */
function settings(a: SandboxStackArgs): Record<string, unknown> {
    const cluster = (role: ClusterRole) => ({ kubeconfig: a.kubeconfigs[role], context: role === "source" ? "a" : "b", kubernetesVersion: a.kubernetesVersion });
    return {
        stage: "install",
        run: "rehearsal-1",
        prefix: SANDBOX_PREFIX,
        chart: a.chart,
        // s3rver's fixed key: a loopback endpoint's key may stay in clear (config/load.ts).
        existingBucket: { name: SANDBOX_BUCKET, endpoint: a.endpoint, region: a.region, s3ForcePathStyle: true, ...a.key },
        source: cluster("source"),
        target: cluster("target"),
        // No CSI driver runs in the sandbox: volume data is not snapshotted (verify says so per claim).
        snapshots: { enabled: false },
    };
}

/** `DIR/Pulumi.sandbox.yaml`: the stack as a user copies it next to Pulumi.yaml. */
export function stackFileText(a: SandboxStackArgs): string {
    const config = Object.fromEntries(Object.entries(settings(a)).map(([k, v]) => [`tke2eks:${k}`, v]));
    return ["# A stack of this project aimed at the sandbox (tke2eks sandbox up): copy it next to Pulumi.yaml.", stringify({ config })].join("\n");
}

/** The stack config as the engine would pass it. */
export function stackConfig(a: SandboxStackArgs): StackConfig {
    const config = Object.fromEntries(Object.entries(settings(a)).map(([k, v]) => [`tke2eks:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
    return { project: "tke2eks", stack: SANDBOX_STACK, projectDir: a.projectDir, file: a.file, config, secretKeys: [] };
}

/** What the program declares on each cluster for Velero, from the offline plan of the stack. */
export async function declaredVelero(a: SandboxStackArgs): Promise<Record<ClusterRole, VeleroDeclared>> {
    const plan = await planConfig(stackConfig(a));
    const byRole = (role: ClusterRole): VeleroDeclared => {
        const mine = plan.resources.filter((r) => r.provider?.endsWith(`::${kubernetesProviderName(role)}`));
        const release = mine.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
        if (!release || !isRecord(release.props.values)) throw new Error(`the sandbox stack declares no Velero release on the ${role} cluster`);
        const objects = mine
            .filter((r) => r.type === "kubernetes:core/v1:Namespace" || r.type === "kubernetes:core/v1:Secret")
            .map((r) => ({ apiVersion: "v1", kind: r.type.split(":").pop() as string, ...r.props }));
        return { namespace: String(release.props.namespace), releaseName: String(release.props.name), values: release.props.values, objects };
    };
    return Object.fromEntries(CLUSTER_ROLES.map((role) => [role, byRole(role)])) as Record<ClusterRole, VeleroDeclared>;
}
