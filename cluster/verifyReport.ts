/**
 * The verification report for people (a table per namespace, then what is wrong and why) and
 * for machines (JSON, the stack output of the complete stage).
 */
import type { VerifyReport } from "./verify";
import { resultsTable } from "./veleroResults";

export function reportJson(r: VerifyReport): string {
    return JSON.stringify(r) + "\n";
}

function pad(cells: string[][]): string[] {
    const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
    return cells.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd());
}

export function reportTable(r: VerifyReport): string {
    const lines = [`Restore ${r.restore} (backup ${r.backup}) in cluster ${r.cluster.server} (context ${r.cluster.context}), checked for ${r.waitedSeconds}s`, ""];
    const names = Object.keys(r.namespaces);
    lines.push(...pad([["NAMESPACE", "READY", "NOT READY", "MISSING"], ...names.map((n) => [n, String(r.namespaces[n].ready.length), String(r.namespaces[n].notReady.length), String(r.namespaces[n].missing.length)])]));
    for (const n of names) {
        const ns = r.namespaces[n];
        if (ns.notReady.length + ns.missing.length === 0) continue;
        lines.push("", n);
        for (const o of ns.notReady) lines.push(`  not ready  ${o.kind} ${o.name}: ${o.reason ?? ""}`);
        for (const o of ns.missing) lines.push(`  missing    ${o.kind} ${o.name}${o.reason ? `: ${o.reason}` : ""}`);
    }
    const leftOut = Object.entries(r.leftOut);
    if (leftOut.length > 0) {
        lines.push("", `Left out on purpose (${r.summary.leftOut}):`);
        for (const [why, n] of leftOut.sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${n} × ${why}`);
    }
    if (r.restorePhase) {
        lines.push("", `Restore ${r.restore} ended ${r.restorePhase}; Velero's results:`);
        lines.push(r.results ? resultsTable(r.results).trimEnd() : `  not read: ${r.resultsError ?? "unknown"}`);
    }
    const s = r.summary;
    lines.push(
        "",
        r.ok
            ? `✔ all ${s.expected} objects the backup holds for B are there and ready`
            : `✖ ${s.missing} missing, ${s.notReady} not ready, ${s.ready} of ${s.expected} ready`,
    );
    return lines.join("\n") + "\n";
}
