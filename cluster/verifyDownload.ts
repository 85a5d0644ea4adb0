/**
 * The backup's resource list from the bucket, fetched the way the velero CLI does it, through
 * cluster B alone: a DownloadRequest for `BackupResourceList` in Velero's namespace, whose
 * status Velero fills with a short-lived signed URL (pkg/controller/download_request_controller.go:121-215
 * and pkg/cmd/util/downloadrequest/downloadrequest.go at v1.18.2). Velero deletes the request
 * when the URL expires. The URL carries a signature: it is never printed. The requests to B go
 * through the cluster session (its limits, classification and retries); the bucket is not
 * the API server and has its own time limit.
 */
import { randomBytes } from "node:crypto";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { record, str } from "../rules/objects";
import type { ClusterSession } from "./session";
import { UserError } from "../core/errors";
import { maxEntryBytes, tooBig } from "../core/limits";

export interface DownloadOptions {
    /** How long Velero may take to give the URL, and the download to take. */
    timeoutMs: number;
    intervalMs: number;
}

const API = { group: "velero.io", version: "v1", plural: "downloadrequests" };

export async function downloadResourceList(session: ClusterSession, namespace: string, backup: string, opts: DownloadOptions): Promise<Buffer> {
    const api = session.api(CustomObjectsApi);
    const name = `${backup.slice(0, 200)}-resource-list-${randomBytes(4).toString("hex")}`;
    const body = { apiVersion: "velero.io/v1", kind: "DownloadRequest", metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "tke2eks" } }, spec: { target: { kind: "BackupResourceList", name: backup } } };
    await session.call(`create downloadrequests.velero.io in namespace ${namespace}`, () => api.createNamespacedCustomObject({ ...API, namespace, body }));
    const deadline = Date.now() + opts.timeoutMs;
    let url: string | undefined;
    for (;;) {
        const status = record(record(await session.call(`get downloadrequests.velero.io ${namespace}/${name}`, () => api.getNamespacedCustomObject({ ...API, namespace, name }))).status);
        url = status.phase === "Processed" ? str(status.downloadURL) : undefined;
        if (url) break;
        if (Date.now() >= deadline) {
            throw new UserError(
                `Velero in cluster B gave no download URL for backup ${backup}'s resource list within ${Math.round(opts.timeoutMs / 1000)}s (is the backup synced to B and its storage location Available? kubectl -n ${namespace} get backups.velero.io,backupstoragelocations)`,
                1,
            );
        }
        await session.sleep(Math.min(opts.intervalMs, Math.max(0, deadline - Date.now())));
    }
    const cannot = `cannot download backup ${backup}'s resource list from the bucket`;
    try {
        // Headers and body within what is left of the wait, at least a second.
        const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) });
        if (!response.ok) throw new UserError(`${cannot}: HTTP ${response.status}`, 1);
        const max = maxEntryBytes();
        if (Number(response.headers.get("content-length") ?? 0) > max) throw tooBig(`backup ${backup}'s resource list in the bucket`, max);
        return Buffer.from(await response.arrayBuffer());
    } catch (err) {
        if (err instanceof UserError) throw err;
        const e = err as Error & { cause?: Error };
        throw new UserError(`${cannot}: ${e.cause?.message ?? e.message}`, 1);
    }
}
