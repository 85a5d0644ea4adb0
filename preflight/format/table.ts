/**
 * `preflight --format table`: findings grouped by namespace, then rule, then object, with a
 * summary and the quota planner's numbers; colors only when the output is a terminal.
 * Findings are sorted by their index entries and read back one at a time.
 */
import { createColors } from "picocolors";
import { RULES, ruleById } from "../../rules/catalogue";
import { describe } from "../../rules/objects";
import type { PodDemandEntry } from "../../rules/eks-pod-quota";
import type { PodPlan } from "../quota";
import type { FindingEntry, FindingStore, ReportFinding } from "../findingStore";
import { findingObject, type ScanReport } from "../scan";

type Colors = ReturnType<typeof createColors>;

const SCAN_LEVEL = "(cluster-scoped and scan-level)";

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
    const out = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        const list = out.get(k);
        if (list) list.push(item);
        else out.set(k, [item]);
    }
    return out;
}

function findingLines(f: ReportFinding, c: Colors): string[] {
    const where = f.source ? `  ${c.dim(f.source)}` : "";
    const tags = [f.autofix ? c.cyan("fixed on restore") : "", f.waiver?.expired ? c.magenta(`waiver expired ${f.waiver.expires}`) : ""].filter(Boolean);
    return [
        `    ${c.bold(findingObject(f))}${where}${tags.length > 0 ? `  [${tags.join(", ")}]` : ""}`,
        `      ${f.message}`,
        `      ${c.dim("fix:")} ${f.fix}`,
    ];
}

/** Errors first, then the catalogue's order. */
function order(e: FindingEntry): number {
    return (e.severity === "error" ? 0 : RULES.length) + RULES.findIndex((r) => r.id === e.rule);
}

function* section(title: string, entries: FindingEntry[], store: FindingStore, c: Colors): Generator<string> {
    yield c.bold(c.underline(title));
    // A rule may report both severities (a NodePort Service is an error, a LoadBalancer's nodePort a warning).
    const groups = [...groupBy(entries, (e) => `${e.rule} ${e.severity}`).values()].sort((a, b) => order(a[0]) - order(b[0]));
    for (const list of groups) {
        const { rule, severity } = list[0];
        const mark = severity === "error" ? c.red("✖ error") : c.yellow("▲ warning");
        yield `  ${mark} ${c.bold(rule)} ${c.dim(`· ${ruleById(rule).title} (${list.length})`)}`;
        for (const f of store.findings(list)) yield* findingLines(f, c);
    }
}

function demand(e: PodDemandEntry): string {
    return `${describe(e.ref)} ${e.pods} (${e.how})`;
}

function podLines(p: PodPlan, c: Colors): string[] {
    const over = p.total > p.quota;
    const verdict = over ? c.red(`${p.total - p.quota} over`) : c.green(`${p.quota - p.total} to spare`);
    const limit = p.replicaLimit > 0 ? `${p.replicaLimit} replicas per workload` : "no per-workload limit on this profile";
    const lines = [`Pods: the workloads ask for up to ${c.bold(String(p.total))} Pods against a quota of ${p.quota} per cluster (${verdict}); ${limit}`];
    if (p.largest.length > 0) lines.push(`  largest: ${p.largest.map(demand).join("; ")}`);
    if (p.overLimit.length > 0) lines.push(c.red(`  above the per-workload limit: ${p.overLimit.map(demand).join("; ")}`));
    return lines;
}

export function* renderTable(report: ScanReport, color: boolean): Generator<string> {
    const c = createColors(color);
    const store = report.findings;
    const line = (text = "") => `${text}\n`;
    yield line(`${c.bold("tke2eks preflight")} · profile ${report.profile.name} (${report.profile.title})`);
    yield line();
    const counted = store.counted();
    const byNamespace = groupBy(counted, (e) => e.namespace ?? SCAN_LEVEL);
    const namespaces = [...byNamespace.keys()].sort((a, b) => (a === SCAN_LEVEL ? 1 : b === SCAN_LEVEL ? -1 : a.localeCompare(b)));
    for (const ns of namespaces) {
        for (const text of section(ns, byNamespace.get(ns) ?? [], store, c)) yield line(text);
        yield line();
    }
    if (counted.length === 0 && report.problems.length > 0) {
        // The exit code is 2: no line here may read as a pass.
        yield line(c.red(`No findings in what could be read, but ${report.problems.length} part${report.problems.length === 1 ? "" : "s"} of the input could not be read (see above): the scan is incomplete.`)) + line();
    } else if (counted.length === 0) yield line(c.green("No findings: everything scanned can run on the serverless cluster.")) + line();
    const waived = store.waived();
    if (waived.length > 0) {
        yield line(c.bold(c.underline(`waived (${waived.length})`)));
        for (const f of store.findings(waived)) {
            yield line(`  ${f.rule} ${findingObject(f)}: ${f.waiver?.reason ?? ""} ${c.dim(`(until ${f.waiver?.expires ?? "?"})`)}`);
        }
        yield line();
    }
    const { errors, warnings, autofix } = store.counts();
    const parts = [
        `${report.objects} objects`,
        errors > 0 ? c.red(`${errors} errors`) : c.green("0 errors"),
        warnings > 0 ? c.yellow(`${warnings} warnings`) : "0 warnings",
        `${waived.length} waived`,
        `${autofix} fixed on restore by --modifiers`,
    ];
    if (report.problems.length > 0) parts.push(c.red(`${report.problems.length} unreadable input parts`));
    yield line(`${c.bold("Summary:")} ${parts.join(" · ")}`);
    for (const text of podLines(report.pods, c)) yield line(text);
}
