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

export function readYamlDocs(file: string): unknown[] {
    return parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJS());
}
