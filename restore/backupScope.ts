/**
 * What the stack's Backup takes of objects that are not the backup itself (manifests, or
 * cluster A listed live), so the restore stage previews only what the Restore will find:
 * the Backup's namespaces (namespaced objects only, as the fixes take them), its resource
 * filters (DaemonSets stay out unless includeDaemonSets) and its label selector, with
 * Velero's include/exclude semantics (restore/filters.ts).
 */
import { backupManifest } from "./manifests";
import type { MigrationConfig } from "../config/load";
import type { LabelSelector } from "../modifiers/veleroFormat";
import { record, str, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { IncludesExcludes } from "./filters";
import { selectorMatches } from "./ownership";

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
    return (groupResource, obj) => {
        const meta = record(obj.metadata);
        const namespace = str(meta.namespace);
        if (namespace === undefined || !namespaces.shouldInclude(namespace) || !resources.shouldInclude(groupResource)) return false;
        return !spec.labelSelector || selectorMatches(spec.labelSelector, stringMap(meta.labels));
    };
}
