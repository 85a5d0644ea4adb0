/**
 * Reading a Velero Backup or Restore's status and deciding whether the migration may go on.
 * Phases are Velero 1.18's (NOTES.md); anything else is treated as still running.
 */
import { isRecord, record, str, array } from "../rules/objects";

export type VeleroOperation = "Backup" | "Restore";

/** Phases after which Velero will not touch the object again. */
const TERMINAL = new Set(["Completed", "PartiallyFailed", "Failed", "FailedValidation"]);

export interface VeleroStatus {
    kind: VeleroOperation;
    name: string;
    namespace: string;
    /** "" while Velero has not picked it up (or, for a synced Backup, not yet seen it). */
    phase: string;
    errors: number;
    warnings: number;
    /** Items Velero planned to back up / restore, and how many it did. */
    totalItems: number;
    doneItems: number;
    validationErrors: string[];
    failureReason?: string;
}

function count(v: unknown): number {
    return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

export function readStatus(kind: VeleroOperation, namespace: string, name: string, obj: unknown): VeleroStatus {
    const status = record(isRecord(obj) ? obj.status : undefined);
    const progress = record(status.progress);
    const failureReason = str(status.failureReason);
    return {
        kind,
        name,
        namespace,
        phase: str(status.phase) ?? "",
        errors: count(status.errors),
        warnings: count(status.warnings),
        totalItems: count(progress.totalItems),
        doneItems: count(kind === "Backup" ? progress.itemsBackedUp : progress.itemsRestored),
        validationErrors: array(status.validationErrors).filter((e): e is string => typeof e === "string"),
        ...(failureReason ? { failureReason } : {}),
    };
}

export function isTerminal(s: VeleroStatus): boolean {
    return TERMINAL.has(s.phase);
}

/** How to look closer, without the velero CLI being required. */
export function inspectHint(s: VeleroStatus): string {
    const plural = s.kind === "Backup" ? "backups" : "restores";
    const lower = s.kind.toLowerCase();
    return (
        `inspect with: kubectl -n ${s.namespace} get ${plural}.velero.io ${s.name} -o yaml; ` +
        `logs: kubectl -n ${s.namespace} logs deploy/velero | grep '${lower}=${s.namespace}/${s.name}' ` +
        `(or velero ${lower} describe ${s.name} --details and velero ${lower} logs ${s.name})`
    );
}

export interface Verdict {
    ok: boolean;
    message: string;
}

/** Completed passes; PartiallyFailed passes only when allowed; everything else fails. */
export function verdict(s: VeleroStatus, allowPartiallyFailed = false): Verdict {
    const items = `${s.doneItems}/${s.totalItems} items, ${s.errors} errors, ${s.warnings} warnings`;
    const what = `${s.kind} ${s.namespace}/${s.name}`;
    switch (s.phase) {
        case "Completed":
            return { ok: true, message: `${what} Completed: ${items}` };
        case "PartiallyFailed":
            return {
                ok: allowPartiallyFailed,
                message:
                    `${what} PartiallyFailed: ${items}` +
                    (allowPartiallyFailed ? " (allowed by config)" : `; ${inspectHint(s)}`),
            };
        case "FailedValidation":
            return { ok: false, message: `${what} FailedValidation: ${s.validationErrors.join("; ") || "no reason given"}; ${inspectHint(s)}` };
        case "Failed":
            return { ok: false, message: `${what} Failed: ${s.failureReason ?? "no reason given"} (${items}); ${inspectHint(s)}` };
        default:
            return { ok: false, message: `${what} is not finished (phase ${s.phase || "not set"})` };
    }
}
