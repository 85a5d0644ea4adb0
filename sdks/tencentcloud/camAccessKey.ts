// tencentcloud_cam_access_key (terraform-provider-tencentcloud v1.83.25,
// tencentcloud/services/cam/resource_tc_cam_access_key.go) as the bridge maps it.
import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

export class CamAccessKey extends pulumi.CustomResource {
    /** Looks up an existing CamAccessKey's state by its provider ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: CamAccessKeyState, opts?: pulumi.CustomResourceOptions): CamAccessKey {
        return new CamAccessKey(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/camAccessKey:CamAccessKey";

    public static isInstance(obj: any): obj is CamAccessKey {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === CamAccessKey.__pulumiType;
    }

    /** The SecretId, e.g. `AKID…`. */
    declare public readonly accessKey: pulumi.Output<string>;
    declare public readonly encryptedSecretAccessKey: pulumi.Output<string>;
    declare public readonly keyFingerprint: pulumi.Output<string>;
    declare public readonly pgpKey: pulumi.Output<string | undefined>;
    /** The SecretKey, readable only when the key is created (a secret). */
    declare public readonly secretAccessKey: pulumi.Output<string>;
    /** `Active` or `Inactive`. */
    declare public readonly status: pulumi.Output<string>;
    declare public readonly targetUin: pulumi.Output<number | undefined>;
    declare public readonly tencentcloudCamAccessKeyId: pulumi.Output<string>;

    constructor(name: string, args?: CamAccessKeyArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, argsOrState?: CamAccessKeyArgs | CamAccessKeyState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as CamAccessKeyState | undefined;
            resourceInputs["accessKey"] = state?.accessKey;
            resourceInputs["encryptedSecretAccessKey"] = state?.encryptedSecretAccessKey;
            resourceInputs["keyFingerprint"] = state?.keyFingerprint;
            resourceInputs["pgpKey"] = state?.pgpKey;
            resourceInputs["secretAccessKey"] = state?.secretAccessKey;
            resourceInputs["status"] = state?.status;
            resourceInputs["targetUin"] = state?.targetUin;
            resourceInputs["tencentcloudCamAccessKeyId"] = state?.tencentcloudCamAccessKeyId;
        } else {
            const args = argsOrState as CamAccessKeyArgs | undefined;
            resourceInputs["accessKey"] = args?.accessKey;
            resourceInputs["pgpKey"] = args?.pgpKey;
            resourceInputs["status"] = args?.status;
            resourceInputs["targetUin"] = args?.targetUin;
            resourceInputs["tencentcloudCamAccessKeyId"] = args?.tencentcloudCamAccessKeyId;
            resourceInputs["encryptedSecretAccessKey"] = undefined /*out*/;
            resourceInputs["keyFingerprint"] = undefined /*out*/;
            resourceInputs["secretAccessKey"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        const secretOpts = { additionalSecretOutputs: ["secretAccessKey"] };
        opts = pulumi.mergeOptions(opts, secretOpts);
        super(CamAccessKey.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/** Filters for looking up CamAccessKey resources. */
export interface CamAccessKeyState {
    accessKey?: pulumi.Input<string>;
    encryptedSecretAccessKey?: pulumi.Input<string>;
    keyFingerprint?: pulumi.Input<string>;
    pgpKey?: pulumi.Input<string>;
    secretAccessKey?: pulumi.Input<string>;
    status?: pulumi.Input<string>;
    targetUin?: pulumi.Input<number>;
    tencentcloudCamAccessKeyId?: pulumi.Input<string>;
}

/** The set of arguments for constructing a CamAccessKey resource. */
export interface CamAccessKeyArgs {
    /** Identifies the key to update; leave unset to create one. */
    accessKey?: pulumi.Input<string>;
    pgpKey?: pulumi.Input<string>;
    /** `Active` or `Inactive`. */
    status?: pulumi.Input<string>;
    /** UIN of the user the key is for (the CamUser's uin); the caller's own when absent. */
    targetUin?: pulumi.Input<number>;
    tencentcloudCamAccessKeyId?: pulumi.Input<string>;
}
