/**
 * Splits a YAML stream into pieces small enough to parse one at a time, so memory stays flat
 * however large the input: one piece per document (`---` / `...` markers start and end one,
 * per the YAML spec, even inside block scalars), and one piece per entry of a document's
 * top-level `items:` sequence, which is how `kubectl get -A -o yaml` writes a whole cluster
 * as a single `kind: List` document. Each piece keeps the line it starts on, so parse errors
 * and findings point at the right line of the file, and the pieces of one document share its
 * top-level `kind` and `apiVersion` as far as they have been read, so the items of a typed
 * list (`PodList`, whose items carry no kind) can take theirs from it.
 *
 * One pass over the characters: each line is classified by its first characters (no regular
 * expression on the common lines), and a piece's text is cut out of the chunk in runs of whole
 * lines rather than line by line; a List entry is dedented by one replace over its text.
 */

export interface TextPiece {
    /** The piece's lines, joined by newlines. */
    text: string;
    /** 1-based line of the piece's first line in the stream. */
    line: number;
    /** YAML: the line of its first line that is not blank, a comment, a `---` marker or a directive (default: `line`). */
    start?: number;
    /** An entry of a top-level `items:` sequence (dedented to parse on its own). */
    listItem: boolean;
    /** The document's top-level kind and apiVersion, filled in as the splitter reads them (shared by its pieces). */
    list?: ListHeader;
}

export interface ListHeader {
    kind?: string;
    apiVersion?: string;
}

