/**
 * The `tencentcloud` provider (`pulumi:providers:tencentcloud`). Credentials are normally left
 * to the plugin, which reads TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY itself; unlike
 * the generated SDK this binding does not copy them from the environment into the inputs,
 * so an offline plan never sees them.
 */
import * as pulumi from "@pulumi/pulumi";
import { withPluginDefaults } from "./utilities";

export interface ProviderArgs {
    /** Region of the resources this provider manages, e.g. `ap-guangzhou`. */
    region?: pulumi.Input<string>;
    secretId?: pulumi.Input<string>;
    secretKey?: pulumi.Input<string>;
    securityToken?: pulumi.Input<string>;
}

export class Provider extends pulumi.ProviderResource {
    static readonly __pulumiType = "tencentcloud";

    declare readonly region: pulumi.Output<string | undefined>;
    declare readonly secretId: pulumi.Output<string | undefined>;
    declare readonly secretKey: pulumi.Output<string | undefined>;
    declare readonly securityToken: pulumi.Output<string | undefined>;

    constructor(name: string, args: ProviderArgs = {}, opts?: pulumi.ResourceOptions) {
        const inputs: pulumi.Inputs = {
            region: args.region,
            secretId: args.secretId,
            secretKey: args.secretKey === undefined ? undefined : pulumi.secret(args.secretKey),
            securityToken: args.securityToken === undefined ? undefined : pulumi.secret(args.securityToken),
        };
        // ProviderResource takes plain ResourceOptions but honours the custom-resource ones.
        const secretOpts: pulumi.CustomResourceOptions = { additionalSecretOutputs: ["secretKey", "securityToken"] };
        super(Provider.__pulumiType, name, inputs, withPluginDefaults<pulumi.CustomResourceOptions>(opts, secretOpts));
    }
}
