/**
 * Names other parts of the project must agree on: the two cluster roles and the Kubernetes
 * providers that stand for them. The policy pack tells the serverless target from the TKE
 * source by its provider's name, so the pattern lives here, once, with no heavy imports.
 */

export const CLUSTER_ROLES = ["source", "target"] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

/** How every Kubernetes provider name of a role ends: what tells the clusters apart. */
function roleSuffix(role: ClusterRole): string {
    return `-${role}`;
}

/** Kubernetes provider of one cluster, e.g. `tke2eks-target`: no stack name, so a stack rename keeps it. */
export function kubernetesProviderName(role: ClusterRole): string {
    return `tke2eks${roleSuffix(role)}`;
}

/** The name it had before, `<stack>-<role>`: an alias, so existing stacks keep their providers. */
export function legacyKubernetesProviderName(stack: string, role: ClusterRole): string {
    return `${stack}${roleSuffix(role)}`;
}

/** The role a Kubernetes provider name stands for, or undefined if it is not one of ours. */
export function clusterRoleOfProvider(providerName: string): ClusterRole | undefined {
    return CLUSTER_ROLES.find((role) => providerName.endsWith(roleSuffix(role)));
}

/** Globs on a provider's name that stand for a role: the role alone, or any name ending like ours. */
export function roleProviderGlobs(role: ClusterRole): string[] {
    return [role, `*${roleSuffix(role)}`];
}

/** The Tencent Cloud provider. */
export const TENCENTCLOUD_PROVIDER = "tke2eks-tencentcloud";

/** The name it had before (an alias). */
export function legacyTencentCloudProviderName(stack: string): string {
    return `${stack}-tencentcloud`;
}

/** Velero's shared backup storage location on both clusters (the chart's and `velero install`'s default name). */
export const BSL_NAME = "default";

/** A role as people read it, in headings. */
export const ROLE_TITLES: Record<ClusterRole, string> = {
    source: "Source cluster (TKE)",
    target: "Target cluster (serverless EKS)",
};
