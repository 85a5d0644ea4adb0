/**
 * What Velero and the migration run need of the bucket, whoever made it: the COS store the
 * stack manages (cosBackupStore.ts) or a bucket the user brings (tke2eks:existingBucket),
 * which declares no resource at all.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CosCredentials } from "./cosBackupStore";

export interface BackupStore {
    /** Full bucket name. */
    readonly bucket: string;
    readonly prefix: string;
    readonly region: string;
    /** Velero's s3Url. */
    readonly s3Url: string;
    /** The key each cluster's Velero uses, by cluster role. */
    readonly credentials: Record<string, CosCredentials>;
}

export interface ExistingBackupStoreArgs extends Omit<BackupStore, "credentials"> {
    /** The one key to the bucket (tke2eks:existingBucket), given to every cluster. */
    accessKeyId: string;
    secretAccessKey: string;
    /** The cluster roles that get the key. */
    keyNames: readonly string[];
}

/** The user's own bucket: one key, secret, for every cluster (Velero's access modes keep B read-only). */
export function existingBackupStore(args: ExistingBackupStoreArgs): BackupStore {
    const key: CosCredentials = { accessKeyId: pulumi.secret(args.accessKeyId), secretAccessKey: pulumi.secret(args.secretAccessKey) };
    return {
        bucket: args.bucket,
        prefix: args.prefix,
        region: args.region,
        s3Url: args.s3Url,
        credentials: Object.fromEntries(args.keyNames.map((k) => [k, key])),
    };
}
