/** CAM custom policy: `tencentcloud:Cam/policy:Policy` (Terraform `tencentcloud_cam_policy`). */
import * as pulumi from "@pulumi/pulumi";
import { withPluginDefaults } from "../utilities";

export interface PolicyArgs {
    name?: pulumi.Input<string>;
    /** Policy document, CAM syntax version 2.0, as a JSON string. */
    document: pulumi.Input<string>;
    description?: pulumi.Input<string>;
}

export class Policy extends pulumi.CustomResource {
    static readonly __pulumiType = "tencentcloud:Cam/policy:Policy";

    declare readonly name: pulumi.Output<string>;
    declare readonly document: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string | undefined>;
    declare readonly createTime: pulumi.Output<string>;

    constructor(name: string, args: PolicyArgs, opts?: pulumi.CustomResourceOptions) {
        super(Policy.__pulumiType, name, { ...args, createTime: undefined }, withPluginDefaults(opts));
    }
}
