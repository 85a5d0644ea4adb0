/**
 * Writes a backup as Velero v1.18.2 writes one, for tests and the bench:
 * - the tarball: `metadata/version` (pkg/backup/backup.go:1005-1010, "1.1.0"), then for each
 *   item its unversioned copy at resources/<resource>[.<group>]/namespaces/<ns>/<name>.json
 *   (or .../cluster/<name>.json) and the same bytes again under <version>-preferredversion/
 *   (pkg/backup/item_backupper.go:315-323, pkg/archive/filesystem.go:35-37); with
 *   EnableAPIGroupVersions, each other served version is its own item, written only under
 *   <version>/ with that version's apiVersion. Mode 0755, regular files, gzip.
 * - the files next to it in the bucket (pkg/persistence/object_store_layout.go:72-97):
 *   velero-backup.json and <name>-resource-list.json.gz, whose keys are
 *   "<group>/<version>/<Kind>" (or "v1/<Kind>") and values sorted "ns/name" or "name"
 *   (pkg/backup/item_backupper.go:816-819, pkg/backup/backed_up_items_map.go:53-72).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../rules";

export interface BackupItem {
    groupResource: string;
    obj: KubeObject;
    /**
     * The API versions the source served: the preferred one (default: the object's own) and,
     * with EnableAPIGroupVersions, the others, each backed up as its own copy; "none" for a
     * backup written before Velero's format 1.1.0, which has no version folders.
     */
    versions?: { preferred: string; others?: string[] } | "none";
}

interface Meta {
    name?: string;
    namespace?: string;
}

function meta(obj: KubeObject): Meta {
    return (obj.metadata ?? {}) as Meta;
}

function versionOf(apiVersion: unknown): string {
    return String(apiVersion ?? "v1").split("/").pop() as string;
}

function groupOf(apiVersion: unknown): string | undefined {
    const parts = String(apiVersion ?? "v1").split("/");
    return parts.length > 1 ? parts[0] : undefined;
}

export function itemPath(groupResource: string, obj: KubeObject, version?: string): string {
    const m = meta(obj);
    const scope = m.namespace ? `namespaces/${m.namespace}` : "cluster";
    return ["resources", groupResource, version, scope, `${m.name ?? ""}.json`].filter((s) => s !== undefined).join("/");
}

/** Every tar entry Velero writes for one item, with its bytes. */
export function itemEntries(item: BackupItem): { name: string; body: string }[] {
    const body = JSON.stringify(item.obj);
    if (item.versions === "none") return [{ name: itemPath(item.groupResource, item.obj), body }];
    const preferred = item.versions?.preferred ?? versionOf(item.obj.apiVersion);
    const out = [
        { name: itemPath(item.groupResource, item.obj), body },
        { name: itemPath(item.groupResource, item.obj, `${preferred}-preferredversion`), body },
    ];
    const group = groupOf(item.obj.apiVersion);
    for (const v of item.versions?.others ?? []) {
        const other = { ...item.obj, apiVersion: group ? `${group}/${v}` : v };
        out.push({ name: itemPath(item.groupResource, other, v), body: JSON.stringify(other) });
    }
    return out;
}

export async function writeBackup(file: string, items: Iterable<BackupItem>, extra: { name: string; body: string }[] = []): Promise<void> {
    const tar = pack();
    const done = pipeline(tar, createGzip(), fs.createWriteStream(file));
    const add = (name: string, body: string) =>
        new Promise<void>((resolve, reject) => tar.entry({ name, mode: 0o755, type: "file" }, body, (err) => (err ? reject(err) : resolve())));
    await add("metadata/version", "1.1.0\n");
    for (const e of extra) await add(e.name, e.body);
    for (const item of items) for (const e of itemEntries(item)) await add(e.name, e.body);
    tar.finalize();
    await done;
}

/** `<name>-resource-list.json.gz`'s content. */
export function resourceList(items: Iterable<BackupItem>): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const { obj } of items) {
        const m = meta(obj);
        const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
        (out[key] ??= []).push(m.namespace ? `${m.namespace}/${m.name ?? ""}` : (m.name ?? ""));
    }
    for (const names of Object.values(out)) names.sort();
    return out;
}

