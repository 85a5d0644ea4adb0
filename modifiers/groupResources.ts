/**
 * Velero matches a resource modifier on the group-resource it restores (`deployments.apps`,
 * `services` for the core group). A backup stores each object under its group-resource; for
 * manifests we derive it from kind and apiVersion with this table of the kinds the automatic
 * fixes patch. Legacy groups map to the group serving the kind today: a TKE ≥ 1.18 cluster
 * backs up a Deployment written as extensions/v1beta1 as `deployments.apps`.
 */
import { groupOf } from "../rules/objects";

interface KindEntry {
    /** Lower-case plural, as the API serves it. */
    resource: string;
    /** The group serving the kind today ("" for core). */
    group: string;
    /** Older groups the kind was once served from. */
    legacyGroups?: string[];
}

const KINDS: Record<string, KindEntry> = {
    Pod: { resource: "pods", group: "" },
    PodTemplate: { resource: "podtemplates", group: "" },
    ReplicationController: { resource: "replicationcontrollers", group: "" },
    Service: { resource: "services", group: "" },
    Deployment: { resource: "deployments", group: "apps", legacyGroups: ["extensions"] },
    DaemonSet: { resource: "daemonsets", group: "apps", legacyGroups: ["extensions"] },
    ReplicaSet: { resource: "replicasets", group: "apps", legacyGroups: ["extensions"] },
    StatefulSet: { resource: "statefulsets", group: "apps" },
    Job: { resource: "jobs", group: "batch" },
    CronJob: { resource: "cronjobs", group: "batch" },
    VolumeSnapshotClass: { resource: "volumesnapshotclasses", group: "snapshot.storage.k8s.io" },
    BackupStorageLocation: { resource: "backupstoragelocations", group: "velero.io" },
    VolumeSnapshotLocation: { resource: "volumesnapshotlocations", group: "velero.io" },
    Backup: { resource: "backups", group: "velero.io" },
    Restore: { resource: "restores", group: "velero.io" },
    Schedule: { resource: "schedules", group: "velero.io" },
};

/** `resource.group`, or just `resource` for the core group. */
export function formatGroupResource(resource: string, group: string): string {
    return group === "" ? resource : `${resource}.${group}`;
}

/** The group-resource Velero restores an object of this kind under; `undefined` if not in the table. */
export function groupResourceOf(apiVersion: string, kind: string): string | undefined {
    if (!Object.prototype.hasOwnProperty.call(KINDS, kind)) return undefined;
    const entry = KINDS[kind];
    const group = groupOf(apiVersion);
    if (group !== entry.group && !entry.legacyGroups?.includes(group)) return undefined;
    return formatGroupResource(entry.resource, entry.group);
}
