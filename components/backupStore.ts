/**
 * What Velero and the migration run need of the bucket, whoever made it: the COS store the
 * stack manages (cosBackupStore.ts) or a bucket the user brings (tke2eks:existingBucket),
 * which declares no resource at all.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ExistingStore, MigrationConfig } from "../config/load";
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

/** The user's own bucket: one key, secret, for every cluster (Velero's access modes keep B read-only). */
export function existingBackupStore(config: MigrationConfig, store: ExistingStore, keyNames: readonly string[]): BackupStore {
    const key: CosCredentials = { accessKeyId: pulumi.secret(store.accessKeyId), secretAccessKey: pulumi.secret(store.secretAccessKey) };
    return {
        bucket: config.bucket,
        prefix: config.prefix,
        region: config.region,
        s3Url: config.endpoint,
        credentials: Object.fromEntries(keyNames.map((k) => [k, key])),
    };
}
