/**
 * The backup argument of `restore-preview`: everything that names a backup goes through
 * openBackup, so another form (a bucket's `s3://BUCKET/KEY`) plugs in here alone.
 */
import * as path from "node:path";
import { readBackup } from "../preflight/backup";
import { InputError, type ScanEvent } from "../preflight/types";

export interface BackupSource {
    /** The backup's name: `<name>` of `backups/<name>/<name>.tar.gz`. */
    name: string;
    events: AsyncIterable<ScanEvent>;
}

/** `<name>.tar.gz` → `<name>`, as Velero names the tarball after the backup. */
export function backupName(location: string): string {
    return path.posix.basename(location.replace(/\\/g, "/")).replace(/\.(tar\.gz|tgz)$/, "");
}

export function openBackup(location: string): BackupSource {
    if (location.startsWith("s3://")) {
        throw new InputError(`--backup ${location}: reading from a bucket is not available in this build; download backups/<name>/<name>.tar.gz and give the file`);
    }
    return { name: backupName(location), events: readBackup(location) };
}
