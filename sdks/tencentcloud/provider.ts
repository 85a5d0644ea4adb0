// The tencentcloud provider (`pulumi:providers:tencentcloud`), served by the terraform-provider
// plugin. The Terraform provider reads TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY /
// TENCENTCLOUD_REGION itself when these are unset. Its block settings (assumeRole and the like)
// are left out of this SDK.
import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

export class Provider extends pulumi.ProviderResource {
    /** @internal */
    public static readonly __pulumiType = "tencentcloud";

    public static isInstance(obj: any): obj is Provider {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === "pulumi:providers:" + Provider.__pulumiType;
    }

    declare public readonly cosDomain: pulumi.Output<string | undefined>;
    declare public readonly domain: pulumi.Output<string | undefined>;
    declare public readonly protocol: pulumi.Output<string | undefined>;
    declare public readonly region: pulumi.Output<string | undefined>;
    declare public readonly secretId: pulumi.Output<string | undefined>;
    declare public readonly secretKey: pulumi.Output<string | undefined>;
    declare public readonly securityToken: pulumi.Output<string | undefined>;

    constructor(name: string, args?: ProviderArgs, opts?: pulumi.ResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        {
            resourceInputs["cosDomain"] = args?.cosDomain;
            resourceInputs["domain"] = args?.domain;
            resourceInputs["protocol"] = args?.protocol;
            resourceInputs["region"] = args?.region;
            resourceInputs["secretId"] = args?.secretId;
            resourceInputs["secretKey"] = args?.secretKey ? pulumi.secret(args.secretKey) : undefined;
            resourceInputs["securityToken"] = args?.securityToken ? pulumi.secret(args.securityToken) : undefined;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        const secretOpts = { additionalSecretOutputs: ["secretKey", "securityToken"] };
        opts = pulumi.mergeOptions(opts, secretOpts);
        super(Provider.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/** The set of arguments for constructing a Provider resource. */
export interface ProviderArgs {
    cosDomain?: pulumi.Input<string>;
    domain?: pulumi.Input<string>;
    protocol?: pulumi.Input<string>;
    /** Region of the resources this provider manages, e.g. `ap-guangzhou`. */
    region?: pulumi.Input<string>;
    secretId?: pulumi.Input<string>;
    secretKey?: pulumi.Input<string>;
    securityToken?: pulumi.Input<string>;
}
