/**
 * Parses the pieces the splitters cut (one YAML document, one JSON value, or one List
 * entry) into Kubernetes objects with the line each starts on; a malformed piece becomes
 * an InputProblem with its file and line, and the scan goes on. Items of a typed list take
 * their kind from it; one read before the list's `kind` comes out `untyped`, for the reader
 * to type once the list's document ends.
 */
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { isRecord, str } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { isTyped, itemTypeOf, typedItem } from "./typedList";
import type { Origin, ScanEvent } from "./types";
import type { ListHeader, TextPiece } from "./yamlSplitter";

/** An item of a list whose kind has not been read yet (keys in alphabetical order put `kind` after `items`). */
export interface UntypedItem {
    untyped: { obj: Record<string, unknown>; origin: Origin; list: ListHeader };
}

export type PieceEvent = ScanEvent | UntypedItem;

/** A `*List` (v1 List, DeploymentList…) is a container: its items are the objects. */
function isList(v: Record<string, unknown>): boolean {
    return (str(v.kind) ?? "").endsWith("List") && (v.items === undefined || v.items === null || Array.isArray(v.items));
}

function isKubeObject(v: unknown): v is KubeObject {
    return isRecord(v) && isTyped(v);
}

/** Objects of one parsed value; `lineOf(i)` gives the line of a List's i-th inline item. */
function* objectsOf(value: unknown, origin: Origin, lineOf: (i: number) => number | undefined): Generator<ScanEvent> {
    if (value === null || value === undefined) return;
    // A List's items, or a plain array of objects as some tools write them.
    const list = isRecord(value) && isList(value) ? value : undefined;
    const items = Array.isArray(value) ? value : list ? (Array.isArray(list.items) ? list.items : []) : undefined;
    if (items) {
        const type = list ? itemTypeOf(list) : undefined;
        for (let i = 0; i < items.length; i++) {
            const item: unknown = isRecord(items[i]) ? typedItem(items[i] as Record<string, unknown>, type) : items[i];
            const at = { ...origin, line: lineOf(i) ?? origin.line };
            yield isKubeObject(item) ? { item: { obj: item, origin: at } } : { skipped: { origin: at } };
        }
        return;
    }
    yield isKubeObject(value) ? { item: { obj: value, origin } } : { skipped: { origin } };
}

/**
 * What one piece holds. An entry the splitter cut out of a list's `items` takes the list's
 * type when known; the list's own document completes the header the splitter read.
 */
function* pieceObjects(value: unknown, piece: TextPiece, origin: Origin, lineOf: (i: number) => number | undefined): Generator<PieceEvent> {
    const header = piece.list;
    if (header && piece.listItem && isRecord(value) && !isTyped(value)) {
        if (header.kind === undefined) {
            yield { untyped: { obj: value, origin, list: header } };
            return;
        }
        yield* objectsOf(typedItem(value, itemTypeOf(header)), origin, lineOf);
        return;
    }
    if (header && !piece.listItem && isRecord(value)) {
        header.kind ??= str(value.kind);
        header.apiVersion ??= str(value.apiVersion);
    }
    yield* objectsOf(value, origin, lineOf);
}

/**
 * Values a document may hold once its aliases are expanded, beyond its length in characters.
 * js-yaml shares an alias's node instead of copying it, so a few KB of nested aliases parse at
 * once yet hold billions of values for the rules to walk ("billion laughs"). Without aliases a
 * document holds at most one value per character, so no alias-free document is ever refused.
 */
const ALIAS_ROOM = 100_000;

/** True when `value` holds more than `limit` values (maps, sequences, scalars); stops counting there. */
function exceeds(value: unknown, limit: number): boolean {
    let counted = 1;
    const stack = [value];
    for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
        const children = Array.isArray(v) ? v : isRecord(v) ? Object.values(v) : [];
        counted += children.length;
        if (counted > limit) return true;
        for (const c of children) if (typeof c === "object" && c !== null) stack.push(c);
    }
    return false;
}

const TOP_LEVEL_ENTRY = /^-(?:[ \t]|$)/;

/**
 * YAML pieces are parsed with js-yaml (several times faster than building a document
 * tree, which matters on whole-cluster dumps). The core schema keeps dates and `yes`/`no`
 * as the strings Kubernetes sees; duplicate keys are errors.
 */
export function* yamlPiece(piece: TextPiece, file: string): Generator<PieceEvent> {
    let value: unknown;
    try {
        value = load(piece.text, { schema: CORE_SCHEMA, filename: file });
    } catch (e) {
        // js-yaml marks an unterminated construct at the end of the stream: name the piece's last line.
        const last = piece.text.trimEnd().split("\n").length - 1;
        const line = piece.line + (e instanceof YAMLException && e.mark ? Math.min(e.mark.line, last) : 0);
        const reason = e instanceof YAMLException ? e.reason : (e as Error).message;
        yield { problem: { origin: { file, line }, message: `malformed YAML: ${reason}` } };
        return;
    }
    const origin = { file, line: piece.start ?? piece.line };
    const limit = piece.text.length + ALIAS_ROOM;
    // An alias is written `*name` and names an anchor `&name` of the same piece (js-yaml refuses
    // any other): without both characters there is nothing to count.
    if (piece.text.includes("&") && piece.text.includes("*") && exceeds(value, limit)) {
        yield { problem: { origin, message: `YAML aliases (*name) expand this document to more than ${limit} values (its length in characters + ${ALIAS_ROOM}): refused as an alias bomb; write the repeated parts out` } };
        return;
    }
    // A top-level sequence (an array of objects): each entry starts with "- " in column 0.
    const entries = Array.isArray(value) ? piece.text.split("\n").flatMap((l, i) => (TOP_LEVEL_ENTRY.test(l) ? [piece.line + i] : [])) : [];
    yield* pieceObjects(value, piece, origin, (i) => entries[i]);
}

/** The line of a JSON.parse error's `position N`, when V8 names one. */
function jsonErrorLine(text: string, message: string, base: number): number {
    const m = /position (\d+)/.exec(message);
    if (!m) return base;
    let line = base;
    const end = Math.min(Number(m[1]), text.length);
    for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) line++;
    return line;
}

export function* jsonPiece(piece: TextPiece, file: string): Generator<PieceEvent> {
    let value: unknown;
    try {
        value = JSON.parse(piece.text);
    } catch (e) {
        const message = (e as Error).message;
        yield { problem: { origin: { file, line: jsonErrorLine(piece.text, message, piece.line) }, message: `malformed JSON: ${message}` } };
        return;
    }
    yield* pieceObjects(value, piece, { file, line: piece.line }, () => undefined);
}
