/**
 * What cluster B holds after a restore, per namespace: Deployments, StatefulSets, Services,
 * PVCs and Pods, each in total and how many carry the run's `velero.io/restore-name` label
 * (what the Restore created; Pods of restored controllers are new and carry no label).
 */
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { ClusterError } from "./clusterError";
import type { ClusterSession } from "./session";

export const INVENTORY_KINDS = ["deployments", "statefulSets", "services", "persistentVolumeClaims", "pods"] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

export interface Count {
    total: number;
    /** Labelled with this run's restore name. */
    restored: number;
}

export type NamespaceInventory = Record<InventoryKind, Count>;

export interface Inventory {
    restoreName: string;
    namespaces: Record<string, NamespaceInventory>;
}

/** Velero labels every object it restores with the Restore's name. */
export const RESTORE_NAME_LABEL = "velero.io/restore-name";

interface Listed {
    items: { metadata?: { labels?: Record<string, string> } }[];
}

function count(list: Listed, restoreName: string): Count {
    return { total: list.items.length, restored: list.items.filter((i) => i.metadata?.labels?.[RESTORE_NAME_LABEL] === restoreName).length };
}

/**
 * Counts in the given namespaces (each must exist: counting nothing in a mistyped namespace
 * is no check); with none given, in the namespaces the Restore created (those labelled with
 * its name). Every request goes through the session: its time limits, classification and retries.
 */
export async function takeInventory(session: ClusterSession, restoreName: string, namespaces: readonly string[]): Promise<Inventory> {
    const core = session.api(CoreV1Api);
    const apps = session.api(AppsV1Api);
    let names = [...namespaces];
    if (names.length === 0) {
        const list = await session.call(`list namespaces labelled ${RESTORE_NAME_LABEL}=${restoreName}`, () => core.listNamespace({ labelSelector: `${RESTORE_NAME_LABEL}=${restoreName}` }));
        names = list.items.map((n) => n.metadata?.name).filter((n): n is string => !!n);
    } else {
        for (const name of names) {
            await session.call(`get namespace ${name}`, () => core.readNamespace({ name })).catch((err: unknown) => {
                if (err instanceof ClusterError && err.status === 404) throw new ClusterError(`namespace ${name} does not exist on ${session.where}`, "permanent", 404);
                throw err;
            });
        }
    }
    const out: Inventory = { restoreName, namespaces: {} };
    for (const namespace of [...names].sort()) {
        const list = <T>(what: string, request: () => Promise<T>) => session.call(`list ${what} in namespace ${namespace}`, request);
        const [deployments, statefulSets, services, persistentVolumeClaims, pods] = await Promise.all([
            list("deployments.apps", () => apps.listNamespacedDeployment({ namespace })),
            list("statefulsets.apps", () => apps.listNamespacedStatefulSet({ namespace })),
            list("services", () => core.listNamespacedService({ namespace })),
            list("persistentvolumeclaims", () => core.listNamespacedPersistentVolumeClaim({ namespace })),
            list("pods", () => core.listNamespacedPod({ namespace })),
        ]);
        out.namespaces[namespace] = {
            deployments: count(deployments, restoreName),
            statefulSets: count(statefulSets, restoreName),
            services: count(services, restoreName),
            persistentVolumeClaims: count(persistentVolumeClaims, restoreName),
            pods: count(pods, restoreName),
        };
    }
    return out;
}
