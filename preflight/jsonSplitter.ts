/**
 * Splits a JSON stream into pieces to parse one at a time: each top-level value (a file may
 * hold one object, or several one after another as `kubectl get -o json` per object writes
 * them), and each element of a top-level object's `items` array, which is how
 * `kubectl get -A -o json` writes a whole cluster as one `List`. The List itself is kept
 * with `"items": []`. A character scanner, so it never holds more than one piece. The top-level
 * object's string `kind` and `apiVersion` are noted as they pass, for the items of a typed list.
 */
import type { ListHeader, TextPiece } from "./yamlSplitter";

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COLON = 58;
const COMMA = 44;

function isSpace(c: number): boolean {
    return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A JSON string's content (between its quotes); undefined when it is not valid JSON. */
function decodeString(raw: string): string | undefined {
    if (!raw.includes("\\")) return raw;
    try {
        return JSON.parse(`"${raw}"`) as string;
    } catch {
        return undefined;
    }
}

export class JsonSplitter {
    private out: TextPiece[] = [];
    private lineNo = 1;
    private started = false;

    private depth = 0;
    private inString = false;
    private escaped = false;

    /** The top-level value being captured (without the items' contents). */
    private top: string[] = [];
    private topStart = 0;
    private capturingTop = false;
    private topIsObject = false;

    /** Key tracking at depth 1 of a top-level object. */
    private expectKey = false;
    private key: string[] | undefined;
    private lastKey = "";
    private itemsNext = false;
    /** The top-level key whose string value is being captured (`kind`, `apiVersion`). */
    private valueOf: keyof ListHeader | undefined;
    private header: ListHeader = {};

    /** Inside the top-level `items` array (depth 2 holds its elements). */
    private inItems = false;
    private item: string[] = [];
    private itemStart = 0;
    private capturingItem = false;

    push(chunk: string): TextPiece[] {
        let s = chunk;
        if (!this.started && s.length > 0) {
            this.started = true;
            if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
        }
        // Indexes in `s` where the active capture (top value or item) started in this chunk.
        let topFrom = this.capturingTop && !this.inItems ? 0 : -1;
        let itemFrom = this.capturingItem ? 0 : -1;
        let keyFrom = this.key ? 0 : -1;
        for (let i = 0; i < s.length; i++) {
            const c = s.charCodeAt(i);
            if (c === NEWLINE) this.lineNo++;
            if (this.inString) {
                if (this.escaped) this.escaped = false;
                else if (c === BACKSLASH) this.escaped = true;
                else if (c === QUOTE) {
                    this.inString = false;
                    if (this.key) {
                        this.key.push(s.slice(keyFrom, i));
                        const text = this.key.join("");
                        if (this.valueOf) this.header[this.valueOf] = decodeString(text);
                        else this.lastKey = text;
                        this.key = undefined;
                        this.valueOf = undefined;
                        keyFrom = -1;
                    }
                }
                continue;
            }
            if (isSpace(c)) continue;
            if (this.depth === 0) {
                // A new top-level value starts.
                this.capturingTop = true;
                this.topStart = this.lineNo;
                this.header = {};
                this.topIsObject = c === OPEN_OBJECT;
                this.top = [];
                topFrom = i;
                if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
                    // A top-level scalar: capture it to the next whitespace for JSON.parse to judge.
                    let j = i;
                    while (j < s.length && !isSpace(s.charCodeAt(j))) j++;
                    this.out.push({ text: s.slice(i, j), line: this.lineNo, listItem: false });
                    this.capturingTop = false;
                    topFrom = -1;
                    i = j - 1;
                    continue;
                }
            }
            if (this.depth === 1 && this.topIsObject && !this.inItems) {
                if (c === QUOTE && this.expectKey) {
                    this.inString = true;
                    this.key = [];
                    keyFrom = i + 1;
                    continue;
                }
                if (c === COLON) {
                    this.expectKey = false;
                    this.itemsNext = this.lastKey === "items";
                    this.valueOf = this.lastKey === "kind" || this.lastKey === "apiVersion" ? this.lastKey : undefined;
                    continue;
                }
                if (c === QUOTE && this.valueOf) {
                    // The value of `kind` / `apiVersion`: captured like a key, then kept in the header.
                    this.inString = true;
                    this.key = [];
                    keyFrom = i + 1;
                    continue;
                }
                this.valueOf = undefined;
                if (c === COMMA) {
                    this.expectKey = true;
                    continue;
                }
                if (this.itemsNext && c === OPEN_ARRAY) {
                    // Stream the items: the top value keeps an empty array in their place.
                    this.top.push(s.slice(topFrom, i), "[]");
                    topFrom = -1;
                    this.inItems = true;
                    this.itemsNext = false;
                    this.depth = 2;
                    continue;
                }
                this.itemsNext = false;
            }
            if (this.inItems && this.depth === 2) {
                if (c === CLOSE_ARRAY) {
                    this.inItems = false;
                    this.depth = 1;
                    topFrom = i + 1;
                    continue;
                }
                if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
                    this.capturingItem = true;
                    this.itemStart = this.lineNo;
                    this.item = [];
                    itemFrom = i;
                }
            }
            if (c === QUOTE) {
                this.inString = true;
            } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
                this.depth++;
                if (this.depth === 1) this.expectKey = c === OPEN_OBJECT;
            } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
                this.depth--;
                if (this.depth === 2 && this.capturingItem) {
                    this.item.push(s.slice(itemFrom, i + 1));
                    this.out.push({ text: this.item.join(""), line: this.itemStart, listItem: true, list: this.header });
                    this.capturingItem = false;
                    itemFrom = -1;
                } else if (this.depth === 0) {
                    this.top.push(s.slice(topFrom, i + 1));
                    this.out.push({ text: this.top.join(""), line: this.topStart, listItem: false, list: this.header });
                    this.capturingTop = false;
                    topFrom = -1;
                    this.lastKey = "";
                } else if (this.depth < 0) {
                    this.out.push({ text: s.slice(i, i + 1), line: this.lineNo, listItem: false });
                    this.depth = 0;
                }
            }
        }
        if (topFrom >= 0) this.top.push(s.slice(topFrom));
        if (itemFrom >= 0) this.item.push(s.slice(itemFrom));
        if (keyFrom >= 0 && this.key) this.key.push(s.slice(keyFrom));
        return this.take();
    }

    /** Ends the stream: an unfinished value is handed over for JSON.parse to report. */
    end(): TextPiece[] {
        if (this.capturingItem) this.out.push({ text: this.item.join(""), line: this.itemStart, listItem: true, list: this.header });
        else if (this.capturingTop) this.out.push({ text: this.top.join(""), line: this.topStart, listItem: false, list: this.header });
        this.capturingItem = this.capturingTop = false;
        return this.take();
    }

    private take(): TextPiece[] {
        const out = this.out;
        this.out = [];
        return out;
    }
}
