import { cosEndpoint, cosEndpointRegion } from "../../core/names";
import { describe, escapePointer, str } from "../objects";
import { configTrue, readVeleroInstall } from "../veleroInstall";
import { storageLocationMap, storageLocations, storeKey, type StorageLocation } from "../veleroStorage";
import { AWS_PLUGIN_CHECKSUMS_FROM, versionAtLeast } from "../veleroVersions";
import type { AggregateFinding, Aggregator, KubeObject, ObjectRef, RawFinding, Rule } from "../types";
import { HELM_RELEASES, veleroKinds } from "../kinds";

const AWS_PROVIDERS = new Set(["aws", "velero.io/aws"]);
/** Velero's guide to COS as a backup store: s3Url is the region's service endpoint. */
const TENCENT_CONFIG_DOC = "https://velero.io/docs/v1.18/contributions/tencent-config/";

/** `<BucketName>-<APPID>`: lowercase letters, digits and inner hyphens, then the account's numeric APPID. */
const COS_BUCKET = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-\d{7,}$/;
/** Tencent regions (ap-guangzhou, na-siliconvalley, ap-shanghai-fsi) never end in a digit, AWS ones always do. */
const TENCENT_REGION = /^(?:ap|na|sa|eu|me)-[a-z]+(?:-[a-z]+)?$/;

function isCos(loc: StorageLocation): boolean {
    if (!AWS_PROVIDERS.has(loc.provider ?? "")) return false;
    const url = str(loc.config.s3Url) ?? "";
    const region = str(loc.config.region) ?? "";
    return /\.(?:myqcloud\.com|tencentcos\.cn)(?:[/:]|$)/.test(url) || TENCENT_REGION.test(region);
}

function configPath(loc: StorageLocation, key: string): string {
    return loc.hasConfig && key in loc.config ? `${loc.configPath}/${escapePointer(key)}` : loc.configPath;
}

function where(loc: StorageLocation): string {
    return `backup storage location ${loc.name ?? "default"}`;
}

/** The aws plugin's version when the object names it (a release's init containers), else undefined. */
function awsPluginTag(obj: KubeObject): string | undefined {
    return readVeleroInstall(obj)?.plugins.find((p) => p.kind === "aws")?.tag;
}

function checkCos(loc: StorageLocation, pluginTag: string | undefined): RawFinding[] {
    const out: RawFinding[] = [];
    const cfg = loc.config;
    const region = str(cfg.region);
    const s3Url = str(cfg.s3Url);
    const expected = cosEndpoint(region ?? "<region>");

    if (configTrue(cfg.s3ForcePathStyle)) {
        const path = configPath(loc, "s3ForcePathStyle");
        out.push({
            path,
            message: `${where(loc)} sets s3ForcePathStyle "true" at ${path}: COS refuses path-style requests (403 PathStyleDomainForbidden) for buckets created from 2024-01-01 on (https://github.com/velero-io/velero/issues/7624); only older buckets accept it`,
            fix: `set s3ForcePathStyle: "false" (virtual-hosted addressing works for every COS bucket)`,
            advisory: true,
        });
    }
    // Plugins before v1.9.1 send no checksums; an unknown plugin is assumed current.
    if (pluginTag === undefined || versionAtLeast(pluginTag, AWS_PLUGIN_CHECKSUMS_FROM) !== false) {
        if (cfg.checksumAlgorithm !== "") {
            const path = configPath(loc, "checksumAlgorithm");
            const now = "checksumAlgorithm" in cfg ? `is ${JSON.stringify(cfg.checksumAlgorithm)}` : "is not set";
            out.push({
                path,
                message: `${where(loc)}: checksumAlgorithm ${now} (at ${path}): velero-plugin-for-aws v1.9.1 and later add request checksums that COS and other S3-compatible stores reject`,
                fix: `set checksumAlgorithm: "" in the location's config (honoured from plugin v1.9.2)`,
            });
        }
    }
    if (region === undefined || region.trim() === "") {
        out.push({
            path: configPath(loc, "region"),
            message: `${where(loc)} has no region at ${configPath(loc, "region")}: the aws plugin needs the COS region to sign requests`,
            fix: `set region to the bucket's region, e.g. ap-guangzhou`,
        });
    }
    if (s3Url === undefined) {
        out.push({
            path: configPath(loc, "s3Url"),
            message: `${where(loc)} has no s3Url at ${configPath(loc, "s3Url")}: without it the aws plugin talks to AWS S3, not COS`,
            fix: `set s3Url: ${expected}`,
        });
    } else {
        const endpointRegion = cosEndpointRegion(s3Url.trim());
        const path = configPath(loc, "s3Url");
        if (endpointRegion === undefined) {
            out.push({
                path,
                message: `${where(loc)} s3Url "${s3Url}" at ${path} is not COS's service endpoint https://cos.<region>.myqcloud.com (${TENCENT_CONFIG_DOC})`,
                fix: `set s3Url: ${expected} (no bucket in the host, https)`,
            });
        } else if (region !== undefined && region.trim() !== "" && endpointRegion !== region.trim()) {
            out.push({
                path,
                message: `${where(loc)} s3Url "${s3Url}" at ${path} is in region ${endpointRegion} but region is ${region}: requests are signed for the wrong region`,
                fix: `make s3Url ${expected} and region the bucket's region`,
            });
        }
    }
    if (!COS_BUCKET.test(loc.bucket ?? "")) {
        out.push({
            path: loc.bucketPath,
            message: `${where(loc)} bucket "${loc.bucket ?? ""}" at ${loc.bucketPath} is not a COS bucket name <BucketName>-<APPID> (e.g. velero-1250000000)`,
            fix: `use the full COS bucket name, with the account's APPID after the last hyphen`,
        });
    }
    return out;
}

