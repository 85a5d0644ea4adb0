/**
 * A live cluster as scan input, through the official client and a kubeconfig context:
 * read-only list calls, one kind at a time, all namespaces or the selected ones, paginated
 * with `limit`/`continue` so memory holds one page. Kinds whose API the cluster does not
 * serve (no Velero CRDs, no snapshot CRDs) are skipped; a kind the credentials may not list
 * is reported and the scan goes on; a bad kubeconfig or an unreachable cluster is one line.
 */
import { ApiException, type KubeConfig, KubernetesObjectApi, type KubernetesListObject, type KubernetesObject } from "@kubernetes/client-node";
import { KubeconfigError, loadClientConfig } from "../cluster/kubeconfig";
import { formatGroupResource } from "../modifiers/groupResources";
import { groupOf } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { itemTypeOf, typedItem } from "./typedList";
import { InputError, type ScanEvent } from "./types";

/** What the rules judge, each kind with the API versions to try, preferred first. */
export const CLUSTER_KINDS: readonly { kind: string; apiVersions: readonly string[] }[] = [
    { kind: "Pod", apiVersions: ["v1"] },
    { kind: "PodTemplate", apiVersions: ["v1"] },
    { kind: "ReplicationController", apiVersions: ["v1"] },
    { kind: "Service", apiVersions: ["v1"] },
    { kind: "Deployment", apiVersions: ["apps/v1"] },
    { kind: "StatefulSet", apiVersions: ["apps/v1"] },
    { kind: "ReplicaSet", apiVersions: ["apps/v1"] },
    { kind: "DaemonSet", apiVersions: ["apps/v1"] },
    { kind: "Job", apiVersions: ["batch/v1"] },
    // batch/v1 CronJob from Kubernetes 1.21; TKE 1.18–1.20 serve v1beta1.
    { kind: "CronJob", apiVersions: ["batch/v1", "batch/v1beta1"] },
    { kind: "HorizontalPodAutoscaler", apiVersions: ["autoscaling/v2", "autoscaling/v2beta2", "autoscaling/v1"] },
    // networking.k8s.io/v1 Ingress from 1.19, policy/v1 PDB from 1.21: what A serves is what the API-version check judges.
    { kind: "Ingress", apiVersions: ["networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1"] },
    { kind: "PodDisruptionBudget", apiVersions: ["policy/v1", "policy/v1beta1"] },
    { kind: "PersistentVolumeClaim", apiVersions: ["v1"] },
    { kind: "PersistentVolume", apiVersions: ["v1"] },
    { kind: "StorageClass", apiVersions: ["storage.k8s.io/v1"] },
    { kind: "VolumeSnapshotClass", apiVersions: ["snapshot.storage.k8s.io/v1", "snapshot.storage.k8s.io/v1beta1"] },
    { kind: "BackupStorageLocation", apiVersions: ["velero.io/v1"] },
    { kind: "VolumeSnapshotLocation", apiVersions: ["velero.io/v1"] },
    { kind: "Backup", apiVersions: ["velero.io/v1"] },
    { kind: "Restore", apiVersions: ["velero.io/v1"] },
    { kind: "Schedule", apiVersions: ["velero.io/v1"] },
];

export interface ClusterOptions {
    /** Default: $KUBECONFIG, then ~/.kube/config. */
    kubeconfig?: string;
    /** A kubeconfig's content instead of a file (the migration passes the stack's). */
    content?: string;
    context?: string;
    /** Only these namespaces (cluster-scoped kinds are then skipped); empty for all. */
    namespaces?: readonly string[];
    /** Objects per list call. */
    pageSize?: number;
}

/** The object API with its (protected) discovery lookup made reachable. */
class ObjectApi extends KubernetesObjectApi {
    served(apiVersion: string, kind: string) {
        return this.resource(apiVersion, kind);
    }
}

interface AttributeMap {
    getAttributeTypeMap?: () => { name: string; baseName: string }[];
}