/** `velero-backup.json`: the Backup object Velero persists once the backup completed. */
export function backupMetadata(name: string, includedNamespaces: string[], items: number): KubeObject {
    return {
        apiVersion: "velero.io/v1",
        kind: "Backup",
        metadata: { name, namespace: "velero", labels: { "velero.io/storage-location": "default" } },
        spec: { includedNamespaces, storageLocation: "default", ttl: "720h0m0s", snapshotMoveData: false },
        status: { version: 1, formatVersion: "1.1.0", phase: "Completed", totalItems: items, itemsBackedUp: items },
    };
}

/** The bucket objects of one backup under `prefix`, keyed as Velero stores them, the tarball read from `tarball`. */
export function backupObjects(prefix: string, name: string, tarball: string, items: BackupItem[], includedNamespaces: string[]): Record<string, Buffer> {
    const dir = `${prefix ? `${prefix}/` : ""}backups/${name}`;
    return {
        [`${dir}/${name}.tar.gz`]: fs.readFileSync(tarball),
        [`${dir}/velero-backup.json`]: Buffer.from(JSON.stringify(backupMetadata(name, includedNamespaces, items.length))),
        [`${dir}/${name}-resource-list.json.gz`]: gzipSync(JSON.stringify(resourceList(items))),
    };
}

const GROUP_RESOURCES: Record<string, string> = {
    Namespace: "namespaces",
    ConfigMap: "configmaps",
    Secret: "secrets",
    Service: "services",
    PersistentVolumeClaim: "persistentvolumeclaims",
    Deployment: "deployments.apps",
    StatefulSet: "statefulsets.apps",
    DaemonSet: "daemonsets.apps",
};

/**
 * An object as the API server returns it and Velero backs it up: uid, resourceVersion,
 * managedFields and status, and on Services the server's defaults (clusterIP, and on
 * NodePort/LoadBalancer Services externalTrafficPolicy: Cluster and auto-assigned nodePorts).
 */
export function liveShaped(obj: KubeObject, n = 0): KubeObject {
    const m = meta(obj);
    const out: KubeObject = {
        ...obj,
        metadata: {
            ...(obj.metadata as object),
            uid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
            resourceVersion: String(1000 + n),
            creationTimestamp: "2026-11-30T08:00:00Z",
            managedFields: [{ manager: "kubectl-client-side-apply", operation: "Update", apiVersion: String(obj.apiVersion), time: "2026-11-30T08:00:00Z", fieldsType: "FieldsV1", fieldsV1: { "f:spec": {} } }],
        },
        status: obj.kind === "Service" ? { loadBalancer: {} } : {},
    };
    if (obj.kind === "Service" && m.name) {
        const spec = { ...((obj.spec ?? {}) as Record<string, unknown>) };
        const external = spec.type === "NodePort" || spec.type === "LoadBalancer";
        if (spec.clusterIP !== "None") Object.assign(spec, { clusterIP: `10.3.0.${10 + n}`, clusterIPs: [`10.3.0.${10 + n}`] });
        if (external) {
            spec.externalTrafficPolicy ??= "Cluster";
            spec.ports = ((spec.ports ?? []) as Record<string, unknown>[]).map((p, i) => ({ protocol: "TCP", ...p, nodePort: p.nodePort ?? 31000 + n * 10 + i }));
        }
        out.spec = { sessionAffinity: "None", ipFamilies: ["IPv4"], ...spec };
    }
    return out;
}

/** The example app's objects (a folder of manifests), live-shaped, as backup items. */
export function manifestItems(dir: string): BackupItem[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), "utf8")).map((d) => d.toJS() as KubeObject))
        .filter((o) => o && typeof o.kind === "string")
        .map((obj, n) => ({ groupResource: GROUP_RESOURCES[String(obj.kind)], obj: liveShaped(obj, n) }));
}
