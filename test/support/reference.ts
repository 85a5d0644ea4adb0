/** The upstream schemas live outside the project: TKE2EKS_REFERENCE, or ../shared/reference. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";

export const REFERENCE_DIR = path.resolve(process.env.TKE2EKS_REFERENCE ?? path.join(__dirname, "..", "..", "..", "shared", "reference"));

export function referenceFile(rel: string): string {
    const file = path.join(REFERENCE_DIR, rel);
    if (!fs.existsSync(file)) {
        throw new Error(`reference file ${file} is missing: set TKE2EKS_REFERENCE or run scripts/fetch-reference.sh`);
    }
    return file;
}

/** A rule's fixtures: rules/<rule-id>/fixtures/[<profile>/]{good,bad}-<case>.yaml, beside the rule and its specs. */
export function ruleFixtureDir(rule: string): string {
    return path.join(__dirname, "..", "..", "rules", rule, "fixtures");
}

export function readYamlDocs(file: string): unknown[] {
    return parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJS());
}

/** A rule fixture's `# targetMinor: N` line (cluster B's Kubernetes minor, for k8s-api-versions); 0 without one. */
export function fixtureTargetMinor(file: string): number {
    const m = /^# targetMinor: (\d+)$/m.exec(fs.readFileSync(file, "utf8"));
    return m ? Number(m[1]) : 0;
}

/**
 * A rule fixture's `# expect: <rule> <Kind> <namespace/name> <JSON pointer>` lines, written
 * by hand: every finding a bad fixture must produce (none in a good one).
 */
export function fixtureExpectations(file: string): string[] {
    return [...fs.readFileSync(file, "utf8").matchAll(/^# expect: (.+)$/gm)].map((m) => m[1].trim());
}
