/**
 * The backup store both clusters share: a private, versioned, encrypted COS bucket that
 * Pulumi never deletes, and per cluster a CAM user limited to the backup prefix, holding one
 * API key. A CAM user may hold two keys, so each key can be rotated (docs/configuration.md: rotating a cluster's key).
 * Children use the Tencent Cloud provider given in the component's options.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tencentcloud from "@pulumi/tencentcloud";
import { cosBucketName, cosEndpoint } from "../core/names";
import { cosAccessPolicy } from "./cosAccessPolicy";
import { assertTencentCloudSdk } from "./tencentcloudPackage";

export interface CosBackupStoreArgs {
    /** COS region, e.g. ap-guangzhou. */
    region: string;
    /** Tencent Cloud APPID: the bucket's suffix and the CAM resource's uid. */
    appId: string;
    /** Bucket name without the APPID. */
    bucketName: string;
    /** Key prefix Velero writes under (the BackupStorageLocation prefix). */
    prefix: string;
    /** Create the bucket, or use an existing one of that name (e.g. one from before 2024). */
    createBucket: boolean;
    /** Days COS keeps an object under the prefix; at least Velero's TTL. */
    retentionDays: number;
    /** One CAM user with its own policy and one API key per name (one per cluster). */
    keyNames: readonly string[];
    /** A cluster's own location prefix beside the shared one, granted to that cluster's key only. */
    ownPrefixes?: Readonly<Record<string, string>>;
    /**
     * The generation of each cluster's key (default 1). A new generation is a new key resource:
     * Pulumi creates it (the user's second key), switches the cluster's Velero Secret to it,
     * then deletes the old one, so raising it in the stack config rotates the key.
     */
    keyGenerations?: Readonly<Record<string, number>>;
    /** The Tencent Cloud provider for every child. */
    provider: tencentcloud.Provider;
    tags?: Record<string, string>;
}

/** One cluster's CAM user, its policy and its key. */
export interface CosAccess {
    user: tencentcloud.CamUser;
    policy: tencentcloud.CamPolicy;
    key: tencentcloud.CamAccessKey;
}

/** The S3 credentials one cluster's Velero uses; both are secrets. */
export interface CosCredentials {
    accessKeyId: pulumi.Output<string>;
    secretAccessKey: pulumi.Output<string>;
}

/** Velero deletes expired backups itself; versioning keeps what it deleted this long. */
export const NONCURRENT_DAYS = 30;
/** Uploads a crashed Velero left unfinished are dropped after this many days. */
export const ABORT_MULTIPART_DAYS = 7;

export class CosBackupStore extends pulumi.ComponentResource {
    /** Full bucket name, `<name>-<appId>`. */
    readonly bucket: string;
    readonly prefix: string;
    readonly region: string;
    /** Velero's s3Url for the bucket's region. */
    readonly s3Url: string;
    /** Undefined when the stack uses an existing bucket. */
    readonly bucketResource?: tencentcloud.CosBucket;
    /** By key name (cluster role). */
    readonly access: Record<string, CosAccess>;
    readonly credentials: Record<string, CosCredentials>;

    constructor(name: string, args: CosBackupStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tke2eks:storage:CosBackupStore", name, {}, opts);
        assertTencentCloudSdk();
        const child = { parent: this, provider: args.provider };
        this.bucket = cosBucketName(args.bucketName, args.appId);
        this.prefix = args.prefix;
        this.region = args.region;
        this.s3Url = cosEndpoint(args.region);
        const tags = { "managed-by": "tke2eks", ...args.tags };

        if (args.createBucket) {
            this.bucketResource = new tencentcloud.CosBucket(
                `${name}-bucket`,
                {
                    bucket: this.bucket,
                    acl: "private",
                    versioningEnable: true,
                    encryptionAlgorithm: "AES256",
                    forceClean: false,
                    lifecycleRules: [
                        {
                            id: "velero-retention",
                            filterPrefix: `${args.prefix}/`,
                            expiration: { days: args.retentionDays },
                            nonCurrentExpiration: { nonCurrentDays: NONCURRENT_DAYS },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
                        },
                    ],
                    tags,
                },
                // The backups outlive the stack: `pulumi destroy` refuses (protect), and a
                // delete or replace after unprotecting still leaves the bucket (retainOnDelete).
                { ...child, protect: true, retainOnDelete: true },
            );
        }

        this.access = {};
        this.credentials = {};
        for (const keyName of args.keyNames) {
            const access = this.declareAccess(`${name}-${keyName}`, `velero-${args.bucketName}-${keyName}`, keyName, args, tags, child);
            this.access[keyName] = access;
            this.credentials[keyName] = {
                accessKeyId: pulumi.secret(access.key.accessKey),
                secretAccessKey: pulumi.secret(access.key.secretAccessKey),
            };
        }

        const users = Object.fromEntries(Object.entries(this.access).map(([k, a]) => [k, a.user.name]));
        this.registerOutputs({ bucket: this.bucket, prefix: this.prefix, region: this.region, s3Url: this.s3Url, users });
    }

    /**
     * One cluster's user, policy, attachment and key. The key is the user's only one, so a new
     * generation (or `pulumi up --replace <key urn>`) rotates it: the engine creates the new key
     * first (the user's second), Velero's Secret switches to it, then the old key is deleted.
     */
    private declareAccess(prefix: string, userName: string, keyName: string, args: CosBackupStoreArgs, tags: Record<string, string>, child: pulumi.CustomResourceOptions): CosAccess {
        const own = args.ownPrefixes?.[keyName];
        const prefixes = own === undefined ? [args.prefix] : [args.prefix, own];
        const user = new tencentcloud.CamUser(
            `${prefix}-user`,
            {
                name: userName,
                remark: `Velero (${keyName}) access to cos://${this.bucket}/${args.prefix} (tke2eks)`,
                consoleLogin: false,
                useApi: false,
                // Its only key is the one below, deleted with it.
                forceDelete: true,
                tags: { ...tags, cluster: keyName },
            },
            child,
        );
        const policy = new tencentcloud.CamPolicy(
            `${prefix}-policy`,
            {
                name: userName,
                description: `Velero (${keyName}): objects under ${prefixes.map((p) => `${p}/`).join(" and ")} in ${this.bucket} only`,
                document: cosAccessPolicy({ region: args.region, appId: args.appId, bucket: this.bucket, prefixes }),
            },
            child,
        );
        const attachment = new tencentcloud.CamUserPolicyAttachment(`${prefix}-policy-attachment`, { userName: user.name, policyId: policy.id }, child);
        // The key is made once the policy holds, so Velero never sees a key it cannot use.
        const generation = args.keyGenerations?.[keyName] ?? 1;
        // Generation 1 keeps the name keys have always had, so existing stacks see no change.
        const key = new tencentcloud.CamAccessKey(generation === 1 ? `${prefix}-key` : `${prefix}-key-${generation}`, { targetUin: user.uin, status: "Active" }, { ...child, dependsOn: [attachment] });
        return { user, policy, key };
    }
}
