/**
 * A Velero backup tarball (`<name>.tar.gz` as stored in the bucket) as scan input, streamed
 * entry by entry. Velero writes each object as JSON at `resources/<group-resource>/namespaces/
 * <ns>/<name>.json` (or `.../cluster/<name>.json`) in the source cluster's preferred version,
 * and with API group versions enabled also under `resources/<gr>/<version>[-preferredversion]/`:
 * only the unversioned copy is read, so each object counts once. The version folders tell
 * which versions cluster A served for each group-resource (BackupVersions).
 */
import * as path from "node:path";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { extract, type Extract } from "tar-stream";
import { fileProblem, gzipProblem, openBackup } from "../s3/backupSource";
import type { S3Options } from "../s3/client";
import { groupOf, str } from "../rules/objects";
import { type ScanEvent } from "./types";
import type { GroupVersions } from "../rules/types";
import { UserError } from "../core/errors";
import { maxEntryBytes, tooBig } from "../core/limits";

const ITEM = /^resources\/([^/]+)\/(?:namespaces\/[^/]+|cluster)\/[^/]+\.json$/;
const VERSIONED_ITEM = /^resources\/([^/]+)\/([^/]+)\/(?:namespaces\/[^/]+|cluster)\/[^/]+\.json$/;
const PREFERRED = "-preferredversion";

/**
 * Cluster A's API versions per group-resource, as Velero reads them back from a backup's
 * folder names: `<version>` for each version backed up, `<version>-preferredversion` for A's
 * preferred one (velero v1.18.2 pkg/archive/parser.go:186-240, written by
 * pkg/backup/item_backupper.go:315-322). Items map a kind to its group-resource.
 */
export class BackupVersions {
    private readonly folders = new Map<string, { preferred?: string; versions: Set<string> }>();
    private readonly groupResources = new Map<string, string>();

    /** Notes an entry's version folder, if it has one. */
    noteEntry(entry: string): void {
        const m = VERSIONED_ITEM.exec(entry);
        if (!m || m[2] === "namespaces" || m[2] === "cluster") return;
        const folder = this.folders.get(m[1]) ?? { versions: new Set<string>() };
        const version = m[2].endsWith(PREFERRED) ? m[2].slice(0, -PREFERRED.length) : m[2];
        if (version !== m[2]) folder.preferred = version;
        folder.versions.add(version);
        this.folders.set(m[1], folder);
    }

    /** Notes the group-resource an item of this group and kind is stored under. */
    noteItem(groupResource: string, obj: Record<string, unknown>): void {
        const apiVersion = str(obj.apiVersion);
        const kind = str(obj.kind);
        if (apiVersion !== undefined && kind !== undefined) this.groupResources.set(`${groupOf(apiVersion)}/${kind}`, groupResource);
    }

    /** A's versions of the group-resource holding this kind; undefined without version folders. */
    of(group: string, kind: string): GroupVersions | undefined {
        const gr = this.groupResources.get(`${group}/${kind}`);
        const folder = gr === undefined ? undefined : this.folders.get(gr);
        if (!folder?.preferred) return undefined;
        return { preferred: folder.preferred, versions: [...folder.versions] };
    }
}

