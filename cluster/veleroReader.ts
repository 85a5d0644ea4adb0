/**
 * Reads one Velero Backup or Restore through the Kubernetes API (read-only `get`), for the
 * poller: 404 is "not there yet" (a Backup cluster B has not synced from the bucket).
 */
import { ApiException, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import type { ObjectReader } from "./awaitVelero";
import type { VeleroOperation } from "./veleroStatus";

const PLURAL: Record<VeleroOperation, string> = { Backup: "backups", Restore: "restores" };

/** The API refused our credentials: polling longer will not help. */
export class AccessDeniedError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "AccessDeniedError";
    }
}

export function veleroReader(kc: KubeConfig, kind: VeleroOperation, namespace: string, name: string): ObjectReader {
    const api = kc.makeApiClient(CustomObjectsApi);
    return async () => {
        try {
            return (await api.getNamespacedCustomObject({ group: "velero.io", version: "v1", namespace, plural: PLURAL[kind], name })) as unknown;
        } catch (err) {
            if (err instanceof ApiException && err.code === 404) return undefined;
            if (err instanceof ApiException && (err.code === 401 || err.code === 403)) {
                const server = kc.getCurrentCluster()?.server ?? "?";
                throw new AccessDeniedError(`cluster ${server} (context ${kc.getCurrentContext()}) refused to show ${PLURAL[kind]}.velero.io ${namespace}/${name}: ${err.code} ${err.code === 401 ? "Unauthorized" : "Forbidden"}`);
            }
            throw err;
        }
    };
}
