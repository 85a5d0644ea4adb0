/**
 * How each volume of a backup was backed up: Velero's volume info,
 * `backups/<name>/<name>-volumeinfo.json.gz` (pkg/persistence/object_store_layout.go:132-133;
 * entries as internal/volume/volumes_information.go:55-95 writes them: pvName, backupMethod
 * NativeSnapshot | PodVolumeBackup | CSISnapshot or empty when the data was not backed up,
 * snapshotDataMoved, pvInfo.reclaimPolicy). The restore reads it to decide every PV
 * (pkg/restore/restore.go:1219). Read beside the tarball: in the bucket under the same
 * prefix, or next to a local tarball file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { fileProblem, gzipProblem, openBackup as openBackupFile } from "../s3/backupSource";
import type { S3Options } from "../s3/client";
import { isS3Url } from "../s3/location";
import { isRecord, record, str } from "../rules/objects";
import { UserError } from "../core/errors";
import { maxEntryBytes, tooBig } from "../core/limits";

export interface VolumeInfo {
    pvName: string;
    /** "" when Velero did not back up the data (skipped, or no snapshot method applied). */
    backupMethod: string;
    snapshotDataMoved: boolean;
    reclaimPolicy?: string;
}

export type VolumeInfoIndex = ReadonlyMap<string, VolumeInfo>;

/** The volume info found beside a backup, or what was assumed without it. */
export interface VolumeInfoRead {
    volumes?: VolumeInfoIndex;
    /** Where it was read from, or why none was. */
    from: string;
}

/** Parses the file, gzipped or not, inflated at most to the entry cap (a gzip bomb stops there); `where` names it in messages. */
function parseVolumeInfo(data: Buffer, where: string): VolumeInfoIndex {
    const max = maxEntryBytes();
    let parsed: unknown;
    try {
        parsed = JSON.parse((data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data, { maxOutputLength: max }) : data).toString("utf8"));
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooBig(`${where} (inflated)`, max);
        const gzip = gzipProblem(err as Error);
        if (gzip) throw new UserError(`${where}: ${gzip}`);
        throw new UserError(`${where}: not Velero's volume info (${(err as Error).message.split("\n")[0]}); expected a JSON array like [{"pvName": "pvc-1", "backupMethod": "CSISnapshot"}]`);
    }
    if (!Array.isArray(parsed)) throw new UserError(`${where}: expected Velero's volume info, a JSON array of volumes, got ${parsed === null ? "null" : typeof parsed}`);
    const out = new Map<string, VolumeInfo>();
    parsed.forEach((entry, i) => {
        if (!isRecord(entry)) throw new UserError(`${where}: entry ${i} is not an object`);
        const pvName = str(entry.pvName);
        // Volumes without a PV (a pod volume that is not a claim) decide no PV.
        if (!pvName) return;
        const reclaimPolicy = str(record(entry.pvInfo).reclaimPolicy);
        out.set(pvName, { pvName, backupMethod: str(entry.backupMethod) ?? "", snapshotDataMoved: entry.snapshotDataMoved === true, ...(reclaimPolicy ? { reclaimPolicy } : {}) });
    });
    return out;
}

/** `…/<name>.tar.gz` → `…/<name>-volumeinfo.json.gz` (a local path or an s3:// URL). */
export function volumeInfoBeside(tarball: string): string {
    const dir = isS3Url(tarball) ? path.posix.dirname(tarball) : path.dirname(tarball);
    const name = (isS3Url(tarball) ? path.posix.basename(tarball) : path.basename(tarball)).replace(/\.(tar\.gz|tgz)$/, "");
    return isS3Url(tarball) ? `${dir}/${name}-volumeinfo.json.gz` : path.join(dir, `${name}-volumeinfo.json.gz`);
}

/** The whole stream, refused once it passes the entry cap; a file that cannot be read is said in words. */
async function readCapped(stream: NodeJS.ReadableStream, where: string): Promise<Buffer> {
    const max = maxEntryBytes();
    const chunks: Buffer[] = [];
    let size = 0;
    try {
        for await (const c of stream) {
            size += (c as Buffer).length;
            if (size > max) throw tooBig(where, max);
            chunks.push(Buffer.from(c as Buffer));
        }
    } catch (err) {
        throw (err instanceof UserError ? undefined : fileProblem(where, err as Error)) ?? err;
    }
    return Buffer.concat(chunks);
}

/** A volume info file on disk (one downloaded from the bucket); `where` names it in messages. */
export async function readVolumeInfoFile(file: string, where: string): Promise<VolumeInfoIndex> {
    return parseVolumeInfo(await readCapped(fs.createReadStream(file), where), where);
}

/** The volume info beside the tarball; none there is not an error (the preview says what it assumed). */
export async function readVolumeInfo(tarball: string, s3?: S3Options): Promise<VolumeInfoRead> {
    const where = volumeInfoBeside(tarball);
    let data: Buffer;
    try {
        if (!isS3Url(tarball) && !fs.existsSync(where)) return { from: `no ${path.basename(where)} beside the tarball` };
        data = await readCapped(await openBackupFile(where, s3), where);
    } catch (err) {
        if (err instanceof UserError && /NoSuchKey/.test(err.message)) return { from: `no ${path.posix.basename(where)} in the bucket beside the tarball` };
        throw err;
    }
    return { volumes: parseVolumeInfo(data, where), from: where };
}
