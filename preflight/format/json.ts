/**
 * `preflight --format json`, DESIGN.md's contract: `profile`, `summary {objects, errors,
 * warnings}`, `findings[]` with exactly the documented keys (null where a finding has no
 * object). A finding whose waiver expired also carries `waiver`; with a waivers file the
 * accepted findings are listed apart in `waived`, and `--exclusions` adds `exclusions`.
 */
import type { ReportFinding, ScanReport } from "../scan";

export interface JsonFinding {
    rule: string;
    severity: string;
    apiVersion: string | null;
    kind: string | null;
    namespace: string | null;
    name: string | null;
    source: string | null;
    path: string;
    message: string;
    fix: string;
    waiver?: { reason: string; expires: string; expired: boolean };
}

export interface JsonReport {
    profile: string;
    summary: { objects: number; errors: number; warnings: number };
    findings: JsonFinding[];
    waived?: JsonFinding[];
    exclusions?: { excludedResources: string[]; excludedNamespaces: string[] };
}

function jsonFinding(f: ReportFinding): JsonFinding {
    const out: JsonFinding = {
        rule: f.rule,
        severity: f.severity,
        apiVersion: f.apiVersion ?? null,
        kind: f.kind ?? null,
        namespace: f.namespace ?? null,
        name: f.name ?? null,
        source: f.source ?? null,
        path: f.path,
        message: f.message,
        fix: f.fix,
    };
    if (f.waiver) out.waiver = { reason: f.waiver.reason, expires: f.waiver.expires, expired: f.waiver.expired };
    return out;
}

export function countSeverities(findings: readonly ReportFinding[]): { errors: number; warnings: number } {
    const errors = findings.filter((f) => f.severity === "error").length;
    return { errors, warnings: findings.length - errors };
}

export function jsonReport(report: ScanReport, opts: { waivers: boolean; exclusions: boolean }): JsonReport {
    const out: JsonReport = {
        profile: report.profile.name,
        summary: { objects: report.objects, ...countSeverities(report.findings) },
        findings: report.findings.map(jsonFinding),
    };
    if (opts.waivers) out.waived = report.waived.map(jsonFinding);
    if (opts.exclusions) {
        out.exclusions = { excludedResources: report.exclusions.excludedResources, excludedNamespaces: report.exclusions.excludedNamespaces };
    }
    return out;
}

export function renderJson(report: ScanReport, opts: { waivers: boolean; exclusions: boolean }): string {
    return JSON.stringify(jsonReport(report, opts), null, 2) + "\n";
}
