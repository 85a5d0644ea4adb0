/**
 * Velero's backup storage locations in both shapes: the chart's
 * `configuration.backupStorageLocation` list and `velero.io/v1` BackupStorageLocation objects.
 */
import { apiVersionOf, array, isRecord, kindOf, pointer, record, str } from "./objects";
import { deepestExisting, helmTruthy, isVeleroRelease, releaseValues, valuesPath } from "./veleroInstall";
import type { KubeObject } from "./types";

export interface StorageLocation {
    name?: string;
    provider?: string;
    bucket?: string;
    prefix?: string;
    /** Provider config (`region`, `s3Url`, ...); values are strings once rendered. */
    config: Record<string, unknown>;
    /** Pointer of the location: the list item, or the object's `/spec`. */
    path: string;
    /** Pointer of the bucket (or the deepest existing place it would go). */
    bucketPath: string;
    /** Pointer of `config` (or the deepest existing place it would go). */
    configPath: string;
    /** Whether `config` exists at `configPath`. */
    hasConfig: boolean;
}

function location(obj: KubeObject, base: (string | number)[], spec: Record<string, unknown>, storage: Record<string, unknown>, storageAt: (string | number)[]): StorageLocation {
    const loc: StorageLocation = {
        config: record(spec.config),
        path: pointer(...base),
        bucketPath: deepestExisting(obj, [...storageAt, "bucket"]),
        configPath: deepestExisting(obj, [...base, "config"]),
        hasConfig: isRecord(spec.config),
    };
    const name = str(spec.name);
    const provider = str(spec.provider);
    const bucket = str(storage.bucket);
    const prefix = str(storage.prefix);
    if (name !== undefined) loc.name = name;
    if (provider !== undefined) loc.provider = provider;
    if (bucket !== undefined) loc.bucket = bucket;
    if (prefix !== undefined) loc.prefix = prefix;
    return loc;
}

export function isBackupStorageLocation(obj: KubeObject): boolean {
    return apiVersionOf(obj) === "velero.io/v1" && kindOf(obj) === "BackupStorageLocation";
}

/** Every location an object declares: the release's list items (when it renders them), or the BSL itself. */
export function storageLocations(obj: KubeObject): StorageLocation[] {
    if (isBackupStorageLocation(obj)) {
        const spec = record(obj.spec);
        const loc = location(obj, ["spec"], spec, record(spec.objectStorage), ["spec", "objectStorage"]);
        const name = str(record(obj.metadata).name);
        if (name !== undefined) loc.name = name;
        return [loc];
    }
    if (!isVeleroRelease(obj)) return [];
    const values = releaseValues(obj);
    // The chart renders no location at all with backupsEnabled: false.
    if (values.backupsEnabled !== undefined && !helmTruthy(values.backupsEnabled)) return [];
    const list = record(values.configuration).backupStorageLocation;
    const out: StorageLocation[] = [];
    array(list).forEach((item, i) => {
        if (!isRecord(item)) return;
        const at = ["values", "configuration", "backupStorageLocation", i];
        out.push(location(obj, at, item, item, at));
    });
    return out;
}

/** The pointer of a release's `configuration.backupStorageLocation` when it is a map (the chart ignores it). */
export function storageLocationMap(obj: KubeObject): string | undefined {
    if (!isVeleroRelease(obj)) return undefined;
    return isRecord(record(releaseValues(obj).configuration).backupStorageLocation) ? valuesPath("configuration", "backupStorageLocation") : undefined;
}

/** Bucket and prefix as Velero resolves them (it appends the trailing slash itself). */
export function storeKey(loc: StorageLocation): { bucket: string; prefix: string } {
    return { bucket: loc.bucket ?? "", prefix: (loc.prefix ?? "").replace(/\/+$/, "") };
}
