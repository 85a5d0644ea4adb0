/**
 * Velero's record of what a backup holds: `backups/<name>/<name>-resource-list.json.gz` in the
 * bucket. Format, Velero v1.18.2: a JSON object whose keys are `<group>/<version>/<Kind>`
 * (`v1/<Kind>` for the core group; `item_backupper.go:816-819` resourceKey) and whose values
 * list `<namespace>/<name>`, or `<name>` for cluster-scoped objects (`backed_up_items_map.go`
 * ResourceMap, `request.go:87-91`), gzipped by the backup controller
 * (`backup_controller.go:947`, encode.ToJSONGzip) and stored by `object_store.go:291`.
 */
import { gunzipSync } from "node:zlib";
import { UserError } from "../core/errors";
import { maxEntryBytes, tooBig } from "../core/limits";

/** One object the backup holds, as Velero names it. */
export interface BackedUpObject {
    apiVersion: string;
    kind: string;
    /** Absent for cluster-scoped objects. */
    namespace?: string;
    name: string;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const KEY = /^(?:([^/\s]+)\/)?([^/\s]+)\/([A-Za-z][A-Za-z0-9]*)$/;

/** Parses the list, gzipped or not; `where` names it in messages (a file, an object key). */
export function parseResourceList(data: Buffer, where: string): BackedUpObject[] {
    const max = maxEntryBytes();
    if (data.length > max) throw tooBig(where, max);
    let text: string;
    try {
        // Inflated at most to the cap: a gzip bomb stops there.
        text = (data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1] ? gunzipSync(data, { maxOutputLength: max }) : data).toString("utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooBig(`${where} (inflated)`, max);
        throw new UserError(`${where}: not a readable gzip file (${(err as Error).message})`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (err) {
        throw new UserError(`${where}: not JSON (${(err as Error).message.split("\n")[0]}); expected Velero's resource list, {"apps/v1/Deployment": ["shop/web"], ...}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new UserError(`${where}: expected Velero's resource list, a JSON object like {"apps/v1/Deployment": ["shop/web"]}`);
    }
    const out: BackedUpObject[] = [];
    for (const [key, names] of Object.entries(parsed)) {
        const m = KEY.exec(key);
        if (!m) throw new UserError(`${where}: key ${JSON.stringify(key)} is not <group>/<version>/<Kind> or v1/<Kind>`);
        const apiVersion = m[1] ? `${m[1]}/${m[2]}` : m[2];
        if (!Array.isArray(names) || names.some((n) => typeof n !== "string" || n === "" || n.split("/").length > 2)) {
            throw new UserError(`${where}: ${key} must list "<namespace>/<name>" or "<name>" strings`);
        }
        for (const entry of names as string[]) {
            const slash = entry.indexOf("/");
            out.push(slash < 0 ? { apiVersion, kind: m[3], name: entry } : { apiVersion, kind: m[3], namespace: entry.slice(0, slash), name: entry.slice(slash + 1) });
        }
    }
    return out;
}
