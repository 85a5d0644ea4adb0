/**
 * Why a Backup or Restore was PartiallyFailed or Failed: Velero's results file, fetched as
 * `velero backup|restore describe` fetches it (a DownloadRequest for BackupResults or
 * RestoreResults, pkg/cmd/util/output/restore_describer.go:289-321 at v1.18.2), read and
 * flattened into one entry per message, by namespace and, when the message names it, object.
 *
 * The file is gzipped JSON (pkg/controller/restore_controller.go:758-770 and
 * pkg/controller/backup_controller.go:806-810 at v1.18.2) of
 * `{"errors": Result, "warnings": Result}`, a Result being
 * `{"velero": [..], "cluster": [..], "namespaces": {ns: [..]}}` (pkg/util/results/result.go:22-35).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { UserError } from "../core/errors";
import { ClusterError } from "./clusterError";
import { array, isRecord, record } from "../rules/objects";
import type { ClusterSession } from "./session";
import type { VeleroOperation, VeleroStatus } from "./veleroStatus";
import { downloadVeleroFile, type DownloadOptions } from "./verifyDownload";

export interface ResultEntry {
    /** `velero` (Velero's own work), `cluster` (cluster-scoped objects) or a namespace's name. */
    scope: string;
    /** The object the message names (`deployments.apps/shop/web`, `ConfigMap/cfg`), when it names one. */
    object?: string;
    message: string;
}

export interface VeleroResults {
    errors: ResultEntry[];
    warnings: ResultEntry[];
}

/** Phases whose results say what went wrong. */
const EXPLAINED = new Set(["PartiallyFailed", "Failed"]);

function needsResults(s: VeleroStatus): boolean {
    return EXPLAINED.has(s.phase);
}

/**
 * The object a message names, from the forms Velero writes:
 * restore `error restoring <group.resource>/<ns>/<name>: ...` (pkg/restore/restore.go:1665, the
 * ID from getResourceID, restore.go:1077-1083), `could not restore, <Kind> "<name>" already exists`
 * and `could not restore, <Kind>:<name> already exists` (restore.go:1622,1638); backup, from its
 * log hook, ` resource: /<resource> name: /<name> message: /...` (pkg/util/logging/log_counter_hook.go:69-77).
 */
export function objectOf(message: string): string | undefined {
    const restoring = /^error restoring ([^\s:]+): /.exec(message);
    if (restoring) return restoring[1];
    const exists = /^could not restore, (\w+)(?: "([^"]+)"|:(\S+)) already exists/.exec(message);
    if (exists) return `${exists[1]}/${exists[2] ?? exists[3]}`;
    const logged = /^ resource: \/(\S+) name: \/(\S+) /.exec(message);
    if (logged) return `${logged[1]}/${logged[2]}`;
    return undefined;
}

function messages(v: unknown, key: string, where: string): string[] {
    const list = array(v);
    if (v !== undefined && !Array.isArray(v)) throw new UserError(`${where}: "${key}" is not a list of messages`, 1);
    return list.map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
}

function entriesOf(result: unknown, key: string, where: string): ResultEntry[] {
    if (result === undefined) return [];
    if (!isRecord(result)) throw new UserError(`${where}: "${key}" is not an object of velero, cluster and namespaces`, 1);
    const entry = (scope: string, message: string): ResultEntry => {
        const object = objectOf(message);
        return { scope, ...(object ? { object } : {}), message };
    };
    const namespaces = record(result.namespaces);
    return [
        ...messages(result.velero, `${key}.velero`, where).map((m) => entry("velero", m)),
        ...messages(result.cluster, `${key}.cluster`, where).map((m) => entry("cluster", m)),
        ...Object.keys(namespaces)
            .sort()
            .flatMap((ns) => messages(namespaces[ns], `${key}.namespaces.${ns}`, where).map((m) => entry(ns, m))),
    ];
}

/** Reads the (gunzipped) results JSON; `where` names the file in errors. */
export function parseResults(text: string, where: string): VeleroResults {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new UserError(`${where}: not JSON (${(err as Error).message})`, 1);
    }
    if (!isRecord(doc)) throw new UserError(`${where}: not an object of errors and warnings`, 1);
    return { errors: entriesOf(doc.errors, "errors", where), warnings: entriesOf(doc.warnings, "warnings", where) };
}

const TARGET = { Backup: "BackupResults", Restore: "RestoreResults" } as const;

/** The results of a Backup or Restore from the bucket; undefined when Velero wrote none. */
export async function fetchResults(session: ClusterSession, kind: VeleroOperation, namespace: string, name: string, opts: DownloadOptions): Promise<VeleroResults | undefined> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-results-"));
    try {
        const file = path.join(dir, "results.json.gz");
        if (!(await downloadVeleroFile(session, namespace, name, TARGET[kind], file, opts))) return undefined;
        const where = `${kind.toLowerCase()} ${name}'s results (from the bucket)`;
        let text: string;
        try {
            text = gunzipSync(fs.readFileSync(file)).toString("utf8");
        } catch (err) {
            throw new UserError(`${where}: not gzip (${(err as Error).message})`, 1);
        }
        return parseResults(text, where);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Velero answers a DownloadRequest within seconds when its location is Available. */
const RESULTS_TIMEOUT_MS = 60_000;

export interface Explained {
    results?: VeleroResults;
    /** Why the results could not be read (the failure itself stands). */
    resultsError?: string;
}

/** Velero's results of a PartiallyFailed or Failed operation; a failure to read them is reported, not thrown. */
export async function explain(session: ClusterSession, s: VeleroStatus | undefined, intervalMs: number): Promise<Explained> {
    if (!s || !needsResults(s)) return {};
    try {
        const results = await fetchResults(session, s.kind, s.namespace, s.name, { timeoutMs: Math.max(0, Math.min(RESULTS_TIMEOUT_MS, session.remainingMs())), intervalMs });
        return results ? { results } : { resultsError: "Velero wrote no results file for it" };
    } catch (err) {
        if (err instanceof UserError || err instanceof ClusterError) return { resultsError: err.message };
        throw err;
    }
}

function line(e: ResultEntry): string {
    return `${e.scope}${e.object ? ` ${e.object}` : ""}: ${e.message.trim()}`;
}

/** The first few errors (else warnings) for a one-line failure message. */
export function firstFew(r: VeleroResults, n = 3): string {
    const [label, list] = r.errors.length > 0 ? ["errors", r.errors] : ["warnings", r.warnings];
    if (list.length === 0) return "Velero's results list no errors or warnings";
    const more = list.length > n ? ` (and ${list.length - n} more)` : "";
    return `${label}: ${list.slice(0, n).map(line).join("; ")}${more}`;
}

/** Every error and warning, grouped by scope, for people. */
export function resultsTable(r: VeleroResults): string {
    const lines: string[] = [];
    for (const [label, list] of [
        ["Errors", r.errors],
        ["Warnings", r.warnings],
    ] as const) {
        lines.push(`${label} (${list.length}):`);
        let scope: string | undefined;
        for (const e of list) {
            if (e.scope !== scope) lines.push(`  ${e.scope}`);
            scope = e.scope;
            lines.push(`    ${e.object ?? "-"}  ${e.message.trim()}`);
        }
    }
    return lines.join("\n") + "\n";
}
