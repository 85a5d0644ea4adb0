/**
 * The backup store both clusters share: a private, versioned, encrypted COS bucket that
 * Pulumi never deletes, and a CAM user limited to its backup prefix with one API key per
 * cluster. Children use the Tencent Cloud provider given in the component's options.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tencentcloud from "@pulumi/tencentcloud";
import { cosEndpoint } from "../config/regions";
import { cosAccessPolicy } from "./cosAccessPolicy";

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
    /** One API key is made per name (one per cluster), so either can be revoked alone. */
    keyNames: readonly string[];
    /** The Tencent Cloud provider for every child. */
    provider: tencentcloud.Provider;
    tags?: Record<string, string>;
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
    readonly bucketResource?: tencentcloud.cos.Bucket;
    readonly user: tencentcloud.cam.User;
    readonly policy: tencentcloud.cam.Policy;
    readonly credentials: Record<string, CosCredentials>;

    constructor(name: string, args: CosBackupStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tke2eks:storage:CosBackupStore", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        this.bucket = `${args.bucketName}-${args.appId}`;
        this.prefix = args.prefix;
        this.region = args.region;
        this.s3Url = cosEndpoint(args.region);
        const tags = { "managed-by": "tke2eks", ...args.tags };

        if (args.createBucket) {
            this.bucketResource = new tencentcloud.cos.Bucket(
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

        this.user = new tencentcloud.cam.User(
            `${name}-user`,
            {
                name: `velero-${args.bucketName}`,
                remark: `Velero access to cos://${this.bucket}/${args.prefix} (tke2eks)`,
                consoleLogin: false,
                useApi: false,
                // Its only keys are the ones below, deleted with it.
                forceDelete: true,
                tags,
            },
            child,
        );
        this.policy = new tencentcloud.cam.Policy(
            `${name}-policy`,
            {
                name: `velero-${args.bucketName}`,
                description: `Velero: objects under ${args.prefix}/ in ${this.bucket} only`,
                document: cosAccessPolicy({ region: args.region, appId: args.appId, bucket: this.bucket, prefix: args.prefix }),
            },
            child,
        );
        const attachment = new tencentcloud.cam.UserPolicyAttachment(`${name}-policy-attachment`, { userName: this.user.name, policyId: this.policy.id }, child);

        this.credentials = {};
        for (const keyName of args.keyNames) {
            const key = new tencentcloud.cam.AccessKey(`${name}-${keyName}-key`, { targetUin: this.user.uin, status: "Active" }, { ...child, dependsOn: [attachment] });
            this.credentials[keyName] = {
                accessKeyId: pulumi.secret(key.accessKey),
                secretAccessKey: pulumi.secret(key.secretAccessKey),
            };
        }

        this.registerOutputs({ bucket: this.bucket, prefix: this.prefix, region: this.region, s3Url: this.s3Url, user: this.user.name });
    }
}
