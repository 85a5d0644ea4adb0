/**
 * Manifests as scan input: files, folders (recursive: *.yaml, *.yml, *.json) and `-` for
 * stdin, each streamed chunk by chunk through a splitter so memory stays flat. Every path is
 * checked before the scan starts, so an unreadable one fails fast with one line. A namespaced
 * object without a namespace is read as the one it will be applied to.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import type { TextDecoder } from "node:util";
import { isRecord, record, str } from "../rules/objects";
import { JsonSplitter } from "./jsonSplitter";
import { jsonPiece, yamlPiece, type PieceEvent, type UntypedItem } from "./pieces";
import { isClusterScoped } from "./scope";
import { itemTypeOf, typedItem } from "./typedList";
import { type InputProblem, type ScanEvent } from "./types";
import { YamlSplitter, type ListHeader, type TextPiece } from "./yamlSplitter";
import { UserError } from "../core/errors";
import { maxEntryBytes, tooBig } from "../core/limits";
import { encodingOf, fileReason, notText, textDecoder, type TextEncoding } from "../core/textFile";

const MANIFEST = /\.(ya?ml|json)$/i;

export const STDIN = "-";

function describeFsError(p: string, err: unknown): UserError {
    return new UserError(`${p}: ${fileReason(err)}`);
}

/**
 * What a folder holds that cannot be read, named as the scan's unreadable parts: the scan of
 * the rest goes on and its exit code says it is incomplete. A FIFO or a device is never opened
 * (reading one could block for ever).
 */
function folderProblem(file: string, message: string): InputProblem {
    return { origin: { file }, message };
}

function kindOf(stat: fs.Stats): string {
    if (stat.isFIFO()) return "a FIFO";
    if (stat.isSocket()) return "a socket";
    if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
    return "not a regular file";
}

/**
 * The files behind the given paths, folders walked in name order, with what a folder holds
 * that cannot be read in its place; throws UserError naming a path given that cannot be read.
 */
export function expandPaths(paths: readonly string[]): (string | InputProblem)[] {
    const out: (string | InputProblem)[] = [];
    const seen = new Set<string>();
    const walk = (dir: string, given: boolean) => {
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch (err) {
            if (given) throw describeFsError(dir, err);
            out.push(folderProblem(dir, `folder not read: ${fileReason(err)}`));
            return;
        }
        for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
            if (entry.name.startsWith(".")) continue;
            const full = path.join(dir, entry.name);
            let stat: fs.Stats;
            try {
                stat = fs.statSync(full);
            } catch (err) {
                // A dangling link or a locked path: only a manifest's name says it should have been read.
                if (MANIFEST.test(entry.name)) out.push(folderProblem(full, `not read: ${fileReason(err)}`));
                continue;
            }
            if (stat.isDirectory()) visit(full, false);
            else if (!MANIFEST.test(entry.name)) continue;
            else if (stat.isFile()) out.push(full);
            else out.push(folderProblem(full, `not read: ${kindOf(stat)}, not a manifest file`));
        }
    };
    const visit = (p: string, given: boolean) => {
        // Symlinked folders may loop: walk each real folder once.
        const real = fs.realpathSync(p);
        if (seen.has(real)) return;
        seen.add(real);
        walk(p, given);
    };
    for (const p of paths) {
        if (p === STDIN) {
            out.push(p);
            continue;
        }
        let stat: fs.Stats;
        try {
            stat = fs.statSync(p);
            if (stat.isFile()) fs.accessSync(p, fs.constants.R_OK);
        } catch (err) {
            throw describeFsError(p, err);
        }
        if (stat.isDirectory()) {
            const before = out.length;
            visit(p, true);
            if (out.length === before) throw new UserError(`${p}: no .yaml, .yml or .json files in this folder`);
        } else if (stat.isFile()) {
            out.push(p);
        } else {
            throw new UserError(`${p}: not a file or folder`);
        }
    }
    return out;
}

type Format = "yaml" | "json";

function formatByName(file: string): Format | undefined {
    if (/\.json$/i.test(file)) return "json";
    if (/\.ya?ml$/i.test(file)) return "yaml";
    return undefined;
}

export interface ManifestOptions {
    /** Where namespaced objects without a namespace land (default: `default`). */
    namespace?: string;
}

/**
 * Items of typed lists whose `kind` comes after their `items` (keys sorted alphabetically):
 * held until the list's document ends, then typed. Lists that name their kind first, and
 * items that carry their own, never wait here.
 */
class UntypedItems {
    private readonly held = new Map<ListHeader, UntypedItem["untyped"][]>();

    *resolve(piece: TextPiece, events: Iterable<PieceEvent>): Generator<ScanEvent> {
        // The kind was read meanwhile: the items held so far come first, in file order.
        if (piece.list?.kind !== undefined) yield* this.release(piece.list);
        for (const e of events) {
            if ("untyped" in e) {
                const list = this.held.get(e.untyped.list) ?? [];
                list.push(e.untyped);
                this.held.set(e.untyped.list, list);
            } else {
                yield e;
            }
        }
        if (!piece.listItem && piece.list) yield* this.release(piece.list);
    }