/** The group-resource of an unversioned item entry, or undefined for anything else. */
export function backupItemGroupResource(entry: string): string | undefined {
    return ITEM.exec(entry)?.[1];
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** What a file that is no gzip data holds instead, from its first bytes. */
function notGzip(head: Buffer): string {
    if (head.length === 0) return "the file is empty";
    // POSIX ustar's magic at offset 257.
    if (head.toString("latin1", 257, 262) === "ustar") return "it is a plain tar archive";
    const text = head.toString("latin1", 0, 24);
    if (/^\s*</.test(text)) return "it starts like an HTML or XML document (a web server's page?)";
    return `it starts with ${JSON.stringify(text)}`;
}

/**
 * A tarball that cannot be read, as one line in our words: what is wrong and what a backup
 * is, instead of zlib's or tar-stream's message; `head` is the file's first bytes.
 */
function corrupt(file: string, err: Error, head: Buffer): UserError {
    // The bucket's failures (a stall, a cut connection) arrive already said.
    if (err instanceof UserError) return err;
    const problem = fileProblem(file, err);
    if (problem) return problem;
    const code = (err as NodeJS.ErrnoException).code;
    const backup = "a Velero backup is a gzip-compressed tar archive (backups/<name>/<name>.tar.gz in the bucket)";
    if (head.length < 2 || head.compare(GZIP_MAGIC, 0, 2, 0, 2) !== 0) return new UserError(`${file}: not gzip-compressed: ${notGzip(head)}; ${backup}`);
    const gzip = gzipProblem(err);
    // Damaged data may be no backup at all: say what one is; a cut one is a backup cut short.
    if (gzip) return new UserError(`${file}: ${gzip}${code === "Z_DATA_ERROR" ? `; ${backup}` : ""}`);
    // tar-stream 3.2 messages (headers.js:116,127; extract.js:304): not a tar archive, or one cut in an entry.
    if (/Invalid tar header/.test(err.message)) return new UserError(`${file}: the gzip data holds no tar archive, or a damaged one; ${backup}`);
    if (/Unexpected end of data/.test(err.message)) return new UserError(`${file}: truncated: the tar archive ends in the middle of an entry`);
    return new UserError(`${file}: corrupt or truncated backup tarball (${err.message})`);
}

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);

/**
 * The tar stream up to its end-of-archive marker, two zero blocks at a block boundary (POSIX
 * ustar): tar-stream reads on past it to the end of the stream, however long (a bomb of zeros
 * inflates for minutes). A Velero backup holds JSON only, so no entry has a block of zeros.
 */
async function* untilEndOfArchive(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let carry: Buffer = Buffer.alloc(0);
    let zeros = 0;
    for await (const chunk of chunks) {
        const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        const whole = buf.length - (buf.length % BLOCK);
        for (let at = 0; at < whole; at += BLOCK) {
            if (buf[at] !== 0 || buf.compare(ZERO_BLOCK, 0, BLOCK, at, at + BLOCK) !== 0) zeros = 0;
            else if (++zeros === 2) {
                yield buf.subarray(0, at + BLOCK);
                return;
            }
        }
        yield buf.subarray(0, whole);
        carry = buf.subarray(whole);
    }
    if (carry.length > 0) yield carry;
}

/**
 * An entry's path as Velero extracts it: joined to its temporary folder and cleaned, so
 * `./a`, `/a` and `b/../a` are the same file `a`, and a path that leaves the folder fails the
 * whole restore (velero v1.18.1 pkg/archive/extractor.go:71-79 sanitizeArchivePath, :99-103).
 */
function entryPath(file: string, name: string): string {
    const joined = path.posix.join("/x", name);
    if (!joined.startsWith("/x/")) throw new UserError(`${file}: entry ${JSON.stringify(name)} points outside the backup; Velero refuses to restore such a tarball ("invalid archive path … escapes target directory")`);
    return joined.slice(3);
}

/** The tarball's entries up to its end-of-archive marker. */
async function entries(file: string, s3: S3Options | undefined): Promise<{ tar: Extract; head: () => Buffer }> {
    const tar = extract();
    // The first bytes, to say what a file that is no backup holds.
    let head = Buffer.alloc(0);
    const noteHead = async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
            if (head.length < BLOCK) head = Buffer.concat([head, chunk.subarray(0, BLOCK)]);
            yield chunk;
        }
    };
    let ended = false;
    const endOfArchive = async function* (chunks: AsyncIterable<Buffer>) {
        yield* untilEndOfArchive(chunks);
        ended = true;
    };
    pipeline(await openBackup(file, s3), noteHead, createGunzip(), endOfArchive, tar, (err) => {
        // Past the marker the rest of the stream is dropped unread: no error of the backup's.
        if (err && !ended) tar.destroy(err);
    });
    return { tar, head: () => head };
}

