/**
 * What cluster B holds after a restore, per namespace: Deployments, StatefulSets, Services,
 * PVCs and Pods, each in total and how many carry the run's `velero.io/restore-name` label
 * (what the Restore created; Pods of restored controllers are new and carry no label).
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";

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
 * Counts in the given namespaces; with none given, in the namespaces the Restore created
 * (those labelled with its name).
 */
export async function takeInventory(kc: KubeConfig, restoreName: string, namespaces: readonly string[]): Promise<Inventory> {
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    let names = [...namespaces];
    if (names.length === 0) {
        const list = await core.listNamespace({ labelSelector: `${RESTORE_NAME_LABEL}=${restoreName}` });
        names = list.items.map((n) => n.metadata?.name).filter((n): n is string => !!n);
    }
    const out: Inventory = { restoreName, namespaces: {} };
    for (const namespace of [...names].sort()) {
        const [deployments, statefulSets, services, persistentVolumeClaims, pods] = await Promise.all([
            apps.listNamespacedDeployment({ namespace }),
            apps.listNamespacedStatefulSet({ namespace }),
            core.listNamespacedService({ namespace }),
            core.listNamespacedPersistentVolumeClaim({ namespace }),
            core.listNamespacedPod({ namespace }),
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
