/** COS bucket: `tencentcloud:Cos/bucket:Bucket` (Terraform `tencentcloud_cos_bucket`). */
import * as pulumi from "@pulumi/pulumi";
import { withPluginDefaults } from "../utilities";

export interface BucketLifecycleRuleExpiration {
    /** Days after an object's creation when it is deleted. */
    days?: pulumi.Input<number>;
    date?: pulumi.Input<string>;
    /** Remove expired objects' delete markers. */
    deleteMarker?: pulumi.Input<boolean>;
}

export interface BucketLifecycleRuleNonCurrentExpiration {
    /** Days after an object version stops being current when it is deleted (≤ 3650). */
    nonCurrentDays?: pulumi.Input<number>;
}

export interface BucketLifecycleRuleAbortIncompleteMultipartUpload {
    /** Days after a multipart upload starts when its parts are discarded (≤ 3650). */
    daysAfterInitiation: pulumi.Input<number>;
}

export interface BucketLifecycleRule {
    /** A unique identifier for the rule, up to 255 characters. */
    id?: pulumi.Input<string>;
    /** Object key prefix the rule applies to. */
    filterPrefix?: pulumi.Input<string>;
    expiration?: pulumi.Input<BucketLifecycleRuleExpiration>;
    nonCurrentExpiration?: pulumi.Input<BucketLifecycleRuleNonCurrentExpiration>;
    abortIncompleteMultipartUpload?: pulumi.Input<BucketLifecycleRuleAbortIncompleteMultipartUpload>;
}

export interface BucketArgs {
    /** Full bucket name, `<name>-<APPID>`. */
    bucket: pulumi.Input<string>;
    /** Canned ACL: `private` (default), `public-read` or `public-read-write`. */
    acl?: pulumi.Input<string>;
    versioningEnable?: pulumi.Input<boolean>;
    /** Server-side encryption: `AES256` (SSE-COS), `KMS` or `SM4`. */
    encryptionAlgorithm?: pulumi.Input<string>;
    /** KMS key, only with `encryptionAlgorithm: KMS`. */
    kmsId?: pulumi.Input<string>;
    lifecycleRules?: pulumi.Input<pulumi.Input<BucketLifecycleRule>[]>;
    /** Delete every object before deleting the bucket. */
    forceClean?: pulumi.Input<boolean>;
    /** Multi-AZ storage (only in some regions; cannot be turned off later). */
    multiAz?: pulumi.Input<boolean>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class Bucket extends pulumi.CustomResource {
    static readonly __pulumiType = "tencentcloud:Cos/bucket:Bucket";

    declare readonly bucket: pulumi.Output<string>;
    declare readonly acl: pulumi.Output<string | undefined>;
    declare readonly versioningEnable: pulumi.Output<boolean | undefined>;
    declare readonly encryptionAlgorithm: pulumi.Output<string | undefined>;
    declare readonly kmsId: pulumi.Output<string | undefined>;
    declare readonly lifecycleRules: pulumi.Output<BucketLifecycleRule[] | undefined>;
    declare readonly forceClean: pulumi.Output<boolean | undefined>;
    declare readonly multiAz: pulumi.Output<boolean | undefined>;
    declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
    /** The bucket's URL, e.g. `https://<bucket>.cos.<region>.myqcloud.com`. */
    declare readonly cosBucketUrl: pulumi.Output<string>;

    constructor(name: string, args: BucketArgs, opts?: pulumi.CustomResourceOptions) {
        super(Bucket.__pulumiType, name, { ...args, cosBucketUrl: undefined }, withPluginDefaults(opts));
    }
}
