// tencentcloud_cos_bucket (terraform-provider-tencentcloud v1.83.25,
// tencentcloud/services/cos/resource_tc_cos_bucket.go) as the bridge maps it. Nested blocks this
// project does not set (replica, CORS, origin, website, tiering, object lock rules) are left out.
import * as pulumi from "@pulumi/pulumi";
import * as inputs from "./types/input";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

export class CosBucket extends pulumi.CustomResource {
    /** Looks up an existing CosBucket's state by its provider ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: CosBucketState, opts?: pulumi.CustomResourceOptions): CosBucket {
        return new CosBucket(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/cosBucket:CosBucket";

    public static isInstance(obj: any): obj is CosBucket {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === CosBucket.__pulumiType;
    }

    declare public readonly accelerationEnable: pulumi.Output<boolean | undefined>;
    /** Canned ACL: `private`, `public-read` or `public-read-write`. */
    declare public readonly acl: pulumi.Output<string | undefined>;
    declare public readonly aclBody: pulumi.Output<string | undefined>;
    /** Full bucket name, `<name>-<APPID>`: lowercase letters, digits and '-', at most 60 characters in all. */
    declare public readonly bucket: pulumi.Output<string>;
    declare public readonly cdcId: pulumi.Output<string | undefined>;
    declare public readonly chdfsOfs: pulumi.Output<boolean | undefined>;
    /** The bucket's URL, `https://<bucket>.cos.<region>.myqcloud.com`. */
    declare public readonly cosBucketUrl: pulumi.Output<string>;
    declare public readonly corsResponseVary: pulumi.Output<string | undefined>;
    declare public readonly enableIntelligentTiering: pulumi.Output<boolean | undefined>;
    /** Server-side encryption: `AES256` (SSE-COS), `KMS` or `SM4`. */
    declare public readonly encryptionAlgorithm: pulumi.Output<string | undefined>;
    /** Delete every object before deleting the bucket. */
    declare public readonly forceClean: pulumi.Output<boolean | undefined>;
    declare public readonly intelligentTieringDays: pulumi.Output<number | undefined>;
    declare public readonly intelligentTieringRequestFrequent: pulumi.Output<number | undefined>;
    declare public readonly kmsId: pulumi.Output<string | undefined>;
    declare public readonly lifecycleRules: pulumi.Output<outputs.CosBucketLifecycleRule[] | undefined>;
    declare public readonly logEnable: pulumi.Output<boolean | undefined>;
    declare public readonly logPrefix: pulumi.Output<string | undefined>;
    declare public readonly logTargetBucket: pulumi.Output<string | undefined>;
    declare public readonly multiAz: pulumi.Output<boolean | undefined>;
    declare public readonly replicaRole: pulumi.Output<string | undefined>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly tencentcloudCosBucketId: pulumi.Output<string | undefined>;
    declare public readonly versioningEnable: pulumi.Output<boolean | undefined>;

