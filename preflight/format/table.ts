/**
 * `preflight --format table`: findings grouped by namespace, then rule, then object, with a
 * summary and the quota planner's numbers; colors only when the output is a terminal.
 */
import { createColors } from "picocolors";
import { RULES, ruleById } from "../../rules/catalogue";
import { describe } from "../../rules/objects";
import type { PodDemandEntry } from "../../rules/eks-pod-quota";
import type { PodPlan } from "../quota";
import type { ReportFinding, ScanReport } from "../scan";
import { countSeverities } from "./json";

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

function objectOf(f: ReportFinding): string {
    return f.kind ? describe({ apiVersion: f.apiVersion ?? "", kind: f.kind, namespace: f.namespace, name: f.name }) : "all scanned objects";
}

function findingLines(f: ReportFinding, c: Colors): string[] {
    const where = f.source ? `  ${c.dim(f.source)}` : "";
    const tags = [f.autofix ? c.cyan("fixed on restore") : "", f.waiver?.expired ? c.magenta(`waiver expired ${f.waiver.expires}`) : ""].filter(Boolean);
    return [
        `    ${c.bold(objectOf(f))}${where}${tags.length > 0 ? `  [${tags.join(", ")}]` : ""}`,
        `      ${f.message}`,
        `      ${c.dim("fix:")} ${f.fix}`,
    ];
}

function section(title: string, findings: readonly ReportFinding[], c: Colors): string[] {
    const lines = [c.bold(c.underline(title))];
    // Errors first, then the catalogue's order; a rule may report both severities (a NodePort
    // Service is an error, a LoadBalancer's nodePort a warning).
    const order = (f: ReportFinding) => (f.severity === "error" ? 0 : RULES.length) + RULES.findIndex((r) => r.id === f.rule);
    const groups = [...groupBy(findings, (f) => `${f.rule} ${f.severity}`).values()].sort((a, b) => order(a[0]) - order(b[0]));
    for (const list of groups) {
        const { rule, severity } = list[0];
        const mark = severity === "error" ? c.red("✖ error") : c.yellow("▲ warning");
        lines.push(`  ${mark} ${c.bold(rule)} ${c.dim(`· ${ruleById(rule).title} (${list.length})`)}`);
        for (const f of list) lines.push(...findingLines(f, c));
    }
    return lines;
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

export function renderTable(report: ScanReport, color: boolean): string {
    const c = createColors(color);
    const lines: string[] = [`${c.bold("tke2eks preflight")} · profile ${report.profile.name} (${report.profile.title})`, ""];
    const byNamespace = groupBy(report.findings, (f) => f.namespace ?? SCAN_LEVEL);
    const namespaces = [...byNamespace.keys()].sort((a, b) => (a === SCAN_LEVEL ? 1 : b === SCAN_LEVEL ? -1 : a.localeCompare(b)));
    for (const ns of namespaces) lines.push(...section(ns, byNamespace.get(ns) ?? [], c), "");
    if (report.findings.length === 0) lines.push(c.green("No findings: everything scanned can run on the serverless cluster."), "");
    if (report.waived.length > 0) {
        lines.push(c.bold(c.underline(`waived (${report.waived.length})`)));
        for (const f of report.waived) {
            lines.push(`  ${f.rule} ${objectOf(f)}: ${f.waiver?.reason ?? ""} ${c.dim(`(until ${f.waiver?.expires ?? "?"})`)}`);
        }
        lines.push("");
    }
    const { errors, warnings } = countSeverities(report.findings);
    const fixable = report.findings.filter((f) => f.autofix).length;
    const parts = [
        `${report.objects} objects`,
        errors > 0 ? c.red(`${errors} errors`) : c.green("0 errors"),
        warnings > 0 ? c.yellow(`${warnings} warnings`) : "0 warnings",
        `${report.waived.length} waived`,
        `${fixable} fixed on restore by --modifiers`,
    ];
    if (report.problems.length > 0) parts.push(c.red(`${report.problems.length} unreadable input parts`));
    lines.push(`${c.bold("Summary:")} ${parts.join(" · ")}`);
    lines.push(...podLines(report.pods, c));
    return lines.join("\n") + "\n";
}
