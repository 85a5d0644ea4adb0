/**
 * The backup argument of `restore-preview`: a tarball file or a bucket's `s3://BUCKET/KEY`
 * (read through the S3 API, streamed), both through openBackup.
 */
import * as path from "node:path";
import { readBackup } from "../preflight/backup";
import type { ScanEvent } from "../preflight/types";
import type { S3Options } from "../s3/client";

export interface BackupSource {
    /** The backup's name: `<name>` of `backups/<name>/<name>.tar.gz`. */
    name: string;
    /** Runs `consume` over the backup's items (started over when the tarball repeats an entry). */
    read<T>(consume: (events: AsyncIterable<ScanEvent>) => Promise<T>): Promise<T>;
}

/** `<name>.tar.gz` → `<name>`, as Velero names the tarball after the backup. */
export function backupName(location: string): string {
    return path.posix.basename(location.replace(/\\/g, "/")).replace(/\.(tar\.gz|tgz)$/, "");
}

export function openBackup(location: string, s3?: S3Options): BackupSource {
    return { name: backupName(location), read: (consume) => readBackup(location, s3, consume) };
}
