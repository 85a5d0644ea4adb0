/**
 * `preflight --format sarif`: SARIF 2.1.0 for code scanning. One run; the rule catalogue as
 * the driver's rules; one result per finding with its file and line (manifests), the backup
 * entry, or the cluster as location, and the object as a logical location. Waived findings
 * are results with an external suppression carrying the waiver's reason; unreadable input
 * is a tool execution notification. Results are streamed from the finding store.
 */
import type * as sarif from "sarif";
import { RULES } from "../../rules/catalogue";
import { levelOf, type EngineOptions } from "../../rules/engine";
import type { ScanReport } from "../scan";
import { formatOrigin, type Origin } from "../types";
import { streamed, streamJson } from "./streamJson";
import type { ReportFinding } from "../findingStore";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function level(severity: string): sarif.ReportingConfiguration.level {
    return severity === "error" ? "error" : "warning";
}

/** Repository-relative URIs use forward slashes and no leading `./`. */
function uri(file: string): string {
    return file.replace(/\\/g, "/").replace(/^\.\//, "");
}

function physical(origin: Origin | undefined): sarif.PhysicalLocation | undefined {
    if (!origin?.file || origin.file === "-" || origin.cluster !== undefined) return undefined;
    const loc: sarif.PhysicalLocation = { artifactLocation: { uri: uri(origin.file) } };
    if (origin.line !== undefined && origin.entry === undefined) loc.region = { startLine: origin.line };
    return loc;
}

function result(f: ReportFinding, ruleIndex: number): sarif.Result {
    const location: sarif.Location = {};
    const phys = physical(f.origin);
    if (phys) location.physicalLocation = phys;
    if (f.kind) {
        const qualified = [f.namespace, f.kind, f.name].filter((s) => s !== undefined && s !== "").join("/");
        location.logicalLocations = [{ name: f.name ?? f.kind, fullyQualifiedName: qualified, kind: "resource" }];
    }
    const r: sarif.Result = {
        ruleId: f.rule,
        ruleIndex,
        level: level(f.severity),
        message: { text: `${f.message}\nFix: ${f.fix}` },
        properties: { path: f.path, source: f.source ?? null, apiVersion: f.apiVersion ?? null, fixedOnRestore: f.autofix },
    };
    if (location.physicalLocation || location.logicalLocations) r.locations = [location];
    if (f.waiver && !f.waiver.expired) {
        r.suppressions = [{ kind: "external", status: "accepted", justification: `${f.waiver.reason} (waived until ${f.waiver.expires})` }];
    }
    return r;
}

/** The log with its results as a placeholder, streamed by renderSarif. */
function sarifLog(report: ScanReport, engine: EngineOptions, version: string): sarif.Log {
    const rules: sarif.ReportingDescriptor[] = RULES.map((r) => {
        const lvl = levelOf(r, engine);
        return {
            id: r.id,
            name: r.title,
            shortDescription: { text: r.title },
            fullDescription: { text: r.why },
            help: { text: r.fix },
            defaultConfiguration: lvl === "disabled" ? { enabled: false } : { level: lvl === "mandatory" ? "error" : "warning" },
        };
    });
    const notifications: sarif.Notification[] = report.problems.map((p) => {
        const n: sarif.Notification = { level: "error", message: { text: `${formatOrigin(p.origin)}: ${p.message}` } };
        const phys = physical(p.origin);
        if (phys) n.locations = [{ physicalLocation: phys }];
        return n;
    });
    return {
        $schema: SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: "tke2eks", version, rules } },
                invocations: [{ executionSuccessful: report.problems.length === 0, toolExecutionNotifications: notifications }],
                results: streamed("results") as unknown as sarif.Result[],
                properties: { profile: report.profile.name, objects: report.objects },
            },
        ],
    };
}

function* results(report: ScanReport): Generator<sarif.Result> {
    const index = new Map(RULES.map((r, i) => [r.id as string, i]));
    for (const f of report.findings.findings(report.findings.entries)) yield result(f, index.get(f.rule) ?? -1);
}

export function* renderSarif(report: ScanReport, engine: EngineOptions, version: string): Generator<string> {
    yield* streamJson(sarifLog(report, engine, version), new Map([["results", results(report)]]));
    yield "\n";
}
