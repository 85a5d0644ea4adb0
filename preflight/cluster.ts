/**
 * A live cluster as scan input, through the official client and a kubeconfig context:
 * read-only list calls, one kind at a time, all namespaces or the selected ones, paginated
 * with `limit`/`continue` so memory holds one page. Kinds whose API group the cluster does
 * not serve (no Velero CRDs, no snapshot CRDs) are skipped; a kind the credentials may not
 * list is reported and the scan goes on. Every request obeys the session's time limits and
 * retries (cluster/session.ts); a bad kubeconfig, a server that is not a Kubernetes API, a
 * discovery that finds none of the core kinds, a namespace that does not exist or the
 * deadline is one line (UserError).
 */
import { CoreV1Api, KubernetesObjectApi, type KubernetesListObject, type KubernetesObject } from "@kubernetes/client-node";
import { loadClientConfig, type ClientConfig } from "../cluster/kubeconfig";
import { INLINE_KUBECONFIG } from "../cluster/kubeconfigFile";
import { DEFAULT_REQUEST_TIMEOUT, DEFAULT_SCAN_TIMEOUT } from "../cluster/limits";
import { ClusterError } from "../cluster/clusterError";
import { ClusterSession, type Limits } from "../cluster/session";
import { formatGroupResource } from "../modifiers/groupResources";
import { groupOf } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { itemTypeOf, typedItem } from "./typedList";
import type { ScanEvent } from "./types";
import { UserError } from "../core/errors";

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
    /** Time limits; default DEFAULT_REQUEST_TIMEOUT per request, DEFAULT_SCAN_TIMEOUT overall. */
    limits?: Limits;
    /** Told about each failure retried (progress). */
    onRetry?: (message: string) => void;
}

/** Kinds every Kubernetes API server serves: a discovery that finds none of them is broken. */
const CORE_KINDS = ["Pod", "Service", "Deployment", "StatefulSet"];

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

function loadConfig(opts: ClusterOptions): ClientConfig {
    return loadClientConfig({
        ...(opts.kubeconfig !== undefined ? { file: opts.kubeconfig } : {}),
        ...(opts.content !== undefined ? { content: opts.content, contentName: INLINE_KUBECONFIG } : {}),
        ...(opts.context !== undefined ? { context: opts.context } : {}),
    });
}

interface Served {
    kind: string;
    apiVersion: string;
    name: string;
    namespaced: boolean;
}

/** Which API version serves each kind; 404 on a group's discovery means "not served", except for the core API. */
async function discover(session: ClusterSession, api: ObjectApi): Promise<Served[]> {
    const out: Served[] = [];
    for (const { kind, apiVersions } of CLUSTER_KINDS) {
        for (const apiVersion of apiVersions) {
            try {
                const r = await session.call(`discover ${apiVersion} ${kind}`, () => api.served(apiVersion, kind));
                if (r) {
                    out.push({ kind, apiVersion, name: r.name, namespaced: r.namespaced });
                    break;
                }
            } catch (err) {
                if (err instanceof ClusterError && err.status === 404 && apiVersion !== "v1") continue;
                throw err;
            }
        }
    }
    if (!out.some((s) => CORE_KINDS.includes(s.kind))) {
        throw new ClusterError(`the discovery of ${session.where} found none of ${CORE_KINDS.join(", ")}: nothing to scan there (is the server URL right?)`, "permanent");
    }
    return out;
}

/** Each selected namespace must exist; credentials that may not read namespaces skip the check. */
async function checkNamespaces(session: ClusterSession, namespaces: readonly string[]): Promise<void> {
    const core = session.api(CoreV1Api);
    for (const name of namespaces) {
        try {
            await session.call(`get namespace ${name}`, () => core.readNamespace({ name }));
        } catch (err) {
            if (err instanceof ClusterError && err.status === 404) throw new ClusterError(`namespace ${name} does not exist on ${session.where}`, "permanent", 404);
            if (err instanceof ClusterError && err.status === 403) continue;
            throw err;
        }
    }
}

/** A session on the cluster with the scan's limits; without limits given (the restore stage's source-cluster listing) there are no flags to name. */
function openSession(opts: ClusterOptions): ClusterSession {
    const limits = opts.limits ?? { requestMs: DEFAULT_REQUEST_TIMEOUT * 1000, deadlineMs: DEFAULT_SCAN_TIMEOUT * 1000, requestFlag: "the per-request limit", deadlineFlag: "the listing's limit" };
    return new ClusterSession(loadConfig(opts), limits, opts.onRetry);
}

/**
 * Runs `work` on a session that obeys the scan's limits; what the session refuses is one line.
 * A ClusterError is a UserError already, but a deadline's exits 1: re-thrown plain, every
 * cluster failure of a scan exits 2, as docs/cli.md's preflight section says.
 */
export async function withSession<T>(opts: ClusterOptions, work: (session: ClusterSession) => Promise<T>): Promise<T> {
    const session = openSession(opts);
    try {
        return await work(session);
    } catch (err) {
        if (err instanceof ClusterError) throw new UserError(err.message);
        throw err;
    } finally {
        session.close();
    }
}

export async function* readCluster(opts: ClusterOptions): AsyncGenerator<ScanEvent> {
    const session = openSession(opts);
    try {
        yield* list(session, opts);
    } catch (err) {
        if (err instanceof ClusterError) throw new UserError(err.message);
        throw err;
    } finally {
        session.close();
    }
}

async function* list(session: ClusterSession, opts: ClusterOptions): AsyncGenerator<ScanEvent> {
    const api = session.api(ObjectApi);
    const origin = { cluster: session.context };
    const namespaces = opts.namespaces ?? [];
    const limit = opts.pageSize ?? 500;

    await session.checkCoreApi();
    await checkNamespaces(session, namespaces);
    for (const found of await discover(session, api)) {
        const kind = found.kind;
        if (namespaces.length > 0 && !found.namespaced) continue;
        const groupResource = formatGroupResource(found.name, groupOf(found.apiVersion));
        for (const ns of namespaces.length > 0 ? namespaces : [undefined]) {
            let token: string | undefined;
            do {
                let page: KubernetesListObject<KubernetesObject>;
                try {
                    page = await session.call(`list ${groupResource}${ns ? ` in namespace ${ns}` : ""}`, () =>
                        api.list(found.apiVersion, kind, ns, undefined, undefined, undefined, undefined, undefined, limit, token),
                    );
                } catch (err) {
                    if (err instanceof ClusterError && err.status === 403) {
                        const where = ns ? ` in namespace ${ns}` : "";
                        yield { problem: { origin, message: `not allowed to list ${groupResource}${where} (403 Forbidden); those objects were not scanned` } };
                        break;
                    }
                    if (err instanceof ClusterError && err.status === 404) break;
                    throw err;
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