/** The client's typed models back to the API's JSON shape (field names, timestamps). */
function toJson(v: unknown): unknown {
    if (v instanceof Date) return v.toISOString().replace(/\.000Z$/, "Z");
    if (Array.isArray(v)) return v.map(toJson);
    if (typeof v !== "object" || v === null) return v;
    const out: Record<string, unknown> = {};
    const map = (v.constructor as AttributeMap).getAttributeTypeMap?.();
    const source = v as Record<string, unknown>;
    if (map) {
        for (const a of map) if (source[a.name] !== undefined) out[a.baseName] = toJson(source[a.name]);
    } else {
        for (const [k, x] of Object.entries(source)) if (x !== undefined) out[k] = toJson(x);
    }
    return out;
}

export function loadConfig(opts: ClusterOptions): { kc: KubeConfig; context: string } {
    try {
        return loadClientConfig({
            ...(opts.kubeconfig !== undefined ? { file: opts.kubeconfig } : {}),
            ...(opts.content !== undefined ? { content: opts.content, contentName: "(inline)" } : {}),
            ...(opts.context !== undefined ? { context: opts.context } : {}),
        });
    } catch (err) {
        if (err instanceof KubeconfigError) throw new InputError(err.message);
        throw err;
    }
}

export async function* readCluster(opts: ClusterOptions): AsyncGenerator<ScanEvent> {
    const { kc, context } = loadConfig(opts);
    const server = kc.getCurrentCluster()?.server ?? "?";
    const api = kc.makeApiClient(ObjectApi);
    const origin = { cluster: context };
    const namespaces = opts.namespaces ?? [];
    const limit = opts.pageSize ?? 500;

    const fail = (err: unknown, what: string): never => {
        if (err instanceof ApiException && err.code === 401) {
            throw new InputError(`cluster ${server} (context ${context}) refused the credentials: 401 Unauthorized`);
        }
        const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
        throw new InputError(`cannot ${what} on cluster ${server} (context ${context}): ${message}`);
    };

    for (const { kind, apiVersions } of CLUSTER_KINDS) {
        let found: { apiVersion: string; name: string; namespaced: boolean } | undefined;
        for (const apiVersion of apiVersions) {
            try {
                const r = await api.served(apiVersion, kind);
                if (r) {
                    found = { apiVersion, name: r.name, namespaced: r.namespaced };
                    break;
                }
            } catch (err) {
                if (err instanceof ApiException && err.code === 404) continue;
                fail(err, `discover ${apiVersion} ${kind}`);
            }
        }
        if (!found) continue;
        if (namespaces.length > 0 && !found.namespaced) continue;
        const groupResource = formatGroupResource(found.name, groupOf(found.apiVersion));
        for (const ns of namespaces.length > 0 ? namespaces : [undefined]) {
            let token: string | undefined;
            do {
                let page: KubernetesListObject<KubernetesObject>;
                try {
                    page = await api.list(found.apiVersion, kind, ns, undefined, undefined, undefined, undefined, undefined, limit, token);
                } catch (err) {
                    if (err instanceof ApiException && err.code === 403) {
                        const where = ns ? ` in namespace ${ns}` : "";
                        yield { problem: { origin, message: `not allowed to list ${groupResource}${where} (403 Forbidden); those objects were not scanned` } };
                        break;
                    }
                    if (err instanceof ApiException && err.code === 404) break;
                    fail(err, `list ${groupResource}`);
                    break;
                }
                // The API server's typed lists carry no kind on their items: they take the list's.
                const type = itemTypeOf(page) ?? { apiVersion: found.apiVersion, kind };
                for (const raw of page.items) {
                    const obj = typedItem(toJson(raw) as KubeObject, type);
                    yield { item: { obj, origin, groupResource } };
                }
                const meta = (page.metadata ?? {}) as { _continue?: string; continue?: string };
                token = meta._continue ?? meta.continue ?? undefined;
            } while (token);
        }
    }
}
