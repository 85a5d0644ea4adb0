/**
 * What the stack's Backup takes of objects that are not the backup itself (manifests, or
 * cluster A listed live), so the restore stage previews only what the Restore will find:
 * the Backup's namespaces (namespaced objects only, as the fixes take them), its resource
 * filters (DaemonSets stay out unless includeDaemonSets), its label selector and the
 * `velero.io/exclude-from-backup=true` label on objects and namespaces, with
 * Velero's include/exclude semantics (restore/filters.ts).
 */
import { backupManifest } from "./manifests";
import type { MigrationConfig } from "../config/load";
import type { LabelSelector } from "../modifiers/veleroFormat";
import { record, str, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { IncludesExcludes } from "./filters";
import { selectorMatches } from "./ownership";

const EXCLUDE_FROM_BACKUP = "velero.io/exclude-from-backup";

export type BackedUp = (groupResource: string, obj: KubeObject) => boolean;

export function backupScope(config: MigrationConfig): BackedUp {
    const spec = record(backupManifest(config, config.run ?? "").spec) as {
        includedNamespaces?: string[];
        excludedNamespaces?: string[];
        includedResources?: string[];
        excludedResources?: string[];
        labelSelector?: LabelSelector;
    };
    const namespaces = new IncludesExcludes(spec.includedNamespaces, spec.excludedNamespaces);
    const resources = new IncludesExcludes(spec.includedResources, spec.excludedResources, true);
    // Namespaces labelled velero.io/exclude-from-backup=true join the Backup's excludes
    // (backup_controller.go:506-513): known here once their Namespace object went by (manifests
    // list it first; the live listing of cluster A lists no Namespaces).
    const excludedNamespaces = new Set<string>();
    return (groupResource, obj) => {
        const meta = record(obj.metadata);
        const namespace = str(meta.namespace);
        const excludedByLabel = stringMap(meta.labels)[EXCLUDE_FROM_BACKUP] === "true";
        if (groupResource === "namespaces" && excludedByLabel) excludedNamespaces.add(str(meta.name) ?? "");
        if (namespace === undefined || !namespaces.shouldInclude(namespace) || !resources.shouldInclude(groupResource)) return false;
        // An object so labelled is never backed up (pkg/backup/item_backupper.go:116).
        if (excludedByLabel || excludedNamespaces.has(namespace)) return false;
        return !spec.labelSelector || selectorMatches(spec.labelSelector, stringMap(meta.labels));
    };
}
