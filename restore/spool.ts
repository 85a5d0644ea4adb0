/**
 * One line of JSON per previewed object, in a temporary file: memory stays flat however big
 * the backup, and nothing reaches stdout before the whole backup has been read (a corrupt
 * tarball then prints one line and no half report).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StringDecoder } from "node:string_decoder";

const FLUSH_AT = 1 << 20;

/**
 * Spools not yet closed: they hold the backup's objects, Secrets included, so Ctrl-C or a
 * kill removes them too, then lets the signal end the process as it would have.
 */
const live = new Set<{ close(): void }>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
function onSignal(signal: NodeJS.Signals): void {
    for (const spool of live) spool.close();
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
}

export class Spool<T> {
    private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-preview-"));
    private readonly file = path.join(this.dir, "objects.ndjson");
    // Only this user reads it (mkdtemp's folder is 0700 already).
    private readonly fd = fs.openSync(this.file, "w", 0o600);
    private buffer = "";
    private closed = false;

    constructor() {
        if (live.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
        live.add(this);
    }

    add(item: T): void {
        this.buffer += JSON.stringify(item) + "\n";
        if (this.buffer.length >= FLUSH_AT) this.flush();
    }

    private flush(): void {
        if (this.buffer) fs.writeSync(this.fd, this.buffer);
        this.buffer = "";
    }

    /** Every spooled line (JSON text), in order. */
    *lines(): Generator<string> {
        this.flush();
        const fd = fs.openSync(this.file, "r");
        try {
            const chunk = Buffer.alloc(FLUSH_AT);
            // A chunk may end inside a multi-byte character.
            const decoder = new StringDecoder("utf8");
            let rest = "";
            for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) {
                const lines = (rest + decoder.write(chunk.subarray(0, n))).split("\n");
                rest = lines.pop() ?? "";
                yield* lines;
            }
            if (rest) yield rest;
        } finally {
            fs.closeSync(fd);
        }
    }

    *items(): Generator<T> {
        for (const line of this.lines()) yield JSON.parse(line) as T;
    }

    close(): void {
        if (this.closed) return;
        this.closed = true;
        live.delete(this);
        if (live.size === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
        fs.closeSync(this.fd);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
