/**
 * The migration's Velero Backup (in cluster A) and Restore (in cluster B) as plain objects,
 * so what is declared, shown by `tke2eks plan` and judged by the policy pack is exactly this,
 * and tests can hold it against Velero's CRDs.
 */
import type { MigrationConfig } from "../config/load";
import { ownedObjectsSelector } from "./ownership";
import type { KubeObject } from "../rules/types";
import { BSL_NAME } from "../config/naming";

export const VELERO_API_VERSION = "velero.io/v1";

/** Cluster B cannot run DaemonSets (eks-no-daemonset): they stay out unless asked for. */
export const DAEMONSETS = "daemonsets.apps";

/** Labels our objects carry, to find one run's objects. */
export function runLabels(run: string): Record<string, string> {
    return { "app.kubernetes.io/managed-by": "tke2eks", "tke2eks/run": run };
}

/** A list only when it says something: Velero reads an absent list as "no filter". */
function nonEmpty<T>(key: string, list: readonly T[]): Record<string, T[]> {
    return list.length > 0 ? { [key]: [...list] } : {};
}

/** With `*`, the namespaces configured to stay out (tke2eks:backup.wildcardExcludes) are left out too. */
export function backupExcludedNamespaces(b: MigrationConfig["backup"]): string[] {
    const fromWildcard = b.includedNamespaces.includes("*") ? b.wildcardExcludes : [];
    return [...new Set([...b.excludedNamespaces, ...fromWildcard])];
}

/** tke2eks:backup.hooks as the Backup's hooks: one spec per namespace, for its Pods (backup_types.go:197-273 at v1.18.2). */
function backupHooks(hooks: MigrationConfig["backup"]["hooks"]): Record<string, unknown> {
    const exec = (h: (typeof hooks)[string]["pre"][number]) => ({ exec: { ...(h.container ? { container: h.container } : {}), command: h.command, onError: h.onError, timeout: h.timeout } });
    const resources = Object.entries(hooks)
        .filter(([, h]) => h.pre.length + h.post.length > 0)
        .map(([namespace, h]) => ({
            name: `tke2eks-${namespace}`,
            includedNamespaces: [namespace],
            includedResources: ["pods"],
            ...(h.labelSelector ? { labelSelector: h.labelSelector } : {}),
            ...nonEmpty("pre", h.pre.map(exec)),
            ...nonEmpty("post", h.post.map(exec)),
        }));
    return resources.length > 0 ? { hooks: { resources } } : {};
}

export function backupManifest(config: MigrationConfig, run: string): KubeObject {
    const b = config.backup;
    const excludedResources = b.includeDaemonSets || b.excludedResources.includes(DAEMONSETS) ? b.excludedResources : [...b.excludedResources, DAEMONSETS];
    return {
        apiVersion: VELERO_API_VERSION,
        kind: "Backup",
        metadata: { name: run, namespace: config.clusters.source.namespace, labels: runLabels(run) },
        spec: {
            includedNamespaces: b.includedNamespaces,
            ...nonEmpty("excludedNamespaces", backupExcludedNamespaces(b)),
            ...nonEmpty("includedResources", b.includedResources),
            ...nonEmpty("excludedResources", excludedResources),
            ...(b.labelSelector ? { labelSelector: b.labelSelector } : {}),
            ttl: b.ttl,
            storageLocation: BSL_NAME,
            // PVC data moves only as CBS snapshots through the CSI plugin.
            snapshotVolumes: config.snapshots.enabled,
            // File-system backup needs the node-agent DaemonSet, which B cannot run (velero-no-node-agent).
            defaultVolumesToFsBackup: false,
            ...backupHooks(b.hooks),
        },
    };
}

export interface RestoreManifestOptions {
    /** The resource-modifier ConfigMap's name, when there are modifiers. */
    modifiers?: string;
}

export function restoreManifest(config: MigrationConfig, run: string, opts: RestoreManifestOptions = {}): KubeObject {
    const r = config.restore;
    return {
        apiVersion: VELERO_API_VERSION,
        kind: "Restore",
        metadata: { name: run, namespace: config.clusters.target.namespace, labels: runLabels(run) },
        spec: {
            backupName: run,
            ...nonEmpty("includedNamespaces", r.includedNamespaces),
            ...nonEmpty("excludedNamespaces", r.excludedNamespaces),
            ...nonEmpty("includedResources", r.includedResources),
            ...nonEmpty("excludedResources", r.excludedResources),
            ...(Object.keys(r.namespaceMapping).length > 0 ? { namespaceMapping: r.namespaceMapping } : {}),
            // Controller-owned Pods and ReplicaSets stay out; their controllers recreate them from the
            // fixed templates (why a selector, not an exclusion list: restore/ownership.ts).
            labelSelector: ownedObjectsSelector(),
            existingResourcePolicy: r.existingResourcePolicy,
            restorePVs: r.restorePVs,
            ...(opts.modifiers ? { resourceModifier: { kind: "ConfigMap", name: opts.modifiers } } : {}),
        },
    };
}

/** The namespaces the restore writes to in B (empty when the backup takes every namespace). */
export function restoredNamespaces(config: MigrationConfig): string[] {
    const from = config.restore.includedNamespaces.length > 0 ? config.restore.includedNamespaces : config.backup.includedNamespaces;
    if (from.includes("*")) return [];
    const excluded = new Set([...config.backup.excludedNamespaces, ...config.restore.excludedNamespaces]);
    return [...new Set(from.filter((n) => !excluded.has(n)).map((n) => config.restore.namespaceMapping[n] ?? n))].sort();
}
