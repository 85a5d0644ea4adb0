/**
 * The restore's resource modifiers: the rules' automatic fixes for the objects being
 * migrated, computed when the program runs so that `tke2eks plan --format yaml` and
 * `pulumi preview` show them before anything is restored (never applied behind the user's
 * back). The objects come from manifest files or, read-only, from cluster A itself; what the
 * fixes cannot repair is reported, not dropped.
 */
import type { MigrationConfig } from "../config/load";
import { resourceModifiers } from "../modifiers/build";
import type { ResourceModifiers } from "../modifiers/veleroFormat";
import { readManifests } from "../preflight/manifests";
import { scan, type ScanReport } from "../preflight/scan";
import { formatOrigin, InputError, type ScanEvent } from "../preflight/types";
import { engineOptions } from "../rules/engine";
import { describe, record, str } from "../rules/objects";
import { DAEMONSETS } from "./veleroOperations";

/** The objects to fix could not be read: the program stops before anything is created. */
export class RestoreFixesError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RestoreFixesError";
    }
}

/** What the modifiers were computed from and what they could not fix. */
export interface RestoreFixes {
    /** `manifests: <paths>` or `cluster: <context>`. */
    from: string;
    /** Objects judged (in the backed-up namespaces). */
    objects: number;
    /** Undefined when no object needs a fix: the Restore then has no resourceModifier. */
    modifiers?: ResourceModifiers;
    /** Automatic fixes that could not become a modifier, with why. */
    unpatchable: string[];
    /** DaemonSets, which cluster B cannot run (left out of the backup unless includeDaemonSets). */
    daemonSets: string[];
    /** Other objects B will refuse that no automatic fix repairs (fix them at the source). */
    refused: string[];
}

/** The fixes cannot be known yet (a live source cluster in an offline plan), and why. */
export interface UnknownFixes {
    unknown: string;
}

/** Velero's namespace filter for the backup: included (or `*`) and not excluded. */
export function inBackup(namespace: string | undefined, included: readonly string[], excluded: readonly string[]): boolean {
    // Cluster-scoped objects carry no fix the restore could use.
    if (namespace === undefined) return false;
    return (included.includes("*") || included.includes(namespace)) && !excluded.includes(namespace);
}

/** The objects the backup takes; DaemonSets are noted on the way (`ns/name`). */
async function* onlyBackedUp(input: AsyncIterable<ScanEvent>, included: readonly string[], excluded: readonly string[], daemonSets: string[]): AsyncGenerator<ScanEvent> {
    for await (const event of input) {
        if ("item" in event) {
            const meta = record(event.item.obj.metadata);
            const namespace = str(meta.namespace);
            if (!inBackup(namespace, included, excluded)) continue;
            if (event.item.obj.kind === "DaemonSet") daemonSets.push(`${namespace ?? ""}/${str(meta.name) ?? ""}`);
        }
        yield event;
    }
}

/** Turns a scan of the objects into the Restore's fixes and the report of what they miss. */
export function fixesFromReport(report: ScanReport, from: string, daemonSets: readonly string[], velero: string): RestoreFixes {
    const { remaining, excludedResources, excludedNamespaces } = report.exclusions;
    const refused = [
        ...remaining.filter((r) => r.ref.kind !== "DaemonSet").map((r) => `${describe(r.ref)}: ${r.rules.join(", ")}`),
        ...excludedResources.filter((r) => r !== DAEMONSETS).map((r) => `every ${r} object`),
        ...excludedNamespaces.map((ns) => `every object in namespace ${ns}`),
    ];
    const out: RestoreFixes = {
        from,
        objects: report.objects,
        unpatchable: report.unpatchable.map((u) => `${describe(u.ref)}: ${u.reason}`),
        daemonSets: [...new Set(daemonSets)].sort(),
        refused,
    };
    // Written for the target's Velero: what it can read decides the patches' form.
    if (report.fixes.length > 0) out.modifiers = resourceModifiers(report.fixes, velero);
    return out;
}

export interface FixesOptions {
    /** `tke2eks plan`: never reach a cluster. */
    offline: boolean;
    /** Reads a live cluster (the preflight reader); injected so plan never loads the client. */
    readCluster?: (kubeconfig: string, context: string, namespaces: readonly string[]) => AsyncIterable<ScanEvent>;
}

/** The fixes for this config's restore; undefined when no source of objects is configured. */
export async function restoreFixes(config: MigrationConfig, opts: FixesOptions): Promise<RestoreFixes | UnknownFixes | undefined> {
    const from = config.restore.modifiersFrom;
    if (!from) return undefined;
    const { includedNamespaces: included, excludedNamespaces: excluded } = config.backup;
    const engine = { ...engineOptions("eks"), fixes: { nodePortServiceType: config.restore.nodePortServiceType, retainIp: config.restore.retainIp } };
    let input: AsyncIterable<ScanEvent>;
    let label: string;
    if (from.kind === "manifests") {
        input = readManifests(from.paths, process.stdin);
        // As configured (relative to the project): outputs must not depend on the checkout path.
        label = `manifests: ${from.given.join(", ")}`;
    } else {
        const source = config.clusters.source;
        label = `cluster: ${source.kubeconfig.context}`;
        if (opts.offline) return { unknown: `listed from the source cluster (${source.kubeconfig.context}) at deploy time; tke2eks plan stays offline` };
        if (!opts.readCluster) throw new Error("restoreFixes: reading the source cluster needs a cluster reader");
        // Only the backed-up namespaces, so listing stays read-only and small.
        const namespaces = included.includes("*") ? [] : included.filter((n) => !excluded.includes(n));
        input = opts.readCluster(source.kubeconfig.content, source.kubeconfig.context, namespaces);
    }
    let report: ScanReport;
    const daemonSets: string[] = [];
    try {
        report = await scan(onlyBackedUp(input, included, excluded, daemonSets), { engine, collectFixes: true, listRefused: true });
    } catch (err) {
        if (err instanceof InputError) throw new RestoreFixesError(`tke2eks:restore.modifiersFrom: ${err.message}`);
        throw err;
    }
    try {
        // A document that does not parse could hide an object that needs a fix.
        if (report.problems.length > 0) {
            const lines = report.problems.map((p) => `${formatOrigin(p.origin)}: ${p.message}`);
            throw new RestoreFixesError(`tke2eks:restore.modifiersFrom: ${lines.length} part(s) of the input cannot be read:\n  ${lines.join("\n  ")}`);
        }
        return fixesFromReport(report, label, daemonSets, config.clusters.target.velero.velero);
    } finally {
        report.findings.close();
    }
}
