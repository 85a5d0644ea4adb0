// Input shapes of the nested blocks this SDK's resources take (tencentcloud_cos_bucket's
// lifecycle_rules), named as the bridge names them: <Resource><Block>, MaxItems=1 blocks flattened.
import * as pulumi from "@pulumi/pulumi";

export interface CosBucketLifecycleRule {
    abortIncompleteMultipartUpload?: pulumi.Input<CosBucketLifecycleRuleAbortIncompleteMultipartUpload>;
    expiration?: pulumi.Input<CosBucketLifecycleRuleExpiration>;
    filterPrefix?: pulumi.Input<string>;
    id?: pulumi.Input<string>;
    nonCurrentExpiration?: pulumi.Input<CosBucketLifecycleRuleNonCurrentExpiration>;
    nonCurrentTransitions?: pulumi.Input<pulumi.Input<CosBucketLifecycleRuleNonCurrentTransition>[]>;
    transitions?: pulumi.Input<pulumi.Input<CosBucketLifecycleRuleTransition>[]>;
}

export interface CosBucketLifecycleRuleAbortIncompleteMultipartUpload {
    daysAfterInitiation: pulumi.Input<number>;
}

export interface CosBucketLifecycleRuleExpiration {
    date?: pulumi.Input<string>;
    days?: pulumi.Input<number>;
    deleteMarker?: pulumi.Input<boolean>;
}

export interface CosBucketLifecycleRuleNonCurrentExpiration {
    nonCurrentDays?: pulumi.Input<number>;
}

export interface CosBucketLifecycleRuleNonCurrentTransition {
    nonCurrentDays?: pulumi.Input<number>;
    storageClass: pulumi.Input<string>;
}

export interface CosBucketLifecycleRuleTransition {
    date?: pulumi.Input<string>;
    days?: pulumi.Input<number>;
    storageClass: pulumi.Input<string>;
}
