/**
 * Which kinds are cluster-scoped, for manifests that do not say where an object goes: a
 * namespaced object written without `metadata.namespace` lands in the namespace it is
 * applied to (`default`, or the one given), as `kubectl apply` does. Built-in and
 * snapshot cluster-scoped kinds are listed, and custom kinds named `Cluster…` (ClusterIssuer,
 * ClusterPolicy) count as cluster-scoped by convention; any other kind counts as namespaced,
 * as most custom resources are (a live cluster and a backup say the scope themselves).
 */
const CLUSTER_SCOPED = new Set([
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ClusterTrustBundle",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "DeviceClass",
    "FlowSchema",
    "IngressClass",
    "IPAddress",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "ResourceSlice",
    "RuntimeClass",
    "SelfSubjectAccessReview",
    "SelfSubjectReview",
    "SelfSubjectRulesReview",
    "ServiceCIDR",
    "StorageClass",
    "StorageVersion",
    "SubjectAccessReview",
    "TokenReview",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
    "VolumeAttributesClass",
    "VolumeSnapshotClass",
    "VolumeSnapshotContent",
]);

export function isClusterScoped(kind: string): boolean {
    return CLUSTER_SCOPED.has(kind) || /^Cluster[A-Z]/.test(kind);
}