    *end(): Generator<ScanEvent> {
        for (const header of [...this.held.keys()]) yield* this.release(header);
    }

    private *release(header: ListHeader): Generator<ScanEvent> {
        const items = this.held.get(header);
        if (!items) return;
        this.held.delete(header);
        const type = itemTypeOf(header);
        for (const { obj, origin } of items) yield type ? { item: { obj: typedItem(obj, type), origin } } : { skipped: { origin } };
    }
}

/** The object as it will be applied: a namespaced kind without a namespace gets `namespace`. */
function placed(event: ScanEvent, namespace: string): ScanEvent {
    if (!("item" in event)) return event;
    const { obj } = event.item;
    const meta = record(obj.metadata);
    if (str(meta.namespace) !== undefined || isClusterScoped(str(obj.kind) ?? "") || (obj.metadata !== undefined && !isRecord(obj.metadata))) return event;
    return { item: { ...event.item, obj: { ...obj, metadata: { ...meta, namespace } } } };
}

/** Bytes that are not text in the file's encoding: the file is listed as unreadable from there. */
class NotText extends Error {}

/** The stream's text, decoded as its first bytes say (a byte-order mark is dropped). */
async function* decoded(stream: Readable): AsyncGenerator<string> {
    let decoder: TextDecoder | undefined;
    let head = Buffer.alloc(0);
    const decode = (d: TextDecoder, bytes: Buffer, last: boolean) => {
        try {
            return d.decode(bytes, { stream: !last });
        } catch {
            throw new NotText(notText(d.encoding as TextEncoding));
        }
    };
    for await (const chunk of stream) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
        if (decoder) {
            yield decode(decoder, bytes, false);
            continue;
        }
        // The byte-order mark may come split across chunks (stdin).
        head = Buffer.concat([head, bytes]);
        if (head.length < 2) continue;
        decoder = textDecoder(encodingOf(head));
        yield decode(decoder, head, false);
    }
    if (decoder) yield decode(decoder, Buffer.alloc(0), true);
    else yield decode(textDecoder(encodingOf(head)), head, true);
}

/**
 * Streams one file (or stdin) of manifests. A file that cannot be read, or stops being text,
 * is an unreadable part of the input and the scan goes on; one past the size cap stops it.
 */
export async function* readManifestStream(stream: Readable, file: string, opts: ManifestOptions = {}): AsyncGenerator<ScanEvent> {
    let format = formatByName(file);
    let splitter: YamlSplitter | JsonSplitter | undefined;
    const untyped = new UntypedItems();
    const namespace = opts.namespace ?? "default";
    const max = maxEntryBytes();
    // Text read since the last newline and since the last whole piece: a file with no newline
    // or one endless document is refused at the cap instead of held whole.
    let sinceNewline = 0;
    let sincePiece = 0;
    const held: string[] = [];
    const parse = (pieces: TextPiece[]) =>
        pieces.flatMap((p) => [...untyped.resolve(p, format === "json" ? jsonPiece(p, file) : yamlPiece(p, file))].map((e) => placed(e, namespace)));
    try {
        for await (const text of decoded(stream)) {
            if (!splitter) {
                // No telling extension (stdin, other names): JSON starts with { or [.
                format ??= /^\uFEFF?\s*[[{]/.test(text) ? "json" : "yaml";
                splitter = format === "json" ? new JsonSplitter() : new YamlSplitter();
            }
            const nl = text.lastIndexOf("\n");
            sinceNewline = nl < 0 ? sinceNewline + text.length : text.length - nl - 1;
            if (sinceNewline > max) throw tooBig(`${file}: a line`, max);
            // A line's chunks wait here until it ends: the splitter would re-join them on each.
            held.push(text);
            if (nl < 0) continue;
            const pieces = splitter.push(held.join(""));
            held.length = 0;
            sincePiece = pieces.length > 0 ? 0 : sincePiece + text.length;
            if (sincePiece > max) throw tooBig(`${file}: a document`, max);
            for (const event of parse(pieces)) yield event;
        }
    } catch (err) {
        if (err instanceof UserError) throw err;
        yield { problem: { origin: { file }, message: err instanceof NotText ? err.message : `not read: ${fileReason(err)}` } };
        return;
    }
    if (splitter) for (const event of parse([...splitter.push(held.join("")), ...splitter.end()])) yield event;
    for (const event of untyped.end()) yield placed(event, namespace);
}

/** Every object in the given paths, in order, and the parts that cannot be read. */
export async function* readManifests(paths: readonly string[], stdin: Readable, opts: ManifestOptions = {}): AsyncGenerator<ScanEvent> {
    for (const file of expandPaths(paths)) {
        if (typeof file !== "string") yield { problem: file };
        else yield* readManifestStream(file === STDIN ? stdin : fs.createReadStream(file, { highWaterMark: 1 << 16 }), file, opts);
    }
}