/** A first read met an item's entry again: what it gave out may not be the copy Velero keeps. */
class RepeatedEntry extends Error {}

/**
 * One read of the tarball's items. `repeats` says how many entries of each repeated item name
 * are still to come (all but the last are skipped); without it, a repeated name throws
 * RepeatedEntry. `versions`, when given, collects the version folders as they pass.
 */
async function* items(file: string, s3: S3Options | undefined, versions: BackupVersions | undefined, repeats: Map<string, number> | undefined): AsyncGenerator<ScanEvent> {
    const maxBytes = maxEntryBytes();
    const { tar, head } = await entries(file, s3);
    const seen = new Set<string>();
    let found = 0;
    try {
        for await (const entry of tar) {
            const name = entryPath(file, entry.header.name);
            if (entry.header.type === "file") versions?.noteEntry(name);
            const groupResource = entry.header.type === "file" ? backupItemGroupResource(name) : undefined;
            if (!groupResource) {
                entry.resume();
                continue;
            }
            found++;
            const left = repeats?.get(name);
            if (left !== undefined && left > 1) {
                repeats?.set(name, left - 1);
                entry.resume();
                continue;
            }
            if (!repeats) {
                if (seen.has(name)) throw new RepeatedEntry(name);
                seen.add(name);
            }
            // tar-stream delivers exactly the header's size: refused before a byte is inflated.
            if ((entry.header.size ?? 0) > maxBytes) throw tooBig(`${file}: entry ${name}`, maxBytes);
            const chunks: Buffer[] = [];
            for await (const chunk of entry) chunks.push(chunk as Buffer);
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
            versions?.noteItem(groupResource, obj as Record<string, unknown>);
            yield { item: { obj: obj as Record<string, unknown>, origin, groupResource } };
        }
    } catch (err) {
        if (err instanceof RepeatedEntry) throw err;
        throw corrupt(file, err as Error, head());
    }
    if (found === 0) {
        throw new UserError(`${file}: no resources/<group-resource>/… entries; is it a Velero backup tarball (backups/<name>/<name>.tar.gz in the bucket)?`);
    }
}

/** How many entries each item name has, for the names that have more than one. */
async function repeatedNames(file: string, s3: S3Options | undefined): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const { tar, head } = await entries(file, s3);
    try {
        for await (const entry of tar) {
            const name = entryPath(file, entry.header.name);
            if (entry.header.type === "file" && backupItemGroupResource(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
            entry.resume();
        }
    } catch (err) {
        throw corrupt(file, err as Error, head());
    }
    for (const [name, n] of counts) if (n < 2) counts.delete(name);
    return counts;
}

/**
 * Runs `consume` over the items of the backup tarball at `file` (a local path or
 * `s3://BUCKET/KEY`, read with `s3`), each once, as Velero restores them. Velero extracts the
 * whole tarball to a folder before restoring, so of two entries with one name the last one
 * written is the file it reads (velero v1.18.1 pkg/archive/extractor.go:58-68 writeFile
 * creates or truncates, :113-125). Velero never writes a name twice: such a tarball was edited
 * or appended to (`tar -r`). It is read in one pass; only when a name comes again does
 * `consume` start over on a read that keeps each name's last entry, after one that counts them.
 * `consume` must hold no state from a run that throws.
 */
export async function readBackup<T>(file: string, s3: S3Options | undefined, consume: (events: AsyncIterable<ScanEvent>) => Promise<T>): Promise<T> {
    try {
        return await consume(items(file, s3, undefined, undefined));
    } catch (err) {
        if (!(err instanceof RepeatedEntry)) throw err;
    }
    return consume(items(file, s3, undefined, await repeatedNames(file, s3)));
}

/** A first pass over the backup for its version folders (the rules need them before judging any object). */
export async function readBackupVersions(file: string, s3?: S3Options): Promise<BackupVersions> {
    const versions = new BackupVersions();
    // Version folders are names only: a repeated item changes none of them.
    for await (const event of items(file, s3, versions, new Map())) void event;
    return versions;
}
