/**
 * Where the scan keeps its findings: each one as a JSON line in a temporary file, with a
 * small index entry in memory (rule, severity, namespace, waiver state, where the line is).
 * A scan of any size then holds about a hundred bytes per finding instead of the finding,
 * and the reports read findings back one at a time, in scan order or any order the index
 * can be sorted in.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RuleId, Severity } from "../rules";
import type { Origin } from "./types";

export interface ReportFinding {
    rule: RuleId;
    severity: Severity;
    apiVersion?: string;
    kind?: string;
    namespace?: string;
    name?: string;
    /** `file:line`, `file#entry` or `cluster:context` (the JSON report's `source`). */
    source?: string;
    /** The same, structured (SARIF needs file and line apart), when known. */
    origin?: Origin;
    path: string;
    message: string;
    fix: string;
    /** The rule offers an automatic fix (a restore modifier). */
    autofix: boolean;
    waiver?: { reason: string; expires: string; expired: boolean; entry: number };
}

export interface FindingEntry {
    rule: RuleId;
    severity: Severity;
    namespace?: string;
    /** A current waiver accepts it: listed apart, not counted. */
    waived: boolean;
    /** Its waiver expired: counted again. */
    expired: boolean;
    autofix: boolean;
    offset: number;
    length: number;
}

const FLUSH_BYTES = 1 << 20;

export class FindingStore {
    readonly entries: FindingEntry[] = [];
    private readonly dir: string;
    private readonly fd: number;
    private offset = 0;
    private pending: Buffer[] = [];
    private pendingBytes = 0;
    /** Namespaces repeat across findings: keep one copy of each. */
    private readonly names = new Map<string, string>();

    constructor() {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-findings-"));
        const file = path.join(this.dir, "findings.jsonl");
        this.fd = fs.openSync(file, "w+");
        try {
            // Unlinked while open: nothing is left behind, even if the process dies.
            fs.unlinkSync(file);
            fs.rmdirSync(this.dir);
        } catch {
            // Platforms that cannot unlink open files clean up in close().
        }
    }

    add(f: ReportFinding): void {
        const line = Buffer.from(JSON.stringify(f) + "\n");
        const namespace = f.namespace === undefined ? undefined : (this.names.get(f.namespace) ?? (this.names.set(f.namespace, f.namespace), f.namespace));
        this.entries.push({
            rule: f.rule,
            severity: f.severity,
            namespace,
            waived: f.waiver !== undefined && !f.waiver.expired,
            expired: f.waiver?.expired === true,
            autofix: f.autofix,
            offset: this.offset,
            length: line.length,
        });
        this.offset += line.length;
        this.pending.push(line);
        this.pendingBytes += line.length;
        if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    }

    private flush(): void {
        if (this.pendingBytes === 0) return;
        const data = Buffer.concat(this.pending);
        fs.writeSync(this.fd, data, 0, data.length, this.offset - data.length);
        this.pending = [];
        this.pendingBytes = 0;
    }

    read(entry: FindingEntry): ReportFinding {
        this.flush();
        const buf = Buffer.alloc(entry.length);
        fs.readSync(this.fd, buf, 0, entry.length, entry.offset);
        return JSON.parse(buf.toString("utf8")) as ReportFinding;
    }

    /** The findings of these entries, read one at a time. */
    *findings(entries: Iterable<FindingEntry>): Generator<ReportFinding> {
        for (const e of entries) yield this.read(e);
    }

    /** Counted findings (errors and warnings, expired waivers included), in scan order. */
    counted(): FindingEntry[] {
        return this.entries.filter((e) => !e.waived);
    }

    waived(): FindingEntry[] {
        return this.entries.filter((e) => e.waived);
    }

    counts(): { errors: number; warnings: number; waived: number; autofix: number } {
        const out = { errors: 0, warnings: 0, waived: 0, autofix: 0 };
        for (const e of this.entries) {
            if (e.waived) out.waived++;
            else if (e.severity === "error") out.errors++;
            else out.warnings++;
            if (!e.waived && e.autofix) out.autofix++;
        }
        return out;
    }

    close(): void {
        fs.closeSync(this.fd);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
