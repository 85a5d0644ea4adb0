/**
 * Writes a backup tarball laid out as Velero writes one (pkg/backup, pkg/archive): each
 * object as JSON under resources/<group-resource>/namespaces/<ns>/<name>.json (or
 * .../cluster/<name>.json) and, with API group versions enabled, again under
 * <version>-preferredversion/ and for other served versions under <version>/, plus
 * metadata/version. Streamed through tar-stream and gzip.
 */
import * as fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { pack } from "tar-stream";
import type { KubeObject } from "../../rules";

export interface BackupItem {
    groupResource: string;
    obj: KubeObject;
    /** Also write the API-group-versions copies (preferred version and one other). */
    versions?: { preferred: string; others?: string[] };
}

function itemPath(groupResource: string, obj: KubeObject, version?: string): string {
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    const scope = meta.namespace ? `namespaces/${meta.namespace}` : "cluster";
    return ["resources", groupResource, version, scope, `${meta.name ?? ""}.json`].filter((s) => s !== undefined).join("/");
}

export async function writeBackup(file: string, items: Iterable<BackupItem>, extra: { name: string; body: string }[] = []): Promise<void> {
    const tar = pack();
    const done = pipeline(tar, createGzip(), fs.createWriteStream(file));
    const add = (name: string, body: string) =>
        new Promise<void>((resolve, reject) => tar.entry({ name, mode: 0o755 }, body, (err) => (err ? reject(err) : resolve())));
    await add("metadata/version", "1.1.0\n");
    for (const e of extra) await add(e.name, e.body);
    for (const item of items) {
        const body = JSON.stringify(item.obj);
        await add(itemPath(item.groupResource, item.obj), body);
        if (item.versions) {
            await add(itemPath(item.groupResource, item.obj, `${item.versions.preferred}-preferredversion`), body);
            for (const v of item.versions.others ?? []) await add(itemPath(item.groupResource, item.obj, v), body);
        }
    }
    tar.finalize();
    await done;
}
