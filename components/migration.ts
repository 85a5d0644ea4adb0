/**
 * The whole migration from the stack config: the shared COS store, a Kubernetes provider and
 * Velero per cluster, the CBS snapshot classes, then, from the backup stage on, the run.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tencentcloud from "@pulumi/tencentcloud";
import type { MigrationConfig } from "../config/load";
import { passReaches, stageFrom, type Stage } from "../config/stages";
import { existingBackupStore, type BackupStore } from "./backupStore";
import { CosBackupStore } from "./cosBackupStore";
import { MigrationRun } from "./migrationRun";
import { CLUSTER_ROLES, kubernetesProviderName, legacyKubernetesProviderName, legacyTencentCloudProviderName, TENCENTCLOUD_PROVIDER, type ClusterRole } from "../config/naming";
import type { Fixes } from "../restore/stageFixes";
import { CbsSnapshotClass } from "./snapshotClass";
import type { ClusterInstall } from "./stage";
import { Velero } from "./velero";
import type { AccessMode, OwnLocation } from "./veleroValues";

export interface MigrationArgs {
    config: MigrationConfig;
    /** The run's restore modifiers computed beforehand, or where to read them from (MigrationRunArgs.fixes). */
    fixes?: Fixes;
}

/**
 * The target only ever reads the shared location: it can neither back up into it nor
 * garbage-collect or delete the source's backups there, during the migration or after it
 * (pkg/controller/gc_controller.go:162-166, backup_deletion_controller.go:200 and
 * backup_controller.go:466 at v1.18.2 refuse on a ReadOnly location). Restores still write
 * their logs (restore_controller.go:638, 661 at v1.18.2). The seed sets it back to ReadWrite at the end; we give the target
 * a location of its own instead (targetOwnLocation).
 */
export function bslAccessMode(role: ClusterRole): AccessMode {
    return role === "target" ? "ReadOnly" : "ReadWrite";
}

/** The target's own ReadWrite location, its default, beside the shared prefix. */
export const TARGET_OWN_BSL = "eks";

export function targetOwnLocation(role: ClusterRole, targetPrefix: string): OwnLocation | undefined {
    return role === "target" ? { name: TARGET_OWN_BSL, prefix: targetPrefix } : undefined;
}

/** How often the target lists the bucket while it waits for a backup (Velero's default: 1m). */
export const MIGRATION_SYNC_PERIOD = "15s";

/**
 * The target syncs the shared location often while a backup is on its way to it, so the sync
 * gate opens soon; before and after, the server's default period (the key left out). Set on
 * the location, not the server, so nothing restarts. Velero enqueues each location only every
 * 60 s, so the backup shows up in B within about a minute of completing whatever is set here.
 */
export function backupSyncPeriod(role: ClusterRole, stage: Stage): string | undefined {
    // backup and restore wait for the run's Backup in B, cutover for a new one; complete comes after both.
    return role === "target" && passReaches(stage, "backup") && stage !== "complete" ? MIGRATION_SYNC_PERIOD : undefined;
}

export interface ClusterSummary {
    provider: string;
    context: string;
    namespace: string;
    veleroVersion: string;
    backupStorageLocation: { name: string; accessMode: AccessMode };
    /** The cluster's own default location (the target's), or null. */
    ownStorageLocation: (OwnLocation & { accessMode: AccessMode }) | null;
    snapshotClass: string | null;
    /** Helm's release status, e.g. `deployed`. */
    status: pulumi.Output<string>;
}

export class Migration extends pulumi.ComponentResource {
    readonly store: BackupStore;
    readonly clusters: Record<ClusterRole, ClusterInstall>;
    /** Outputs of the run's steps in this stage, by step name. */
    readonly steps: Record<string, Record<string, pulumi.Input<unknown>>> = {};

