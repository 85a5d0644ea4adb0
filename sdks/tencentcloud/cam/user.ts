/** CAM sub-user: `tencentcloud:Cam/user:User` (Terraform `tencentcloud_cam_user`). */
import * as pulumi from "@pulumi/pulumi";
import { withPluginDefaults } from "../utilities";

export interface UserArgs {
    name?: pulumi.Input<string>;
    remark?: pulumi.Input<string>;
    consoleLogin?: pulumi.Input<boolean>;
    /** Create an API key with the user (outputs `secretId` / `secretKey`). */
    useApi?: pulumi.Input<boolean>;
    /** Delete the user even when it still has API keys. */
    forceDelete?: pulumi.Input<boolean>;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class User extends pulumi.CustomResource {
    static readonly __pulumiType = "tencentcloud:Cam/user:User";

    declare readonly name: pulumi.Output<string>;
    declare readonly remark: pulumi.Output<string | undefined>;
    declare readonly consoleLogin: pulumi.Output<boolean | undefined>;
    declare readonly useApi: pulumi.Output<boolean | undefined>;
    declare readonly forceDelete: pulumi.Output<boolean | undefined>;
    declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
    /** Account UIN of the user: what `AccessKey.targetUin` takes. */
    declare readonly uin: pulumi.Output<number>;
    declare readonly uid: pulumi.Output<number>;
    declare readonly password: pulumi.Output<string>;
    declare readonly secretId: pulumi.Output<string>;
    declare readonly secretKey: pulumi.Output<string>;

    constructor(name: string, args: UserArgs = {}, opts?: pulumi.CustomResourceOptions) {
        const outputs = { uin: undefined, uid: undefined, password: undefined, secretId: undefined, secretKey: undefined };
        super(User.__pulumiType, name, { ...args, ...outputs }, withPluginDefaults(opts, { additionalSecretOutputs: ["password", "secretId", "secretKey"] }));
    }
}
