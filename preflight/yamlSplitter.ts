/**
 * Splits a YAML stream into pieces small enough to parse one at a time, so memory stays flat
 * however large the input: one piece per document (`---` / `...` markers start and end one,
 * per the YAML spec, even inside block scalars), and one piece per entry of a document's
 * top-level `items:` sequence, which is how `kubectl get -A -o yaml` writes a whole cluster
 * as a single `kind: List` document. Each piece keeps the line it starts on, so parse errors
 * and findings point at the right line of the file, and the pieces of one document share its
 * top-level `kind` and `apiVersion` as far as they have been read, so the items of a typed
 * list (`PodList`, whose items carry no kind) can take theirs from it.
 */

export interface TextPiece {
    text: string;
    /** 1-based line of the piece's first line in the stream. */
    line: number;
    /** An entry of a top-level `items:` sequence (dedented to parse on its own). */
    listItem: boolean;
    /** The document's top-level kind and apiVersion, filled in as the splitter reads them (shared by its pieces). */
    list?: ListHeader;
}

export interface ListHeader {
    kind?: string;
    apiVersion?: string;
}

const MARKER = /^(---|\.\.\.)(?:[ \t]|$)/;
const ITEMS_KEY = /^items:[ \t]*(?:#.*)?$/;
const SEQUENCE_ENTRY = /^( *)-(?:[ \t]|$)/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;
/** `kind: PodList` / `apiVersion: "v1"` at the top level: plain or quoted scalars only. */
const HEADER_LINE = /^(kind|apiVersion):[ \t]+(?:"([^"\\]*)"|'([^']*)'|([^\s#'"][^\s#]*))[ \t]*(?:#.*)?$/;

export class YamlSplitter {
    private lineNo = 0;
    private partial = "";
    private started = false;
    private out: TextPiece[] = [];

    private doc: string[] = [];
    private docStart = 1;
    private docHasContent = false;
    private docHasMarker = false;
    private header: ListHeader = {};

    /** "items-next": the line after `items:`; "items": inside its block sequence. */
    private mode: "doc" | "items-next" | "items" = "doc";
    private seqIndent = 0;
    private item: string[] = [];
    private itemStart = 0;

    /** Feeds a chunk of text; returns the pieces it completed. */
    push(chunk: string): TextPiece[] {
        let data = this.partial + chunk;
        if (!this.started && data.length > 0) {
            this.started = true;
            if (data.charCodeAt(0) === 0xfeff) data = data.slice(1);
        }
        let from = 0;
        for (let nl = data.indexOf("\n", from); nl >= 0; nl = data.indexOf("\n", from)) {
            this.line(data.charCodeAt(nl - 1) === 13 ? data.slice(from, nl - 1) : data.slice(from, nl));
            from = nl + 1;
        }
        this.partial = data.slice(from);
        return this.take();
    }

    /** Ends the stream; returns the last pieces. */
    end(): TextPiece[] {
        if (this.partial !== "") this.line(this.partial.endsWith("\r") ? this.partial.slice(0, -1) : this.partial);
        this.partial = "";
        this.flushDoc();
        return this.take();
    }

    private take(): TextPiece[] {
        const out = this.out;
        this.out = [];
        return out;
    }

    private line(line: string): void {
        this.lineNo++;
        const marker = MARKER.exec(line);
        if (marker) {
            if (marker[1] === "---" && !this.docHasContent && !this.docHasMarker) {
                // Only comments or directives so far: they belong to this document.
                this.doc.push(line);
                this.docHasMarker = true;
                this.docHasContent = !BLANK_OR_COMMENT.test(line.slice(3));
                return;
            }
            this.flushDoc();
            if (marker[1] === "---") {
                this.docStart = this.lineNo;
                this.doc.push(line);
                this.docHasMarker = true;
                this.docHasContent = !BLANK_OR_COMMENT.test(line.slice(3));
            } else {
                this.docStart = this.lineNo + 1;
            }
            return;
        }
        if (this.mode !== "doc" && this.itemLine(line)) return;
        const header = HEADER_LINE.exec(line);
        if (header) this.header[header[1] as keyof ListHeader] = header[2] ?? header[3] ?? header[4];
        this.doc.push(line);
        if (!this.docHasContent && !BLANK_OR_COMMENT.test(line)) this.docHasContent = true;
        if (ITEMS_KEY.test(line)) this.mode = "items-next";
    }

    /** Handles a line while in or just after `items:`; false when the sequence is over. */
    private itemLine(line: string): boolean {
        if (BLANK_OR_COMMENT.test(line)) {
            if (this.mode === "items") this.item.push(line);
            else this.doc.push(line);
            return true;
        }
        const entry = SEQUENCE_ENTRY.exec(line);
        if (this.mode === "items-next") {
            if (!entry) {
                this.mode = "doc";
                return false;
            }
            this.mode = "items";
            this.seqIndent = entry[1].length;
            this.startItem(line);
            return true;
        }
        const indent = line.length - line.trimStart().length;
        if (entry && indent === this.seqIndent) {
            this.flushItem();
            this.startItem(line);
            return true;
        }
        if (indent > this.seqIndent) {
            this.item.push(line.slice(Math.min(indent, this.seqIndent + 2)));
            return true;
        }
        this.flushItem();
        this.mode = "doc";
        return false;
    }

    private startItem(line: string): void {
        this.itemStart = this.lineNo;
        // "- key: v" at indent n becomes "key: v": the entry's content starts at n + 2.
        this.item = [line.slice(this.seqIndent + 2)];
    }

    private flushItem(): void {
        if (this.item.length > 0) this.out.push({ text: this.item.join("\n"), line: this.itemStart, listItem: true, list: this.header });
        this.item = [];
    }

    private flushDoc(): void {
        if (this.mode === "items") this.flushItem();
        this.mode = "doc";
        if (this.docHasContent) this.out.push({ text: this.doc.join("\n"), line: this.docStart, listItem: false, list: this.header });
        this.header = {};
        this.doc = [];
        this.docHasContent = false;
        this.docHasMarker = false;
        this.docStart = this.lineNo + 1;
    }
}
