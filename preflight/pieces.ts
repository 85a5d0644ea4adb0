/**
 * Parses the pieces the splitters cut (one YAML document, one JSON value, or one List
 * entry) into Kubernetes objects with the line each starts on; a malformed piece becomes
 * an InputProblem with its file and line, and the scan goes on.
 */
import { isMap, isNode, isSeq, LineCounter, parseDocument } from "yaml";
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

function yamlLine(lc: LineCounter, offset: number | undefined, base: number): number {
    return offset === undefined ? base : base + lc.linePos(offset).line - 1;
}

export function* yamlPiece(piece: TextPiece, file: string): Generator<ScanEvent> {
    const lc = new LineCounter();
    const doc = parseDocument(piece.text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
    const err = doc.errors[0];
    if (err) {
        yield { problem: { origin: { file, line: yamlLine(lc, err.pos[0], piece.line) }, message: `malformed YAML: ${err.message}` } };
        return;
    }
    let value: unknown;
    try {
        value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
        yield { problem: { origin: { file, line: piece.line }, message: `malformed YAML: ${(e as Error).message}` } };
        return;
    }
    const line = yamlLine(lc, doc.contents?.range[0], piece.line);
    const items = isSeq(doc.contents) ? doc.contents : isMap(doc.contents) ? doc.contents.get("items", true) : undefined;
    const lineOf = (i: number) => {
        const node: unknown = isSeq(items) ? items.items[i] : undefined;
        return isNode(node) ? yamlLine(lc, node.range?.[0], piece.line) : undefined;
    };
    yield* objectsOf(value, { file, line }, lineOf);
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
