/**
 * Where a Velero backup lives in its bucket: `s3://BUCKET/KEY` as users write it, and the
 * keys Velero gives a backup's files under the storage location's prefix.
 */
import * as path from "node:path";
import { UserError } from "../core/errors";

export interface S3Url {
    bucket: string;
    key: string;
}

const S3_URL = /^s3:\/\/([^/]*)\/?(.*)$/;

/** True for `s3://…`: anything else is a local path. */
export function isS3Url(source: string): boolean {
    return source.startsWith("s3://");
}

/** `s3://BUCKET/KEY`; one clear line when the bucket or the key is missing. */
export function parseS3Url(source: string): S3Url {
    const m = S3_URL.exec(source);
    if (!m || !m[1] || !m[2] || m[2].endsWith("/")) {
        throw new UserError(`${source}: not an object in a bucket; use s3://BUCKET/KEY, e.g. s3://shop-migration-1250000000/velero/backups/shop-1/shop-1.tar.gz`);
    }
    return { bucket: m[1], key: m[2] };
}

export function formatS3Url(u: S3Url): string {
    return `s3://${u.bucket}/${u.key}`;
}

/** The files Velero writes for one backup (pkg/persistence/object_store_layout.go v1.18.2, lines 72-97). */
export type BackupFile = "tarball" | "metadata" | "resource-list" | "logs";

const FILE_NAMES: Record<BackupFile, (name: string) => string> = {
    tarball: (name) => `${name}.tar.gz`,
    metadata: () => "velero-backup.json",
    "resource-list": (name) => `${name}-resource-list.json.gz`,
    logs: (name) => `${name}-logs.gz`,
};

/** `<prefix>/backups/<name>/<file>`, as Velero's object store layout names it. */
export function backupKey(prefix: string, name: string, file: BackupFile): string {
    return path.posix.join(prefix, "backups", name, FILE_NAMES[file](name));
}
