/**
 * A Velero backup tarball (`<name>.tar.gz` as stored in the bucket) as scan input, streamed
 * entry by entry. Velero writes each object as JSON at `resources/<group-resource>/namespaces/
 * <ns>/<name>.json` (or `.../cluster/<name>.json`) in the source cluster's preferred version,
 * and with API group versions enabled also under `resources/<gr>/<version>[-preferredversion]/`:
 * only the unversioned copy is read, so each object counts once.
 */
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { extract } from "tar-stream";
import { fileProblem, openBackup } from "../s3/backupSource";
import type { S3Options } from "../s3/client";
import { InputError, type ScanEvent } from "./types";

const ITEM = /^resources\/([^/]+)\/(?:namespaces\/[^/]+|cluster)\/[^/]+\.json$/;

/** The group-resource of an unversioned item entry, or undefined for anything else. */
export function backupItemGroupResource(entry: string): string | undefined {
    return ITEM.exec(entry)?.[1];
}

function corrupt(file: string, err: Error): InputError {
    // The bucket's failures (a stall, a cut connection) arrive already said.
    if (err instanceof InputError) return err;
    const problem = fileProblem(file, err);
    if (problem) return problem;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "Z_DATA_ERROR") return new InputError(`${file}: not a gzip-compressed Velero backup (${err.message})`);
    return new InputError(`${file}: corrupt or truncated backup tarball (${err.message})`);
}

/** The items of the backup tarball at `file`: a local path or `s3://BUCKET/KEY` (read with `s3`). */
export async function* readBackup(file: string, s3?: S3Options): AsyncGenerator<ScanEvent> {
    const tar = extract();
    pipeline(await openBackup(file, s3), createGunzip(), tar, (err) => {
        if (err) tar.destroy(err);
    });
    let items = 0;
    try {
        for await (const entry of tar) {
            const name = entry.header.name.replace(/^\.\//, "");
            const groupResource = entry.header.type === "file" ? backupItemGroupResource(name) : undefined;
            if (!groupResource) {
                entry.resume();
                continue;
            }
            const chunks: Buffer[] = [];
            for await (const chunk of entry) chunks.push(chunk as Buffer);
            items++;
            const origin = { file, entry: name };
            let obj: unknown;
            try {
                obj = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            } catch (err) {
                yield { problem: { origin, message: `malformed JSON: ${(err as Error).message}` } };
                continue;
            }
            if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
                yield { problem: { origin, message: "not a Kubernetes object" } };
                continue;
            }
            yield { item: { obj: obj as Record<string, unknown>, origin, groupResource } };
        }
    } catch (err) {
        throw corrupt(file, err as Error);
    }
    if (items === 0) {
        throw new InputError(`${file}: no resources/<group-resource>/… entries; is it a Velero backup tarball (backups/<name>/<name>.tar.gz in the bucket)?`);
    }
}