    constructor(name: string, args: CosBucketArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, argsOrState?: CosBucketArgs | CosBucketState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as CosBucketState | undefined;
            resourceInputs["accelerationEnable"] = state?.accelerationEnable;
            resourceInputs["acl"] = state?.acl;
            resourceInputs["aclBody"] = state?.aclBody;
            resourceInputs["bucket"] = state?.bucket;
            resourceInputs["cdcId"] = state?.cdcId;
            resourceInputs["chdfsOfs"] = state?.chdfsOfs;
            resourceInputs["cosBucketUrl"] = state?.cosBucketUrl;
            resourceInputs["corsResponseVary"] = state?.corsResponseVary;
            resourceInputs["enableIntelligentTiering"] = state?.enableIntelligentTiering;
            resourceInputs["encryptionAlgorithm"] = state?.encryptionAlgorithm;
            resourceInputs["forceClean"] = state?.forceClean;
            resourceInputs["intelligentTieringDays"] = state?.intelligentTieringDays;
            resourceInputs["intelligentTieringRequestFrequent"] = state?.intelligentTieringRequestFrequent;
            resourceInputs["kmsId"] = state?.kmsId;
            resourceInputs["lifecycleRules"] = state?.lifecycleRules;
            resourceInputs["logEnable"] = state?.logEnable;
            resourceInputs["logPrefix"] = state?.logPrefix;
            resourceInputs["logTargetBucket"] = state?.logTargetBucket;
            resourceInputs["multiAz"] = state?.multiAz;
            resourceInputs["replicaRole"] = state?.replicaRole;
            resourceInputs["tags"] = state?.tags;
            resourceInputs["tencentcloudCosBucketId"] = state?.tencentcloudCosBucketId;
            resourceInputs["versioningEnable"] = state?.versioningEnable;
        } else {
            const args = argsOrState as CosBucketArgs | undefined;
            if (args?.bucket === undefined && !opts.urn) {
                throw new Error("Missing required property 'bucket'");
            }
            resourceInputs["accelerationEnable"] = args?.accelerationEnable;
            resourceInputs["acl"] = args?.acl;
            resourceInputs["aclBody"] = args?.aclBody;
            resourceInputs["bucket"] = args?.bucket;
            resourceInputs["cdcId"] = args?.cdcId;
            resourceInputs["chdfsOfs"] = args?.chdfsOfs;
            resourceInputs["corsResponseVary"] = args?.corsResponseVary;
            resourceInputs["enableIntelligentTiering"] = args?.enableIntelligentTiering;
            resourceInputs["encryptionAlgorithm"] = args?.encryptionAlgorithm;
            resourceInputs["forceClean"] = args?.forceClean;
            resourceInputs["intelligentTieringDays"] = args?.intelligentTieringDays;
            resourceInputs["intelligentTieringRequestFrequent"] = args?.intelligentTieringRequestFrequent;
            resourceInputs["kmsId"] = args?.kmsId;
            resourceInputs["lifecycleRules"] = args?.lifecycleRules;
            resourceInputs["logEnable"] = args?.logEnable;
            resourceInputs["logPrefix"] = args?.logPrefix;
            resourceInputs["logTargetBucket"] = args?.logTargetBucket;
            resourceInputs["multiAz"] = args?.multiAz;
            resourceInputs["replicaRole"] = args?.replicaRole;
            resourceInputs["tags"] = args?.tags;
            resourceInputs["tencentcloudCosBucketId"] = args?.tencentcloudCosBucketId;
            resourceInputs["versioningEnable"] = args?.versioningEnable;
            resourceInputs["cosBucketUrl"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(CosBucket.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/** Filters for looking up CosBucket resources. */
export interface CosBucketState {
    accelerationEnable?: pulumi.Input<boolean>;
    acl?: pulumi.Input<string>;
    aclBody?: pulumi.Input<string>;
    bucket?: pulumi.Input<string>;
    cdcId?: pulumi.Input<string>;
    chdfsOfs?: pulumi.Input<boolean>;
    cosBucketUrl?: pulumi.Input<string>;
    corsResponseVary?: pulumi.Input<string>;
    enableIntelligentTiering?: pulumi.Input<boolean>;
    encryptionAlgorithm?: pulumi.Input<string>;
    forceClean?: pulumi.Input<boolean>;
    intelligentTieringDays?: pulumi.Input<number>;
    intelligentTieringRequestFrequent?: pulumi.Input<number>;
    kmsId?: pulumi.Input<string>;
    lifecycleRules?: pulumi.Input<pulumi.Input<inputs.CosBucketLifecycleRule>[]>;
    logEnable?: pulumi.Input<boolean>;
    logPrefix?: pulumi.Input<string>;
    logTargetBucket?: pulumi.Input<string>;
    multiAz?: pulumi.Input<boolean>;
    replicaRole?: pulumi.Input<string>;
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    tencentcloudCosBucketId?: pulumi.Input<string>;
    versioningEnable?: pulumi.Input<boolean>;
}

/** The set of arguments for constructing a CosBucket resource. */
export interface CosBucketArgs {
    accelerationEnable?: pulumi.Input<boolean>;
    /** Canned ACL: `private`, `public-read` or `public-read-write`. */
    acl?: pulumi.Input<string>;
    aclBody?: pulumi.Input<string>;
    /** Full bucket name, `<name>-<APPID>`: lowercase letters, digits and '-', at most 60 characters in all. */
    bucket: pulumi.Input<string>;
    cdcId?: pulumi.Input<string>;
    chdfsOfs?: pulumi.Input<boolean>;
    corsResponseVary?: pulumi.Input<string>;
    enableIntelligentTiering?: pulumi.Input<boolean>;
    /** Server-side encryption: `AES256` (SSE-COS), `KMS` or `SM4`. */
    encryptionAlgorithm?: pulumi.Input<string>;
    /** Delete every object before deleting the bucket. */
    forceClean?: pulumi.Input<boolean>;
    intelligentTieringDays?: pulumi.Input<number>;
    intelligentTieringRequestFrequent?: pulumi.Input<number>;
    kmsId?: pulumi.Input<string>;
    lifecycleRules?: pulumi.Input<pulumi.Input<inputs.CosBucketLifecycleRule>[]>;
    logEnable?: pulumi.Input<boolean>;
    logPrefix?: pulumi.Input<string>;
    logTargetBucket?: pulumi.Input<string>;
    multiAz?: pulumi.Input<boolean>;
    replicaRole?: pulumi.Input<string>;
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    tencentcloudCosBucketId?: pulumi.Input<string>;
    versioningEnable?: pulumi.Input<boolean>;
}