interface Placed {
    ref: ObjectRef;
    loc: StorageLocation;
}

function storeName(loc: StorageLocation): string {
    const { bucket, prefix } = storeKey(loc);
    return prefix ? `${bucket}/${prefix}` : bucket;
}

/** Two or more clusters share the backup store only when they all have a location on the same bucket and prefix. */
function aggregate(): Aggregator {
    const clusters = new Map<string, Placed[]>();
    return {
        add(obj, ref) {
            for (const loc of storageLocations(obj)) {
                const key = ref.cluster ?? "";
                clusters.set(key, [...(clusters.get(key) ?? []), { ref, loc }]);
            }
        },
        finish() {
            if (clusters.size < 2) return [];
            const stores = [...clusters.values()].map((placed) => new Set(placed.map((p) => storeName(p.loc))));
            const shared = [...stores[0]].filter((s) => stores.every((set) => set.has(s)));
            if (shared.length > 0) return [];
            const summary = [...clusters.entries()].map(([cluster, placed]) => `${cluster || "(no cluster)"}: ${[...new Set(placed.map((p) => storeName(p.loc)))].join(", ")}`).join("; ");
            const out: AggregateFinding[] = [];
            for (const [cluster, placed] of clusters) {
                const first = placed[0];
                out.push({
                    object: first.ref,
                    path: first.loc.path,
                    message: `${describe(first.ref)} (location at ${first.loc.path}, cluster ${cluster || "(no cluster)"}) shares no bucket and prefix with the other clusters (${summary}): the target learns about backups only by syncing the store the source writes to`,
                    fix: `point both clusters' BackupStorageLocations at the same COS bucket and prefix`,
                });
            }
            return out;
        },
    };
}

/** COS settings that break Velero, and clusters that do not share one backup store. */
export const veleroCosStorage: Rule<"velero-cos-storage"> = {
    id: "velero-cos-storage",
    defaultLevel: "mandatory",
    title: "Velero on COS",
    why: `both clusters must use the same COS bucket and prefix, addressed the way COS accepts (${TENCENT_CONFIG_DOC}; COS refuses path-style requests to buckets made since 2024: https://github.com/velero-io/velero/issues/7624)`,
    fix: "use provider aws with s3Url https://cos.<region>.myqcloud.com, the bucket's region, s3ForcePathStyle \"false\", checksumAlgorithm \"\", the same bucket and prefix in both clusters",
    policy: { onAnyCluster: [...HELM_RELEASES, ...veleroKinds("BackupStorageLocation")], aggregate: "all-clusters" },
    check(obj) {
        const out: RawFinding[] = [];
        const map = storageLocationMap(obj);
        if (map !== undefined) {
            out.push({
                path: map,
                message: `Velero release value configuration.backupStorageLocation at ${map} is a map: chart 3 and later render locations only from a list, so this one is silently dropped (chart 12's values.schema.json refuses it)`,
                fix: "write it as a list: backupStorageLocation: [{ name: default, provider: aws, bucket: ..., config: {...} }]",
            });
        }
        const locations = storageLocations(obj).filter(isCos);
        if (locations.length === 0) return out;
        const pluginTag = awsPluginTag(obj);
        for (const loc of locations) out.push(...checkCos(loc, pluginTag));
        return out;
    },
    aggregate,
};
