/**
 * How the migration's local commands reach a cluster: the kubeconfig's content and the
 * context in environment variables the Pulumi Command sets (the content as a secret), so
 * neither lands on disk, in a command line or in the state in clear. No heavy imports: the
 * components read these names while `tke2eks plan` runs.
 */
export const KUBECONFIG_ENV = "TKE2EKS_KUBECONFIG";
export const CONTEXT_ENV = "TKE2EKS_CONTEXT";
