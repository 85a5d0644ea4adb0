/**
 * Attaches a CAM policy to a user: `tencentcloud:Cam/userPolicyAttachment:UserPolicyAttachment`
 * (Terraform `tencentcloud_cam_user_policy_attachment`).
 */
import * as pulumi from "@pulumi/pulumi";
import { withPluginDefaults } from "../utilities";

export interface UserPolicyAttachmentArgs {
    /** ID of the policy (the Policy resource's `id`). */
    policyId: pulumi.Input<string>;
    /** Name of the CAM user (the provider deprecated `userId` for this). */
    userName: pulumi.Input<string>;
}

export class UserPolicyAttachment extends pulumi.CustomResource {
    static readonly __pulumiType = "tencentcloud:Cam/userPolicyAttachment:UserPolicyAttachment";

    declare readonly policyId: pulumi.Output<string>;
    declare readonly userName: pulumi.Output<string>;
    declare readonly policyName: pulumi.Output<string>;

    constructor(name: string, args: UserPolicyAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
        super(UserPolicyAttachment.__pulumiType, name, { ...args, policyName: undefined }, withPluginDefaults(opts));
    }
}
