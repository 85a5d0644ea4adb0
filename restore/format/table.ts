/**
 * `restore-preview --format table`: objects grouped by the namespace they come from (with
 * where they land in B), each with its outcome and reasons, then the summary; colours only
 * on a terminal.
 */
import { createColors } from "picocolors";
import type { ObjectPreview, Outcome } from "../pipeline";
import type { PreviewReport } from "../preview";

type Colors = ReturnType<typeof createColors>;

const CLUSTER = "(cluster-scoped)";

function mark(outcome: Outcome, c: Colors): string {
    const text = outcome.padEnd(8);
    return { restored: c.green(text), fixed: c.cyan(text), skipped: c.dim(text), refused: c.red(c.bold(text)) }[outcome];
}

function objectLines(o: ObjectPreview, c: Colors): string[] {
    const renamed = o.restoredAs?.namespace && o.restoredAs.namespace !== o.namespace ? c.dim(` → ${o.restoredAs.namespace}`) : "";
    return [`  ${mark(o.outcome, c)} ${o.kind} ${c.bold(o.name)}${renamed}`, ...o.reasons.map((r) => `             ${o.outcome === "refused" ? r : c.dim(r)}`)];
}

export function* renderPreviewTable(report: PreviewReport, color: boolean): Generator<string> {
    const c = createColors(color);
    const byNamespace = new Map<string, ObjectPreview[]>();
    for (const o of report.objects.items()) {
        const key = o.namespace ?? CLUSTER;
        const list = byNamespace.get(key);
        if (list) list.push(o);
        else byNamespace.set(key, [o]);
    }
    yield `${c.bold(`Restore preview of backup ${report.backup}`)} ${c.dim(`(Velero ${report.veleroVersion} on cluster B)`)}\n\n`;
    for (const ns of [...byNamespace.keys()].sort((a, b) => (a === CLUSTER ? 1 : b === CLUSTER ? -1 : a.localeCompare(b)))) {
        yield `${c.underline(c.bold(ns))}\n`;
        for (const o of byNamespace.get(ns) ?? []) yield objectLines(o, c).join("\n") + "\n";
        yield "\n";
    }
    const s = report.summary;
    const refused = s.refused > 0 ? c.red(c.bold(`${s.refused} refused`)) : `${s.refused} refused`;
    yield `${s.objects} objects: ${s.restored} restored, ${s.fixed} fixed, ${s.skipped} skipped, ${refused}\n`;
}
