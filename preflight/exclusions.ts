/**
 * What a Restore should skip, from what the scan found: a group-resource whose every scanned
 * object is refused (an error no automatic fix repairs), and a namespace whose every object
 * is. Refused objects neither covers are listed: the restore will fail on them unless they
 * are fixed at the source. The answer is only as complete as the input: scan the backup the
 * Restore will read.
 */
import { stringify } from "yaml";
import { describe } from "../rules/objects";
import type { ObjectRef, RuleId } from "../rules";

export interface RefusedObject {
    ref: ObjectRef;
    groupResource?: string;
    rules: RuleId[];
}

export interface Exclusions {
    /** Restore.spec.excludedResources. */
    excludedResources: string[];
    /** Restore.spec.excludedNamespaces. */
    excludedNamespaces: string[];
    /** Refused objects the exclusions do not cover. */
    remaining: RefusedObject[];
}

interface Tally {
    objects: number;
    refused: number;
}

function bump(map: Map<string, Tally>, key: string, refused: boolean): void {
    const t = map.get(key) ?? { objects: 0, refused: 0 };
    t.objects++;
    if (refused) t.refused++;
    map.set(key, t);
}

function allRefused(map: Map<string, Tally>): string[] {
    return [...map]
        .filter(([, t]) => t.refused === t.objects)
        .map(([k]) => k)
        .sort();
}

export class ExclusionTally {
    private readonly resources = new Map<string, Tally>();
    private readonly namespaces = new Map<string, Tally>();
    private readonly refused: RefusedObject[] = [];

    /** `listRefused`: keep each refused object to list those the exclusions miss (grows with them). */
    constructor(private readonly listRefused = true) {}

    /** One scanned object and the rules that refuse it (empty when it restores). */
    add(ref: ObjectRef, groupResource: string | undefined, refusedBy: RuleId[]): void {
        const refused = refusedBy.length > 0;
        if (groupResource) bump(this.resources, groupResource, refused);
        if (ref.namespace) bump(this.namespaces, ref.namespace, refused);
        if (refused && this.listRefused) this.refused.push({ ref, groupResource, rules: refusedBy });
    }

    result(): Exclusions {
        const excludedResources = allRefused(this.resources);
        const excludedNamespaces = allRefused(this.namespaces);
        const remaining = this.refused.filter(
            (r) => !(r.groupResource && excludedResources.includes(r.groupResource)) && !(r.ref.namespace && excludedNamespaces.includes(r.ref.namespace)),
        );
        return { excludedResources, excludedNamespaces, remaining };
    }
}

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
