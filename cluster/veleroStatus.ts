/**
 * Reading a Velero Backup or Restore's status and deciding whether the migration may go on.
 * Phases are Velero 1.18's (pkg/apis/velero/v1/backup_types.go and restore_types.go at v1.18.2); anything else is treated as still running.
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
    /** Set when the object is being deleted (metadata.deletionTimestamp): it will never finish. */
    deleting?: true;
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
        ...(str(record(record(obj).metadata).deletionTimestamp) ? { deleting: true as const } : {}),
    };
}

/**
 * Being deleted: a Backup in phase `Deleting` (pkg/apis/velero/v1/backup_types.go:357 at
 * v1.18.2, set by the deletion controller), or any object with a deletionTimestamp. Velero
 * will not finish it, so waiting on is pointless.
 */
export function isBeingDeleted(s: VeleroStatus): boolean {
    return s.phase === "Deleting" || s.deleting === true;
}

/** Items done of the total (status.progress), as the progress lines and messages give them. */
export function progressOf(s: VeleroStatus): string {
    return `${s.doneItems}/${s.totalItems} items`;
}

/** A BackupStorageLocation's status as Velero validates it (backupstoragelocation_types.go:63-81 at v1.18.2). */
export interface LocationStatus {
    namespace: string;
    name: string;
    /** Available, Unavailable, or "" before the first validation. */
    phase: string;
    message?: string;
    lastValidationTime?: string;
}

export function readLocation(namespace: string, name: string, obj: unknown): LocationStatus {
    const status = record(isRecord(obj) ? obj.status : undefined);
    const message = str(status.message);
    const lastValidationTime = str(status.lastValidationTime);
    return { namespace, name, phase: str(status.phase) ?? "", ...(message ? { message } : {}), ...(lastValidationTime ? { lastValidationTime } : {}) };
}

/**
 * Why nothing will ever sync from the location, or undefined while it may. Velero's backup
 * sync skips an Unavailable location without a word outside its log
 * (pkg/controller/backup_sync_controller.go:94-96 at v1.18.2), so a gate would wait its full
 * timeout for "not found".
 */
export function locationBlocker(l: LocationStatus | undefined, namespace: string, name: string): string | undefined {
    const what = `BackupStorageLocation ${namespace}/${name}`;
    if (!l) return `${what} does not exist: nothing can sync from it (kubectl -n ${namespace} get backupstoragelocations.velero.io)`;
    if (l.phase !== "Unavailable") return undefined;
    const validated = l.lastValidationTime ? `, last validated ${l.lastValidationTime}` : "";
    return (
        `${what} is Unavailable${validated}: ${l.message ?? "no message given"}; Velero does not sync backups from an unavailable location ` +
        `(inspect with: kubectl -n ${namespace} get backupstoragelocations.velero.io ${name} -o yaml)`
    );
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
    const items = `${progressOf(s)}, ${s.errors} errors, ${s.warnings} warnings`;
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