const ITEMS_KEY = /^items:[ \t]*(?:#.*)?$/;
/** `kind: PodList` / `apiVersion: "v1"` at the top level: plain or quoted scalars only. */
const HEADER_LINE = /^(kind|apiVersion):[ \t]+(?:"([^"\\]*)"|'([^']*)'|([^\s#'"][^\s#]*))[ \t]*(?:#.*)?$/;

const TAB = 9;
const CR = 13;
const SPACE = 32;
const HASH = 35;
const PERCENT = 37;
const DASH = 45;
const DOT = 46;
const LOWER_A = 97;
const LOWER_I = 105;
const LOWER_K = 107;

/** Where the line's leading spaces and tabs end. */
function afterBlanks(data: string, from: number, end: number): number {
    let i = from;
    for (let c = data.charCodeAt(i); i < end && (c === SPACE || c === TAB); c = data.charCodeAt(++i));
    return i;
}

/** Empty, only spaces and tabs, or a comment. */
function blankOrComment(data: string, from: number, end: number): boolean {
    const i = afterBlanks(data, from, end);
    return i === end || data.charCodeAt(i) === HASH;
}

/** Blank, a comment, a `---` line or a directive: no content of the piece starts there. */
function skipped(data: string, from: number, end: number): boolean {
    const c = data.charCodeAt(from);
    return (c === DASH && data.startsWith("---", from)) || (c === PERCENT && from < end) || blankOrComment(data, from, end);
}

/** Leading whitespace as String.prototype.trimStart counts it (spaces and tabs read without a copy). */
function indentOf(data: string, from: number, end: number): number {
    const i = afterBlanks(data, from, end);
    const c = data.charCodeAt(i);
    if (i === end || (c > SPACE && c < 127)) return i - from;
    const line = data.slice(from, end);
    return line.length - line.trimStart().length;
}

/** Each line but the first loses up to `pad` characters of leading whitespace. */
function dedent(text: string, pad: number): string {
    return text
        .split("\n")
        .map((l, i) => (i === 0 ? l : l.slice(Math.min(l.length - l.trimStart().length, pad))))
        .join("\n");
}

/** The runs of lines end in a newline; the pieces, as lines joined, do not. */
function withoutLastNewline(text: string): string {
    return text.endsWith("\n") ? text.slice(0, -1) : text;
}

export class YamlSplitter {
    private lineNo = 0;
    private partial = "";
    private started = false;
    private out: TextPiece[] = [];
    /** The chunk being read (then what is left of it): offsets below point into it. */
    private data = "";
    /** The stream holds a carriage return: pieces turn CRLF into LF. */
    private crs = false;

    /** The document's text so far, and where its open run of lines starts in `data` (-1: none). */
    private docText = "";
    private docFrom = -1;
    private docStart = 1;
    private docFirst = 0;
    private docHasContent = false;
    private docHasMarker = false;
    private header: ListHeader = {};

    /** "items-next": the line after `items:`; "items": inside its block sequence. */
    private mode: "doc" | "items-next" | "items" = "doc";
    private seqIndent = 0;
    /** The entry's first line (after `- `), then its other lines as read, not yet dedented. */
    private itemHead = "";
    private itemText = "";
    private itemFrom = -1;
    private itemStart = 0;
    private itemFirst = 0;
    /** Every line after the first dedents by dropping the same spaces: one replace does it. */
    private itemPlain = true;

    /** Feeds a chunk of text; returns the pieces it completed. */
    push(chunk: string): TextPiece[] {
        let data = this.partial + chunk;
        if (!this.started && data.length > 0) {
            this.started = true;
            if (data.charCodeAt(0) === 0xfeff) data = data.slice(1);
        }
        this.crs ||= data.includes("\r");
        this.data = data;
        let from = 0;
        for (let nl = data.indexOf("\n", from); nl >= 0; nl = data.indexOf("\n", from)) {
            this.line(from, nl > from && data.charCodeAt(nl - 1) === CR ? nl - 1 : nl, nl + 1);
            from = nl + 1;
        }
        // The open runs go on from the start of what is left.
        const docOpen = this.docFrom >= 0;
        const itemOpen = this.itemFrom >= 0;
        this.closeRuns(from);
        if (docOpen) this.docFrom = 0;
        if (itemOpen) this.itemFrom = 0;
        this.partial = this.data = data.slice(from);
        return this.take();
    }

    /** Ends the stream; returns the last pieces. */
    end(): TextPiece[] {
        const last = this.partial !== "" ? this.push("\n") : [];
        this.flushDoc();
        return [...last, ...this.take()];
    }

    private take(): TextPiece[] {
        const out = this.out;
        this.out = [];
        return out;
    }

    /** Moves the open runs of lines, up to `at`, into their pieces' text. */
    private closeRuns(at: number): void {
        if (this.docFrom >= 0) this.docText += this.data.slice(this.docFrom, at);
        if (this.itemFrom >= 0) this.itemText += this.data.slice(this.itemFrom, at);
        this.docFrom = this.itemFrom = -1;
    }

    /** The line [from, end) belongs to the document. */
    private toDoc(from: number, end: number): void {
        if (this.docFrom < 0) this.docFrom = from;
        if (this.docFirst === 0 && !skipped(this.data, from, end)) this.docFirst = this.lineNo;
    }

    private line(from: number, end: number, next: number): void {
        this.lineNo++;
        const data = this.data;
        const c = data.charCodeAt(from);
        const marker = (c === DASH && data.startsWith("---", from)) || (c === DOT && data.startsWith("...", from)) ? from + 3 : -1;
        if (marker >= 0 && (marker === end || data.charCodeAt(marker) === SPACE || data.charCodeAt(marker) === TAB)) {
            if (c === DASH && !this.docHasContent && !this.docHasMarker) {
                // Only comments or directives so far: they belong to this document.
                this.toDoc(from, end);
                this.docHasMarker = true;
                this.docHasContent = !blankOrComment(data, marker, end);
                return;
            }
            this.closeRuns(from);
            this.flushDoc();
            if (c === DASH) {
                this.docStart = this.lineNo;
                this.toDoc(from, end);
                this.docHasMarker = true;
                this.docHasContent = !blankOrComment(data, marker, end);
            } else {
                this.docStart = this.lineNo + 1;
            }
            return;
        }
        if (this.mode !== "doc" && this.itemLine(from, end, next)) return;
        if (c === LOWER_K || c === LOWER_A) {
            const header = HEADER_LINE.exec(data.slice(from, end));
            if (header) this.header[header[1] as keyof ListHeader] = header[2] ?? header[3] ?? header[4];
        }
        this.toDoc(from, end);
        if (!this.docHasContent && !blankOrComment(data, from, end)) this.docHasContent = true;
        if (c === LOWER_I && ITEMS_KEY.test(data.slice(from, end))) this.mode = "items-next";
    }

    /** Handles a line while in or just after `items:`; false when the sequence is over. */
    private itemLine(from: number, end: number, next: number): boolean {
        const data = this.data;
        // One look at the leading whitespace: where it ends, and how many spaces come before any tab.
        let i = from;
        let spaces = -1;
        let c = data.charCodeAt(i);
        for (; i < end && (c === SPACE || c === TAB); c = data.charCodeAt(++i)) if (c === TAB && spaces < 0) spaces = i - from;
        if (spaces < 0) spaces = i - from;
        if (i === end || c === HASH) {
            if (this.mode === "items") this.itemBody(from, end, spaces);
            else this.toDoc(from, end);
            return true;
        }
        // `- ` after spaces only: a block sequence entry.
        const next1 = data.charCodeAt(i + 1);
        const entry = spaces === i - from && c === DASH && (i + 1 === end || next1 === SPACE || next1 === TAB) ? spaces : -1;
        if (this.mode === "items-next") {
            if (entry < 0) {
                this.mode = "doc";
                return false;
            }
            this.mode = "items";
            this.seqIndent = entry;
            this.startItem(from, end, next);
            return true;
        }
        const indent = c > SPACE && c < 127 ? i - from : indentOf(data, from, end);
        if (entry >= 0 && indent === this.seqIndent) {
            this.flushItem(from);
            this.startItem(from, end, next);
            return true;
        }
        if (indent > this.seqIndent) {
            this.itemBody(from, end, spaces);
            return true;
        }
        this.flushItem(from);
        this.mode = "doc";
        return false;
    }

    private startItem(from: number, end: number, next: number): void {
        // The document's lines stop here (`items:` and what came before it).
        this.closeRuns(from);
        this.itemStart = this.lineNo;
        // "- key: v" at indent n becomes "key: v": the entry's content starts at n + 2.
        const content = Math.min(from + this.seqIndent + 2, end);
        this.itemHead = this.data.slice(content, end);
        this.itemFirst = skipped(this.data, content, end) ? 0 : this.lineNo;
        this.itemText = "";
        this.itemFrom = next;
        this.itemPlain = true;
    }

    /** A line of the entry after its first (the open run of lines takes it), `spaces` its leading spaces. */
    private itemBody(from: number, end: number, spaces: number): void {
        const pad = this.seqIndent + 2;
        // Empty, or starting with the entry's indent in spaces: it dedents by dropping them.
        if (spaces < pad && from !== end) this.itemPlain = false;
        if (this.itemFirst === 0 && !skipped(this.data, from + Math.min(indentOf(this.data, from, end), pad), end)) this.itemFirst = this.lineNo;
    }

    /** Ends the entry whose lines run up to `at`. */
    private flushItem(at: number): void {
        this.closeRuns(at);
        const pad = this.seqIndent + 2;
        let text = this.itemHead + "\n" + this.itemText;
        if (this.crs) text = text.replaceAll("\r\n", "\n");
        // The head has no newline: only the lines after it lose their indent.
        text = this.itemPlain ? text.replaceAll("\n" + " ".repeat(pad), "\n") : dedent(text, pad);
        this.out.push({ text: withoutLastNewline(text), line: this.itemStart, start: this.itemFirst || this.itemStart, listItem: true, list: this.header });
        this.itemText = "";
    }

    private flushDoc(): void {
        if (this.mode === "items") this.flushItem(0);
        this.mode = "doc";
        if (this.docHasContent) {
            const text = this.crs ? this.docText.replaceAll("\r\n", "\n") : this.docText;
            this.out.push({ text: withoutLastNewline(text), line: this.docStart, start: this.docFirst || this.docStart, listItem: false, list: this.header });
        }
        this.header = {};
        this.docText = "";
        this.docFirst = 0;
        this.docHasContent = false;
        this.docHasMarker = false;
        this.docStart = this.lineNo + 1;
    }
}
