/**
 * Names every layer checks or builds the same way: Kubernetes object names, and a COS
 * bucket's full name and S3 endpoint. One pattern each, so the config, the rules, the restore
 * checks and the commands cannot drift apart.
 */

/**
 * RFC 1123 label, as the API server checks namespaces and port names
 * (k8s.io/apimachinery pkg/util/validation/validation.go: dns1123LabelFmt, DNS1123LabelMaxLength).
 */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_MAX = 63;
/** RFC 1123 subdomain: most object names (same file: dns1123SubdomainFmt, DNS1123SubdomainMaxLength). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS_SUBDOMAIN_MAX = 253;

export function isDnsLabel(value: string): boolean {
    return value.length <= DNS_LABEL_MAX && DNS_LABEL.test(value);
}

export function isDnsSubdomain(value: string): boolean {
    return value.length <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.test(value);
}

/** A COS bucket's full name: the name the user chose, then the account's APPID. */
export function cosBucketName(name: string, appId: string): string {
    return `${name}-${appId}`;
}

/** COS's S3 endpoint for a region, Velero's s3Url with the aws plugin (https://velero.io/docs/v1.18/contributions/tencent-config/). */
export function cosEndpoint(region: string): string {
    return `https://cos.${region}.myqcloud.com`;
}

/** cosEndpoint's shape: https only (keys and data never cross a network in clear), no bucket in the host, no path. */
const COS_ENDPOINT = /^https:\/\/cos\.([a-z0-9-]+)\.myqcloud\.com\/?$/;

/** The region of a COS service endpoint, or undefined when `url` is not one. */
export function cosEndpointRegion(url: string): string | undefined {
    return COS_ENDPOINT.exec(url)?.[1];
}
