/** API key of a CAM user: `tencentcloud:Cam/accessKey:AccessKey` (Terraform `tencentcloud_cam_access_key`). */
import * as pulumi from "@pulumi/pulumi";
import { withPluginDefaults } from "../utilities";

export interface AccessKeyArgs {
    /** UIN of the user the key belongs to (the User resource's `uin`). */
    targetUin: pulumi.Input<number>;
    /** `Active` or `Inactive`. */
    status?: pulumi.Input<string>;
}

export class AccessKey extends pulumi.CustomResource {
    static readonly __pulumiType = "tencentcloud:Cam/accessKey:AccessKey";

    declare readonly targetUin: pulumi.Output<number>;
    declare readonly status: pulumi.Output<string>;
    /** The SecretId, e.g. `AKID…`. */
    declare readonly accessKey: pulumi.Output<string>;
    /** The SecretKey; a secret output. */
    declare readonly secretAccessKey: pulumi.Output<string>;

    constructor(name: string, args: AccessKeyArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs = { accessKey: undefined, secretAccessKey: undefined };
        super(AccessKey.__pulumiType, name, { ...args, ...outputs }, withPluginDefaults(opts, { additionalSecretOutputs: ["secretAccessKey"] }));
    }
}
