/**
 * The Velero chart values for one cluster, as plain data so that what the policy pack judges
 * is exactly what Helm gets. Every key here exists in the chart's values.yaml (tested).
 */
import type { VeleroRelease } from "../config/veleroRelease";
import { mergeValues, type Values } from "./helmValues";

export type AccessMode = "ReadWrite" | "ReadOnly";

export interface VeleroValuesArgs {
    release: VeleroRelease;
    /**
     * Registry (and path) every image the chart runs is pulled from, e.g. docker.io (the
     * default: Docker Hub for Velero, registry.k8s.io for kubectl) or a mirror holding
     * velero/velero, velero/velero-plugin-for-aws and kubectl.
     */
    imageRegistry: string;
    /** Full COS bucket name, `<name>-<appId>`. */
    bucket: string;
    prefix: string;
    region: string;
    /** The bucket's S3 endpoint: the region's COS endpoint, or the user's own store's. */
    s3Url: string;
    s3ForcePathStyle: boolean;
    /** The shared (migration) BackupStorageLocation's name, the same on both clusters. */
    bslName: string;
    accessMode: AccessMode;
    /** Secret in the Velero namespace holding the `cloud` credentials file. */
    credentialsSecret: string;
    /** Velero's default backup TTL. */
    backupTtl: string;
    /**
     * How often Velero may sync the shared location's backups, set on the location itself (no
     * pod restart); absent: the server's default (1m).
     */
    backupSyncPeriod?: string;
    /**
     * A ReadWrite location of the cluster's own, in the same bucket under another prefix, made
     * the default for the cluster's backups; the shared location is then not the default.
     */
    ownLocation?: OwnLocation;
    /** The user's own chart values, laid over ours. */
    extra?: Values;
}

/**
 * Serverless pods are sized by max(sum of requests, max of limits), rounded up to a
 * supported spec: ask for exactly a spec (requests = limits) so the bill is what we asked.
 */
export const SERVER_RESOURCES = { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } };
/** Plugin copies and the CRD-upgrade job: the smallest spec. */
export const SMALL_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "250m", memory: "512Mi" } };

/** The registry meaning "each image from its upstream registry". */
export const DEFAULT_REGISTRY = "docker.io";

/** Velero ≥ 1.14 has the CSI plugin built in, but the feature flag is still needed. */
export const VELERO_FEATURES = "EnableCSI,EnableAPIGroupVersions";

function pluginContainer(name: string, image: string): Values {
    return {
        name,
        image,
        imagePullPolicy: "IfNotPresent",
        resources: SMALL_RESOURCES,
        // Plugins copy their binary into the server's plugin folder on start.
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
    };
}

export interface OwnLocation {
    name: string;
    prefix: string;
}

export function veleroValues(a: VeleroValuesArgs): Values {
    const registry = a.imageRegistry.replace(/\/+$/, "");
    const initContainers = [pluginContainer("velero-plugin-for-aws", `${registry}/velero/velero-plugin-for-aws:${a.release.awsPlugin}`)];
    if (a.release.csiPlugin) {
        initContainers.push(pluginContainer("velero-plugin-for-csi", `${registry}/velero/velero-plugin-for-csi:${a.release.csiPlugin}`));
    }

    // The chart renders every config value as a string; COS specifics: https://velero.io/docs/v1.18/contributions/tencent-config/ and rules/velero-cos-storage.ts.
    const config = {
        region: a.region,
        s3Url: a.s3Url,
        s3ForcePathStyle: String(a.s3ForcePathStyle),
        ...(a.release.checksumAlgorithmConfig ? { checksumAlgorithm: "" } : {}),
    };
    const locations: Values[] = [
        {
            name: a.bslName,
            provider: "aws",
            bucket: a.bucket,
            prefix: a.prefix,
            default: !a.ownLocation,
            accessMode: a.accessMode,
            // The chart's per-location key (values.yaml:415 in chart 12.1.0) lands on the
            // BackupStorageLocation; its `configuration.backupSyncPeriod` (values.yaml:482) is the
            // server flag, which changes the Deployment and restarts the pod. Velero enqueues each
            // location for sync every 60 s and this period only filters
            // (pkg/controller/backup_sync_controller.go:49,294-303,385-407 at v1.18.2).
            ...(a.backupSyncPeriod ? { backupSyncPeriod: a.backupSyncPeriod } : {}),
            config,
        },
    ];
    if (a.ownLocation) {
        locations.push({ name: a.ownLocation.name, provider: "aws", bucket: a.bucket, prefix: a.ownLocation.prefix, default: true, accessMode: "ReadWrite", config: { ...config } });
    }

    const values: Values = {
        image: { repository: `${registry}/velero/velero`, tag: a.release.velero },
        initContainers,
        resources: SERVER_RESOURCES,
        upgradeCRDs: a.release.upgradeCRDs,
        upgradeJobResources: SMALL_RESOURCES,
        // The CRD upgrade job's kubectl (registry.k8s.io/kubectl, tagged with the cluster's
        // Kubernetes version by the chart) comes from the mirror too.
        kubectl: registry === DEFAULT_REGISTRY ? { resources: SMALL_RESOURCES } : { image: { repository: `${registry}/kubectl` }, resources: SMALL_RESOURCES },
        configuration: {
            backupStorageLocation: locations,
            // The server marks the location of this name default at start
            // (pkg/cmd/server/server.go:396-421 at v1.18.2): it must be the one we mean.
            ...(a.ownLocation ? { defaultBackupStorageLocation: a.ownLocation.name } : {}),
            features: VELERO_FEATURES,
            defaultBackupTTL: a.backupTtl,
        },
        credentials: { useSecret: true, existingSecret: a.credentialsSecret },
        // CSI snapshots only: a VolumeSnapshotLocation would need a provider we do not have.
        snapshotsEnabled: false,
        // The serverless cluster cannot run the node-agent DaemonSet (velero-no-node-agent).
        deployNodeAgent: false,
    };
    return a.extra ? mergeValues(values, a.extra) : values;
}
