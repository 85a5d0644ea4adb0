/**
 * Velero on one cluster, installed the same careful way on both: its namespace, the COS
 * credentials Secret, and the vmware-tanzu chart pinned to one version, all through the
 * cluster's own Kubernetes provider.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChartSource } from "../config/load";
import type { CosCredentials } from "./cosBackupStore";
import type { Values } from "./helmValues";
import { BSL_NAME, type ClusterRole } from "../config/naming";
import { PINNED_CHART } from "../rules/veleroVersions";
import { veleroValues, type AccessMode, type OwnLocation, type VeleroValuesArgs } from "./veleroValues";

/** What the install shares with the chart values; the rest the component derives itself. */
export interface VeleroArgs extends Omit<VeleroValuesArgs, "bslName" | "credentialsSecret" | "extra"> {
    role: ClusterRole;
    /** The cluster's Kubernetes provider; every child uses it. */
    provider: k8s.Provider;
    namespace: string;
    credentials: CosCredentials;
    /** Where Helm takes the chart (at PINNED_CHART's version). */
    chart: ChartSource;
    /** The user's chart values, laid over ours. */
    values?: Values;
}

/** Helm release name, so the Deployment is `velero` as with `velero install`. */
export const RELEASE_NAME = "velero";
export const CREDENTIALS_SECRET = "velero-cos-credentials";

/** The shared-credentials file velero-plugin-for-aws reads (profile `default`). */
export function credentialsFile(accessKeyId: string, secretAccessKey: string): string {
    return `[default]\naws_access_key_id=${accessKeyId}\naws_secret_access_key=${secretAccessKey}\n`;
}

/** The Release's chart inputs: a repository's chart by name, an OCI reference or a local .tgz, always at the pinned version. */
export function chartInputs(source: ChartSource): Pick<k8s.helm.v3.ReleaseArgs, "chart" | "version" | "repositoryOpts"> {
    switch (source.kind) {
        case "repository":
            return { chart: PINNED_CHART.name, version: PINNED_CHART.version, repositoryOpts: { repo: source.url } };
        case "oci":
            return { chart: source.ref, version: PINNED_CHART.version };
        case "file":
            return { chart: source.path, version: PINNED_CHART.version };
    }
}

export class Velero extends pulumi.ComponentResource {
    readonly role: ClusterRole;
    readonly namespace: string;
    readonly bslName = BSL_NAME;
    readonly accessMode: AccessMode;
    /** The cluster's own default location, when it has one besides the shared one. */
    readonly ownLocation: OwnLocation | undefined;
    readonly veleroVersion: string;
    /** The chart values given to Helm. */
    readonly values: Values;
    readonly release: k8s.helm.v3.Release;
    /** Helm's status of the release, e.g. `deployed`. */
    readonly status: pulumi.Output<string>;

    constructor(name: string, args: VeleroArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tke2eks:velero:Velero", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        this.role = args.role;
        this.namespace = args.namespace;
        this.accessMode = args.accessMode;
        this.ownLocation = args.ownLocation;
        this.veleroVersion = args.release.velero;

        const labels = { "app.kubernetes.io/part-of": "tke2eks", "tke2eks/cluster": args.role };
        // Kept on destroy: it holds the Backups and Restores, the migration's history.
        const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: args.namespace, labels } }, { ...child, retainOnDelete: true });

        const secret = new k8s.core.v1.Secret(
            `${name}-credentials`,
            {
                metadata: { name: CREDENTIALS_SECRET, namespace: ns.metadata.name, labels },
                type: "Opaque",
                stringData: {
                    cloud: pulumi.secret(pulumi.all([args.credentials.accessKeyId, args.credentials.secretAccessKey]).apply(([id, key]) => credentialsFile(id, key))),
                },
            },
            child,
        );

        this.values = veleroValues({
            release: args.release,
            imageRegistry: args.imageRegistry,
            bucket: args.bucket,
            prefix: args.prefix,
            region: args.region,
            s3Url: args.s3Url,
            s3ForcePathStyle: args.s3ForcePathStyle,
            bslName: BSL_NAME,
            accessMode: args.accessMode,
            credentialsSecret: CREDENTIALS_SECRET,
            backupTtl: args.backupTtl,
            ...(args.backupSyncPeriod ? { backupSyncPeriod: args.backupSyncPeriod } : {}),
            ...(args.ownLocation ? { ownLocation: args.ownLocation } : {}),
            ...(args.values ? { extra: args.values } : {}),
        });

        this.release = new k8s.helm.v3.Release(
            name,
            {
                name: RELEASE_NAME,
                ...chartInputs(args.chart),
                namespace: ns.metadata.name,
                createNamespace: false,
                values: this.values,
                // A failed install rolls back instead of leaving half a Velero.
                atomic: true,
                timeout: 600,
            },
            // A component's dependsOn does not reach its children: the release itself waits
            // for what the caller named (e.g. the bucket) as well as for its Secret.
            { ...child, dependsOn: pulumi.output(opts?.dependsOn ?? []).apply((deps) => [secret, ...[deps].flat()]) },
        );
        this.status = this.release.status.status;

        this.registerOutputs({ namespace: this.namespace, bslName: this.bslName, accessMode: this.accessMode, ownLocation: this.ownLocation, status: this.status });
    }
}
