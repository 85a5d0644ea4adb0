/**
 * The CAM policy one cluster's Velero key gets: exactly the COS calls velero-plugin-for-aws
 * makes, on objects under the backup prefix of this one bucket, and listing only that prefix;
 * nothing else in the account (least privilege).
 *
 * The S3 calls, in velero-plugin-for-aws v1.14.0-rc.1 velero-plugin-for-aws/object_store.go:
 * PutObject goes through the SDK's upload manager (L364: PutObject, or CreateMultipartUpload,
 * UploadPart, CompleteMultipartUpload and AbortMultipartUpload on failure, for large objects);
 * ObjectExists is HeadObject (L390); GetObject (L421) and CreateSignedURL's presigned GetObject
 * (L486); ListCommonPrefixes and ListObjects are ListObjectsV2 (L430, L450), COS's GET Bucket;
 * DeleteObject (L480). Region detection (GetBucketRegion, L169) only runs without s3Url, and
 * we always set it.
 */

/** What the plugin does to objects, as COS CAM actions (S3 CreateMultipartUpload = COS InitiateMultipartUpload). */
export const OBJECT_ACTIONS = [
    "name/cos:PutObject",
    "name/cos:InitiateMultipartUpload",
    "name/cos:UploadPart",
    "name/cos:CompleteMultipartUpload",
    "name/cos:AbortMultipartUpload",
    "name/cos:HeadObject",
    "name/cos:GetObject",
    "name/cos:DeleteObject",
] as const;

/** Listing (GET Bucket is COS's List Objects), allowed only for keys under the prefix. */
export const LIST_ACTIONS = ["name/cos:GetBucket"] as const;

export interface CosAccessScope {
    region: string;
    appId: string;
    /** Full bucket name, `<name>-<appId>`. */
    bucket: string;
    /** The key prefixes this key may use (a cluster's own location beside the shared one). */
    prefixes: readonly string[];
}

/** CAM resource of a COS path: `qcs::cos:<region>:uid/<appId>:<bucket>/<path>`. */
export function cosResource(s: CosAccessScope, path: string): string {
    return `qcs::cos:${s.region}:uid/${s.appId}:${s.bucket}/${path}`;
}

export function cosAccessPolicy(s: CosAccessScope): string {
    return JSON.stringify({
        version: "2.0",
        statement: [
            { effect: "allow", action: [...OBJECT_ACTIONS], resource: s.prefixes.map((p) => cosResource(s, `${p}/*`)) },
            // Velero lists only `<prefix>/` and the folders under it (`<prefix>/backups/`, ...;
            // velero v1.18.2 pkg/persistence/object_store_layout.go L32-50, object_store.go
            // L220): a listing of the bucket's root or of another prefix is refused.
            { effect: "allow", action: [...LIST_ACTIONS], resource: [cosResource(s, "*")], condition: { string_like: { "cos:prefix": s.prefixes.map((p) => `${p}/*`) } } },
        ],
    });
}
