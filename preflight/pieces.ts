/**
 * Parses the pieces the splitters cut (one YAML document, one JSON value, or one List
 * entry) into Kubernetes objects with the line each starts on; a malformed piece becomes
 * an InputProblem with its file and line, and the scan goes on.
 */
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import { isRecord, str } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import type { Origin, ScanEvent } from "./types";
import type { TextPiece } from "./yamlSplitter";

/** A `*List` (v1 List, DeploymentList…) is a container: its items are the objects. */
function isList(v: Record<string, unknown>): boolean {
    return (str(v.kind) ?? "").endsWith("List") && (v.items === undefined || v.items === null || Array.isArray(v.items));
}

function isKubeObject(v: unknown): v is KubeObject {
    return isRecord(v) && typeof v.apiVersion === "string" && typeof v.kind === "string";
}

/** Objects of one parsed value; `lineOf(i)` gives the line of a List's i-th inline item. */
function* objectsOf(value: unknown, origin: Origin, lineOf: (i: number) => number | undefined): Generator<ScanEvent> {
    if (value === null || value === undefined) return;
    // A List's items, or a plain array of objects as some tools write them.
    const items = Array.isArray(value) ? value : isRecord(value) && isList(value) ? (Array.isArray(value.items) ? value.items : []) : undefined;
    if (items) {
        for (let i = 0; i < items.length; i++) {
            const item: unknown = items[i];
            const at = { ...origin, line: lineOf(i) ?? origin.line };
            yield isKubeObject(item) ? { item: { obj: item, origin: at } } : { skipped: { origin: at } };
        }
        return;
    }
    yield isKubeObject(value) ? { item: { obj: value, origin } } : { skipped: { origin } };
}

const SKIPPED_LINE = /^(?:[ \t]*(?:#.*)?|---.*|%.*)$/;
const TOP_LEVEL_ENTRY = /^-(?:[ \t]|$)/;

/**
 * YAML pieces are parsed with js-yaml (several times faster than building a document
 * tree, which matters on whole-cluster dumps). The core schema keeps dates and `yes`/`no`
 * as the strings Kubernetes sees; duplicate keys are errors.
 */
export function* yamlPiece(piece: TextPiece, file: string): Generator<ScanEvent> {
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
    const lines = piece.text.split("\n");
    const first = lines.findIndex((l) => !SKIPPED_LINE.test(l));
    // A top-level sequence (an array of objects): each entry starts with "- " in column 0.
    const entries = Array.isArray(value) ? lines.flatMap((l, i) => (TOP_LEVEL_ENTRY.test(l) ? [piece.line + i] : [])) : [];
    yield* objectsOf(value, { file, line: piece.line + Math.max(first, 0) }, (i) => entries[i]);
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

export function* jsonPiece(piece: TextPiece, file: string): Generator<ScanEvent> {
    let value: unknown;
    try {
        value = JSON.parse(piece.text);
    } catch (e) {
        const message = (e as Error).message;
        yield { problem: { origin: { file, line: jsonErrorLine(piece.text, message, piece.line) }, message: `malformed JSON: ${message}` } };
        return;
    }
    yield* objectsOf(value, { file, line: piece.line }, () => undefined);
}
