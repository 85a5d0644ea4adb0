/**
 * Reads one Velero Backup or Restore through the Kubernetes API (read-only `get`), for the
 * poller: 404 is "not there yet" (a Backup cluster B has not synced from the bucket); every
 * other failure is the session's to classify and retry.
 */
import { ApiException, CustomObjectsApi } from "@kubernetes/client-node";
import type { ObjectReader } from "./awaitVelero";
import type { ClusterSession } from "./session";
import type { VeleroOperation } from "./veleroStatus";

const PLURAL: Record<VeleroOperation, string> = { Backup: "backups", Restore: "restores" };

export function veleroReader(session: ClusterSession, kind: VeleroOperation, namespace: string, name: string): ObjectReader {
    return objectReader(session, PLURAL[kind], namespace, name);
}

/** A BackupStorageLocation, for the sync gate; `undefined` when it does not exist. */
export function locationReader(session: ClusterSession, namespace: string, name: string): ObjectReader {
    return objectReader(session, "backupstoragelocations", namespace, name);
}

function objectReader(session: ClusterSession, plural: string, namespace: string, name: string): ObjectReader {
    const api = session.api(CustomObjectsApi);
    const what = `get ${plural}.velero.io ${namespace}/${name}`;
    return () =>
        session.call(what, async () => {
            try {
                return (await api.getNamespacedCustomObject({ group: "velero.io", version: "v1", namespace, plural, name })) as unknown;
            } catch (err) {
                if (err instanceof ApiException && err.code === 404) return undefined;
                throw err;
            }
        });
}
