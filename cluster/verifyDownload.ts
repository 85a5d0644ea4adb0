/**
 * The backup's resource list from the bucket, fetched the way the velero CLI does it, through
 * cluster B alone: a DownloadRequest for `BackupResourceList` in Velero's namespace, whose
 * status Velero fills with a short-lived signed URL (pkg/controller/download_request_controller.go:121-215
 * and pkg/cmd/util/downloadrequest/downloadrequest.go at v1.18.2). Velero deletes the request
 * when the URL expires. The URL carries a signature: it is never printed.
 */
import { randomBytes } from "node:crypto";
import { ApiException, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { record, str } from "../rules/objects";
import { VerifyClusterError } from "./verify";

export interface DownloadOptions {
    timeoutMs: number;
    intervalMs: number;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
}

const API = { group: "velero.io", version: "v1", plural: "downloadrequests" };

function refused(kc: KubeConfig, err: unknown, what: string): VerifyClusterError {
    const code = err instanceof ApiException ? err.code : undefined;
    const server = kc.getCurrentCluster()?.server ?? "?";
    const why = code === 401 ? "401 Unauthorized" : code === 403 ? "403 Forbidden" : (err instanceof Error ? err.message : String(err)).split("\n")[0];
    return new VerifyClusterError(`cluster ${server} (context ${kc.getCurrentContext()}) could not ${what}: ${why}`);
}

export async function downloadResourceList(kc: KubeConfig, namespace: string, backup: string, opts: DownloadOptions): Promise<Buffer> {
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const now = opts.now ?? Date.now;
    const api = kc.makeApiClient(CustomObjectsApi);
    const name = `${backup.slice(0, 200)}-resource-list-${randomBytes(4).toString("hex")}`;
    const body = { apiVersion: "velero.io/v1", kind: "DownloadRequest", metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "tke2eks" } }, spec: { target: { kind: "BackupResourceList", name: backup } } };
    try {
        await api.createNamespacedCustomObject({ ...API, namespace, body });
    } catch (err) {
        throw refused(kc, err, `create downloadrequests.velero.io in namespace ${namespace}`);
    }
    const deadline = now() + opts.timeoutMs;
    let url: string | undefined;
    for (;;) {
        let status: Record<string, unknown>;
        try {
            status = record(record(await api.getNamespacedCustomObject({ ...API, namespace, name })).status);
        } catch (err) {
            throw refused(kc, err, `show downloadrequests.velero.io ${namespace}/${name}`);
        }
        url = status.phase === "Processed" ? str(status.downloadURL) : undefined;
        if (url) break;
        if (now() >= deadline) {
            throw new VerifyClusterError(
                `Velero in cluster B gave no download URL for backup ${backup}'s resource list within ${Math.round(opts.timeoutMs / 1000)}s (is the backup synced to B and its storage location Available? kubectl -n ${namespace} get backups.velero.io,backupstoragelocations)`,
            );
        }
        await sleep(Math.min(opts.intervalMs, Math.max(0, deadline - now())));
    }
    let response: Response;
    try {
        response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, deadline - now())) });
    } catch (err) {
        const e = err as Error & { cause?: Error };
        throw new VerifyClusterError(`cannot download backup ${backup}'s resource list from the bucket: ${e.cause?.message ?? e.message}`);
    }
    if (!response.ok) throw new VerifyClusterError(`cannot download backup ${backup}'s resource list from the bucket: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
}
