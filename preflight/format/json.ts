/**
 * `preflight --format json`, the contract in docs/cli.md: `profile`, `summary {objects, errors,
 * warnings}`, `findings[]` with exactly the documented keys (null where a finding has no
 * object). A finding whose waiver expired also carries `waiver`; with a waivers file the
 * accepted findings are listed apart in `waived`, and `--exclusions` adds `exclusions`. Parts
 * of the input that could not be read (exit 2) are listed in `unreadable`, so the report never
 * reads as complete when it is not.
 * Written as a stream: findings are read back from the store one at a time.
 */
import type { ScanReport } from "../scan";
import { formatOrigin } from "../types";
import { streamed, streamJson } from "./streamJson";
import type { ReportFinding } from "../findingStore";

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

export function jsonFinding(f: ReportFinding): JsonFinding {
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

function* map<T, U>(items: Iterable<T>, fn: (t: T) => U): Generator<U> {
    for (const item of items) yield fn(item);
}

export function* renderJson(report: ScanReport, opts: { waivers: boolean; exclusions: boolean }): Generator<string> {
    const store = report.findings;
    const { errors, warnings } = store.counts();
    const head: Record<string, unknown> = {
        profile: report.profile.name,
        summary: { objects: report.objects, errors, warnings },
        findings: streamed("findings"),
    };
    if (report.problems.length > 0) head.unreadable = report.problems.map((p) => ({ source: formatOrigin(p.origin), message: p.message }));
    if (opts.waivers) head.waived = streamed("waived");
    if (opts.exclusions) {
        head.exclusions = { excludedResources: report.exclusions.excludedResources, excludedNamespaces: report.exclusions.excludedNamespaces };
    }
    const arrays = new Map([
        ["findings", map(store.findings(store.counted()), jsonFinding)],
        ["waived", map(store.findings(store.waived()), jsonFinding)],
    ]);
    yield* streamJson(head, arrays);
    yield "\n";
}
