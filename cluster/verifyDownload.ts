/**
 * A backup's or restore's files from the bucket, fetched the way the velero CLI does it, through
 * the cluster alone: a DownloadRequest in Velero's namespace for `BackupContents` (the tarball),
 * `BackupVolumeInfos`, `BackupResults` or `RestoreResults` (pkg/apis/velero/v1/download_request_types.go:33-44), whose
 * status Velero fills with a short-lived signed URL (pkg/controller/download_request_controller.go:121-215
 * and pkg/cmd/util/downloadrequest/downloadrequest.go at v1.18.2). Velero deletes the request
 * when the URL expires. The URL carries a signature: it is never printed. The requests to B go
 * through the cluster session (its limits, classification and retries); the bucket is not
 * the API server and has its own time limit.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebStream } from "node:stream/web";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { record, str } from "../rules/objects";
import type { ClusterSession } from "./session";
import { UserError } from "../core/errors";

export interface DownloadOptions {
    /** How long Velero may take to give the URL, and the download to take. */
    timeoutMs: number;
    intervalMs: number;
}

const API = { group: "velero.io", version: "v1", plural: "downloadrequests" };

/** `optional`: a 404 from the bucket means the file was never written (an older backup, a Velero that failed before writing it). */
const TARGETS = {
    BackupContents: { slug: "contents", of: "backup", what: "tarball", optional: false },
    BackupVolumeInfos: { slug: "volumeinfo", of: "backup", what: "volume info", optional: true },
    BackupResults: { slug: "results", of: "backup", what: "results", optional: true },
    RestoreResults: { slug: "results", of: "restore", what: "results", optional: true },
} as const;

export type DownloadTarget = keyof typeof TARGETS;

/**
 * Downloads one of the backup's (or restore's) files into `file`; false when the bucket has no
 * such optional file (a backup without volume info). The URL carries a signature and is never printed.
 */
export async function downloadVeleroFile(session: ClusterSession, namespace: string, owner: string, target: DownloadTarget, file: string, opts: DownloadOptions): Promise<boolean> {
    const { slug, of, what, optional } = TARGETS[target];
    const api = session.api(CustomObjectsApi);
    const name = `${owner.slice(0, 200)}-${slug}-${randomBytes(4).toString("hex")}`;
    const body = { apiVersion: "velero.io/v1", kind: "DownloadRequest", metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "tke2eks" } }, spec: { target: { kind: target, name: owner } } };
    await session.call(`create downloadrequests.velero.io in namespace ${namespace}`, () => api.createNamespacedCustomObject({ ...API, namespace, body }));
    const deadline = Date.now() + opts.timeoutMs;
    let url: string | undefined;
    for (;;) {
        const status = record(record(await session.call(`get downloadrequests.velero.io ${namespace}/${name}`, () => api.getNamespacedCustomObject({ ...API, namespace, name }))).status);
        url = status.phase === "Processed" ? str(status.downloadURL) : undefined;
        if (url) break;
        if (Date.now() >= deadline) {
            throw new UserError(
                `Velero in ${session.where} gave no download URL for ${of} ${owner}'s ${what} within ${Math.round(opts.timeoutMs / 1000)}s (is the ${of} there and its storage location Available? kubectl -n ${namespace} get ${of}s.velero.io,backupstoragelocations)`,
                1,
            );
        }
        await session.sleep(Math.min(opts.intervalMs, Math.max(0, deadline - Date.now())));
    }
    const cannot = `cannot download ${of} ${owner}'s ${what} from the bucket`;
    try {
        // Headers and body within what is left of the wait, at least a second.
        const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) });
        if (response.status === 404 && optional) return false;
        if (!response.ok || !response.body) throw new UserError(`${cannot}: HTTP ${response.status}`, 1);
        await pipeline(Readable.fromWeb(response.body as WebStream<Uint8Array>), fs.createWriteStream(file));
        return true;
    } catch (err) {
        if (err instanceof UserError) throw err;
        const e = err as Error & { cause?: Error };
        throw new UserError(`${cannot}: ${e.cause?.message ?? e.message}`, 1);
    }
}