    constructor(name: string, args: MigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tke2eks:index:Migration", name, {}, opts);
        const { config } = args;
        const stack = pulumi.getStack();

        // Velero validates its storage location against the bucket right away: after the COS store's resources.
        let storeResources: pulumi.Resource[] = [];
        if (config.store.kind === "cos") {
            const cos = config.store;
            // Provider names hold no stack name, so a stack rename keeps them; aliases from the names they had.
            const tencent = new tencentcloud.Provider(TENCENTCLOUD_PROVIDER, { region: config.region }, { parent: this, aliases: [{ name: legacyTencentCloudProviderName(stack) }] });
            const cosStore = new CosBackupStore(
                `${name}-store`,
                {
                    region: config.region,
                    appId: cos.appId,
                    bucketName: cos.bucketName,
                    prefix: config.prefix,
                    createBucket: cos.createBucket,
                    retentionDays: cos.retentionDays,
                    keyNames: CLUSTER_ROLES,
                    // B's own location (after the migration) needs its key to reach that prefix too.
                    ownPrefixes: { target: config.targetPrefix },
                    keyGenerations: Object.fromEntries(CLUSTER_ROLES.map((role) => [role, config.clusters[role].keyGeneration])),
                    provider: tencent,
                    tags: { stack },
                },
                { parent: this },
            );
            this.store = cosStore;
            storeResources = [cosStore];
        } else {
            const { accessKeyId, secretAccessKey } = config.store;
            this.store = existingBackupStore({ bucket: config.bucket, prefix: config.prefix, region: config.region, s3Url: config.endpoint, accessKeyId, secretAccessKey, keyNames: CLUSTER_ROLES });
        }

        const install = (role: ClusterRole): ClusterInstall => {
            const cluster = config.clusters[role];
            const providerName = kubernetesProviderName(role);
            const provider = new k8s.Provider(
                providerName,
                // The kubeconfig carries credentials: a secret wherever it came from.
                { kubeconfig: pulumi.secret(cluster.kubeconfig.content), context: cluster.kubeconfig.context },
                { parent: this, aliases: [{ name: legacyKubernetesProviderName(stack, role) }] },
            );
            const velero = new Velero(
                `velero-${role}`,
                {
                    role,
                    provider,
                    namespace: cluster.namespace,
                    release: cluster.velero,
                    imageRegistry: config.imageRegistry,
                    bucket: this.store.bucket,
                    prefix: config.prefix,
                    region: config.region,
                    s3Url: config.endpoint,
                    s3ForcePathStyle: config.s3ForcePathStyle,
                    chart: config.chart,
                    accessMode: bslAccessMode(role),
                    backupTtl: config.backupTtl,
                    backupSyncPeriod: backupSyncPeriod(role, config.stage),
                    ownLocation: targetOwnLocation(role, config.targetPrefix),
                    credentials: this.store.credentials[role],
                    values: cluster.values,
                },
                { parent: this, dependsOn: storeResources },
            );
            const result: ClusterInstall = { role, provider, providerName, context: cluster.kubeconfig.context, velero };
            if (config.snapshots.enabled) {
                result.snapshotClass = new CbsSnapshotClass(
                    `snapshots-${role}`,
                    { provider, className: config.snapshots.className, deletionPolicy: config.snapshots.deletionPolicy, apiVersion: cluster.snapshotApiVersion },
                    { parent: this },
                );
            }
            return result;
        };
        this.clusters = { source: install("source"), target: install("target") };

        if (stageFrom(config.stage, "backup")) {
            const run = new MigrationRun(`${name}-run`, { config, store: this.store, clusters: this.clusters, fixes: args.fixes, aliasParent: this }, { parent: this });
            this.steps = run.steps;
        }

        this.registerOutputs({ bucket: this.store.bucket, clusters: this.summary(), steps: this.steps });
    }

    /** Per-cluster facts for the stack outputs. */
    summary(): Record<ClusterRole, ClusterSummary> {
        const one = (c: ClusterInstall): ClusterSummary => ({
            provider: c.providerName,
            context: c.context,
            namespace: c.velero.namespace,
            veleroVersion: c.velero.veleroVersion,
            backupStorageLocation: { name: c.velero.bslName, accessMode: c.velero.accessMode },
            ownStorageLocation: c.velero.ownLocation ? { ...c.velero.ownLocation, accessMode: "ReadWrite" } : null,
            snapshotClass: c.snapshotClass?.className ?? null,
            status: c.velero.status,
        });
        return { source: one(this.clusters.source), target: one(this.clusters.target) };
    }
}
