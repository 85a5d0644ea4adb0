/**
 * `preflight --format junit`: JUnit XML for CI test reports. One test suite per rule; one
 * test case per finding, failing when it is at or above `--fail-on` (so the CI page agrees
 * with the exit code), passing with the message in system-out otherwise, skipped when
 * waived; a rule without findings is one passing case. Unreadable input is an `input` suite
 * of errors.
 */
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { RULES } from "../../rules/catalogue";
import { levelOf, type EngineOptions } from "../../rules/engine";
import { describe } from "../../rules/objects";
import type { ReportFinding, ScanReport } from "../scan";
import { formatOrigin } from "../types";
import { failsOn, type FailOn } from "../verdict";

function caseName(f: ReportFinding): string {
    const what = f.kind ? describe({ apiVersion: f.apiVersion ?? "", kind: f.kind, namespace: f.namespace, name: f.name }) : "all scanned objects";
    return f.path ? `${what} ${f.path}` : what;
}

function details(f: ReportFinding): string {
    return [f.message, `fix: ${f.fix}`, f.source ? `source: ${f.source}` : ""].filter(Boolean).join("\n");
}

function addCase(suite: XMLBuilder, f: ReportFinding, failOn: FailOn): void {
    const attrs: Record<string, string> = { classname: `tke2eks.${f.rule}`, name: caseName(f) };
    if (f.origin?.file && f.origin.entry === undefined) attrs.file = f.origin.file;
    if (f.origin?.line !== undefined && f.origin.entry === undefined) attrs.line = String(f.origin.line);
    const tc = suite.ele("testcase", attrs);
    if (f.waiver && !f.waiver.expired) {
        tc.ele("skipped", { message: `waived until ${f.waiver.expires}: ${f.waiver.reason}` });
    } else if (failsOn(f.severity, failOn)) {
        tc.ele("failure", { message: f.message, type: f.severity }).txt(details(f));
    } else {
        tc.ele("system-out").txt(`${f.severity}: ${details(f)}`);
    }
}

export function renderJunit(report: ScanReport, engine: EngineOptions, failOn: FailOn): string {
    const root = create({ version: "1.0", encoding: "UTF-8" }).ele("testsuites", { name: "tke2eks preflight" });
    let tests = 0;
    let failures = 0;
    let skipped = 0;
    for (const rule of RULES) {
        if (levelOf(rule, engine) === "disabled") continue;
        const counted = report.findings.filter((f) => f.rule === rule.id);
        const waived = report.waived.filter((f) => f.rule === rule.id);
        const failed = counted.filter((f) => failsOn(f.severity, failOn)).length;
        const cases = Math.max(1, counted.length + waived.length);
        const suite = root.ele("testsuite", { name: rule.id, tests: String(cases), failures: String(failed), errors: "0", skipped: String(waived.length) });
        suite.ele("properties").ele("property", { name: "title", value: rule.title }).up().ele("property", { name: "profile", value: report.profile.name });
        for (const f of [...counted, ...waived]) addCase(suite, f, failOn);
        if (counted.length + waived.length === 0) suite.ele("testcase", { classname: `tke2eks.${rule.id}`, name: `${report.objects} objects: no findings` });
        tests += cases;
        failures += failed;
        skipped += waived.length;
    }
    if (report.problems.length > 0) {
        const suite = root.ele("testsuite", { name: "input", tests: String(report.problems.length), failures: "0", errors: String(report.problems.length), skipped: "0" });
        for (const p of report.problems) {
            suite.ele("testcase", { classname: "tke2eks.input", name: formatOrigin(p.origin) }).ele("error", { message: p.message, type: "unreadable input" });
        }
        tests += report.problems.length;
    }
    root.att({ tests: String(tests), failures: String(failures), errors: String(report.problems.length), skipped: String(skipped) });
    return root.end({ prettyPrint: true }) + "\n";
}
