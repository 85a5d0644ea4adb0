/**
 * Names other parts of the project must agree on: the two cluster roles and the Kubernetes
 * providers that stand for them. The policy pack tells the serverless target from the TKE
 * source by its provider's name, so the pattern lives here, once, with no heavy imports.
 */

export const CLUSTER_ROLES = ["source", "target"] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

/** Kubernetes provider of one cluster in one stack, e.g. `dev-target`. */
export function kubernetesProviderName(stack: string, role: ClusterRole): string {
    return `${stack}-${role}`;
}

/** The role a Kubernetes provider name stands for, or undefined if it is not one of ours. */
export function clusterRoleOfProvider(providerName: string): ClusterRole | undefined {
    return CLUSTER_ROLES.find((role) => providerName.endsWith(`-${role}`));
}

/** The Tencent Cloud provider of a stack. */
export function tencentCloudProviderName(stack: string): string {
    return `${stack}-tencentcloud`;
}

/** A role as people read it, in headings. */
export const ROLE_TITLES: Record<ClusterRole, string> = {
    source: "Source cluster (TKE)",
    target: "Target cluster (serverless EKS)",
};
