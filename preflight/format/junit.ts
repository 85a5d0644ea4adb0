/**
 * `preflight --format junit`: JUnit XML for CI test reports. One test suite per rule; one
 * test case per finding, failing when it is at or above `--fail-on` (so the CI page agrees
 * with the exit code), passing with the message in system-out otherwise, skipped when
 * waived; a rule without findings is one passing case. Unreadable input is an `input` suite
 * of errors. Written as a stream (xmlbuilder2's callback builder), findings read back from
 * the store one at a time.
 */
import { createCB } from "xmlbuilder2";
import type { XMLBuilderCB } from "xmlbuilder2/lib/interfaces";
import { RULES } from "../../rules/catalogue";
import { levelOf, type EngineOptions } from "../../rules/engine";
import { findingObject, type ScanReport } from "../scan";
import { formatOrigin } from "../types";
import { failsOn, type FailOn } from "../verdict";
import type { ReportFinding } from "../findingStore";

function caseName(f: ReportFinding): string {
    return f.path ? `${findingObject(f)} ${f.path}` : findingObject(f);
}

function details(f: ReportFinding): string {
    return [f.message, `fix: ${f.fix}`, f.source ? `source: ${f.source}` : ""].filter(Boolean).join("\n");
}

function addCase(xml: XMLBuilderCB, f: ReportFinding, failOn: FailOn): void {
    const attrs: Record<string, string> = { classname: `tke2eks.${f.rule}`, name: caseName(f) };
    if (f.origin?.file && f.origin.entry === undefined) attrs.file = f.origin.file;
    if (f.origin?.line !== undefined && f.origin.entry === undefined) attrs.line = String(f.origin.line);
    xml.ele("testcase", attrs);
    if (f.waiver && !f.waiver.expired) {
        xml.ele("skipped", { message: `waived until ${f.waiver.expires}: ${f.waiver.reason}` }).up();
    } else if (failsOn(f.severity, failOn)) {
        xml.ele("failure", { message: f.message, type: f.severity }).txt(details(f)).up();
    } else {
        xml.ele("system-out").txt(`${f.severity}: ${details(f)}`).up();
    }
    xml.up();
}

export function* renderJunit(report: ScanReport, engine: EngineOptions, failOn: FailOn): Generator<string> {
    let chunks: string[] = [];
    const xml = createCB({ prettyPrint: true });
    xml.on("data", (chunk: string) => chunks.push(chunk));
    const drain = () => {
        const out = chunks.join("");
        chunks = [];
        return out;
    };
    const store = report.findings;
    const rules = RULES.filter((r) => levelOf(r, engine) !== "disabled").map((rule) => {
        const entries = store.entries.filter((e) => e.rule === rule.id);
        const failed = entries.filter((e) => !e.waived && failsOn(e.severity, failOn)).length;
        const skipped = entries.filter((e) => e.waived).length;
        return { rule, entries, failed, skipped, cases: Math.max(1, entries.length) };
    });
    const problems = report.problems.length;
    const sum = (f: (r: (typeof rules)[number]) => number) => rules.reduce((n, r) => n + f(r), 0);
    xml.dec({ version: "1.0", encoding: "UTF-8" });
    xml.ele("testsuites", {
        name: "tke2eks preflight",
        tests: String(sum((r) => r.cases) + problems),
        failures: String(sum((r) => r.failed)),
        errors: String(problems),
        skipped: String(sum((r) => r.skipped)),
    });
    for (const { rule, entries, failed, skipped, cases } of rules) {
        xml.ele("testsuite", { name: rule.id, tests: String(cases), failures: String(failed), errors: "0", skipped: String(skipped) });
        xml.ele("properties");
        xml.ele("property", { name: "title", value: rule.title }).up();
        xml.ele("property", { name: "profile", value: report.profile.name }).up();
        xml.up();
        for (const f of store.findings(entries)) {
            addCase(xml, f, failOn);
            yield drain();
        }
        if (entries.length === 0) xml.ele("testcase", { classname: `tke2eks.${rule.id}`, name: `${report.objects} objects: no findings` }).up();
        xml.up();
        yield drain();
    }
    if (problems > 0) {
        xml.ele("testsuite", { name: "input", tests: String(problems), failures: "0", errors: String(problems), skipped: "0" });
        for (const p of report.problems) {
            xml.ele("testcase", { classname: "tke2eks.input", name: formatOrigin(p.origin) }).ele("error", { message: p.message, type: "unreadable input" }).up().up();
        }
        xml.up();
    }
    xml.up();
    xml.end();
    yield drain() + "\n";
}
