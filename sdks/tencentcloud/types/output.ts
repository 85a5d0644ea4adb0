// Output shapes of the nested blocks in types/input.ts.

export interface CosBucketLifecycleRule {
    abortIncompleteMultipartUpload?: CosBucketLifecycleRuleAbortIncompleteMultipartUpload;
    expiration?: CosBucketLifecycleRuleExpiration;
    filterPrefix?: string;
    id: string;
    nonCurrentExpiration?: CosBucketLifecycleRuleNonCurrentExpiration;
    nonCurrentTransitions?: CosBucketLifecycleRuleNonCurrentTransition[];
    transitions?: CosBucketLifecycleRuleTransition[];
}

export interface CosBucketLifecycleRuleAbortIncompleteMultipartUpload {
    daysAfterInitiation: number;
}

export interface CosBucketLifecycleRuleExpiration {
    date?: string;
    days?: number;
    deleteMarker?: boolean;
}

export interface CosBucketLifecycleRuleNonCurrentExpiration {
    nonCurrentDays?: number;
}

export interface CosBucketLifecycleRuleNonCurrentTransition {
    nonCurrentDays?: number;
    storageClass: string;
}

export interface CosBucketLifecycleRuleTransition {
    date?: string;
    days?: number;
    storageClass: string;
}
