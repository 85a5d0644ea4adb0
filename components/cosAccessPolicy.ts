/**
 * The CAM policy Velero's key gets: object read/write/delete under the backup prefix of this
 * one bucket, and listing that bucket; nothing else in the account (least privilege, NOTES.md).
 */

/** What velero-plugin-for-aws does to objects: simple and multipart uploads, reads, deletes. */
export const OBJECT_ACTIONS = [
    "name/cos:GetObject",
    "name/cos:HeadObject",
    "name/cos:PutObject",
    "name/cos:DeleteObject",
    "name/cos:InitiateMultipartUpload",
    "name/cos:UploadPart",
    "name/cos:CompleteMultipartUpload",
    "name/cos:AbortMultipartUpload",
    "name/cos:ListMultipartUploads",
    "name/cos:ListParts",
] as const;

/** Listing the backups (GET Bucket is COS's List Objects) and checking the bucket exists. */
export const BUCKET_ACTIONS = ["name/cos:GetBucket", "name/cos:HeadBucket"] as const;

export interface CosAccessScope {
    region: string;
    appId: string;
    /** Full bucket name, `<name>-<appId>`. */
    bucket: string;
    prefix: string;
}

/** CAM resource of a COS path: `qcs::cos:<region>:uid/<appId>:<bucket>/<path>`. */
export function cosResource(s: CosAccessScope, path: string): string {
    return `qcs::cos:${s.region}:uid/${s.appId}:${s.bucket}/${path}`;
}

export function cosAccessPolicy(s: CosAccessScope): string {
    return JSON.stringify({
        version: "2.0",
        statement: [
            { effect: "allow", action: [...OBJECT_ACTIONS], resource: [cosResource(s, `${s.prefix}/*`)] },
            { effect: "allow", action: [...BUCKET_ACTIONS], resource: [cosResource(s, "*")] },
        ],
    });
}
