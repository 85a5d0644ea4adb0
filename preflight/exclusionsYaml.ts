/**
 * `preflight --exclusions`: the Restore spec fragment as YAML. Its own module, so the YAML
 * writer loads only when asked for.
 */
import { stringify } from "yaml";
import { describe } from "../rules/objects";
import type { Exclusions } from "./exclusions";

/** The Restore spec fragment, as YAML a user can paste (comments list what still fails). */
export function exclusionsYaml(ex: Exclusions): string {
    let out = "# Restore spec: what the serverless cluster cannot run (tke2eks preflight --exclusions)\n";
    out += stringify({ excludedResources: ex.excludedResources, excludedNamespaces: ex.excludedNamespaces });
    if (ex.remaining.length > 0) {
        out += "# Still refused, and not excluded above: fix these at the source before the restore\n";
        for (const r of ex.remaining) out += `#   ${describe(r.ref)}: ${r.rules.join(", ")}\n`;
    }
    return out;
}
