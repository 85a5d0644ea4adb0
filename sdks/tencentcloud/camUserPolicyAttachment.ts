// tencentcloud_cam_user_policy_attachment (terraform-provider-tencentcloud v1.83.25,
// tencentcloud/services/cam/resource_tc_cam_user_policy_attachment.go) as the bridge maps it.
import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

export class CamUserPolicyAttachment extends pulumi.CustomResource {
    /** Looks up an existing CamUserPolicyAttachment's state by its provider ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: CamUserPolicyAttachmentState, opts?: pulumi.CustomResourceOptions): CamUserPolicyAttachment {
        return new CamUserPolicyAttachment(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/camUserPolicyAttachment:CamUserPolicyAttachment";

    public static isInstance(obj: any): obj is CamUserPolicyAttachment {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === CamUserPolicyAttachment.__pulumiType;
    }

    declare public readonly createMode: pulumi.Output<number>;
    declare public readonly createTime: pulumi.Output<string>;
    declare public readonly policyId: pulumi.Output<string>;
    declare public readonly policyName: pulumi.Output<string>;
    declare public readonly policyType: pulumi.Output<string>;
    declare public readonly tencentcloudCamUserPolicyAttachmentId: pulumi.Output<string>;
    /** @deprecated It has been deprecated from version 1.59.5. Use `user_name` instead. */
    declare public readonly userId: pulumi.Output<string | undefined>;
    declare public readonly userName: pulumi.Output<string | undefined>;

    constructor(name: string, args: CamUserPolicyAttachmentArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, argsOrState?: CamUserPolicyAttachmentArgs | CamUserPolicyAttachmentState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as CamUserPolicyAttachmentState | undefined;
            resourceInputs["createMode"] = state?.createMode;
            resourceInputs["createTime"] = state?.createTime;
            resourceInputs["policyId"] = state?.policyId;
            resourceInputs["policyName"] = state?.policyName;
            resourceInputs["policyType"] = state?.policyType;
            resourceInputs["tencentcloudCamUserPolicyAttachmentId"] = state?.tencentcloudCamUserPolicyAttachmentId;
            resourceInputs["userId"] = state?.userId;
            resourceInputs["userName"] = state?.userName;
        } else {
            const args = argsOrState as CamUserPolicyAttachmentArgs | undefined;
            if (args?.policyId === undefined && !opts.urn) {
                throw new Error("Missing required property 'policyId'");
            }
            resourceInputs["policyId"] = args?.policyId;
            resourceInputs["tencentcloudCamUserPolicyAttachmentId"] = args?.tencentcloudCamUserPolicyAttachmentId;
            resourceInputs["userId"] = args?.userId;
            resourceInputs["userName"] = args?.userName;
            resourceInputs["createMode"] = undefined /*out*/;
            resourceInputs["createTime"] = undefined /*out*/;
            resourceInputs["policyName"] = undefined /*out*/;
            resourceInputs["policyType"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(CamUserPolicyAttachment.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/** Filters for looking up CamUserPolicyAttachment resources. */
export interface CamUserPolicyAttachmentState {
    createMode?: pulumi.Input<number>;
    createTime?: pulumi.Input<string>;
    policyId?: pulumi.Input<string>;
    policyName?: pulumi.Input<string>;
    policyType?: pulumi.Input<string>;
    tencentcloudCamUserPolicyAttachmentId?: pulumi.Input<string>;
    /** @deprecated It has been deprecated from version 1.59.5. Use `user_name` instead. */
    userId?: pulumi.Input<string>;
    userName?: pulumi.Input<string>;
}

/** The set of arguments for constructing a CamUserPolicyAttachment resource. */
export interface CamUserPolicyAttachmentArgs {
    /** ID of the policy (the CamPolicy's id). */
    policyId: pulumi.Input<string>;
    tencentcloudCamUserPolicyAttachmentId?: pulumi.Input<string>;
    /** @deprecated It has been deprecated from version 1.59.5. Use `user_name` instead. */
    userId?: pulumi.Input<string>;
    /** Name of the CAM user. */
    userName?: pulumi.Input<string>;
}
