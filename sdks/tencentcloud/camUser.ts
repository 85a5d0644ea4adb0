// tencentcloud_cam_user (terraform-provider-tencentcloud v1.83.25,
// tencentcloud/services/cam/resource_tc_cam_user.go) as the bridge maps it.
import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

export class CamUser extends pulumi.CustomResource {
    /** Looks up an existing CamUser's state by its provider ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: CamUserState, opts?: pulumi.CustomResourceOptions): CamUser {
        return new CamUser(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/camUser:CamUser";

    public static isInstance(obj: any): obj is CamUser {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === CamUser.__pulumiType;
    }

    declare public readonly consoleLogin: pulumi.Output<boolean | undefined>;
    declare public readonly countryCode: pulumi.Output<string>;
    declare public readonly email: pulumi.Output<string | undefined>;
    declare public readonly forceDelete: pulumi.Output<boolean | undefined>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly needResetPassword: pulumi.Output<boolean | undefined>;
    declare public readonly password: pulumi.Output<string>;
    declare public readonly phoneNum: pulumi.Output<string | undefined>;
    declare public readonly remark: pulumi.Output<string>;
    /** Secret ID of the key `useApi` makes (a secret). */
    declare public readonly secretId: pulumi.Output<string>;
    declare public readonly secretKey: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly tencentcloudCamUserId: pulumi.Output<string>;
    /** ID of the CAM user. */
    declare public readonly uid: pulumi.Output<number>;
    /** UIN of the CAM user: what CamAccessKey's targetUin takes. */
    declare public readonly uin: pulumi.Output<number>;
    declare public readonly useApi: pulumi.Output<boolean | undefined>;

    constructor(name: string, args?: CamUserArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, argsOrState?: CamUserArgs | CamUserState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as CamUserState | undefined;
            resourceInputs["consoleLogin"] = state?.consoleLogin;
            resourceInputs["countryCode"] = state?.countryCode;
            resourceInputs["email"] = state?.email;
            resourceInputs["forceDelete"] = state?.forceDelete;
            resourceInputs["name"] = state?.name;
            resourceInputs["needResetPassword"] = state?.needResetPassword;
            resourceInputs["password"] = state?.password;
            resourceInputs["phoneNum"] = state?.phoneNum;
            resourceInputs["remark"] = state?.remark;
            resourceInputs["secretId"] = state?.secretId;
            resourceInputs["secretKey"] = state?.secretKey;
            resourceInputs["tags"] = state?.tags;
            resourceInputs["tencentcloudCamUserId"] = state?.tencentcloudCamUserId;
            resourceInputs["uid"] = state?.uid;
            resourceInputs["uin"] = state?.uin;
            resourceInputs["useApi"] = state?.useApi;
        } else {
            const args = argsOrState as CamUserArgs | undefined;
            resourceInputs["consoleLogin"] = args?.consoleLogin;
            resourceInputs["countryCode"] = args?.countryCode;
            resourceInputs["email"] = args?.email;
            resourceInputs["forceDelete"] = args?.forceDelete;
            resourceInputs["name"] = args?.name;
            resourceInputs["needResetPassword"] = args?.needResetPassword;
            resourceInputs["password"] = args?.password ? pulumi.secret(args.password) : undefined;
            resourceInputs["phoneNum"] = args?.phoneNum;
            resourceInputs["remark"] = args?.remark;
            resourceInputs["tags"] = args?.tags;
            resourceInputs["tencentcloudCamUserId"] = args?.tencentcloudCamUserId;
            resourceInputs["useApi"] = args?.useApi;
            resourceInputs["secretId"] = undefined /*out*/;
            resourceInputs["secretKey"] = undefined /*out*/;
            resourceInputs["uid"] = undefined /*out*/;
            resourceInputs["uin"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        const secretOpts = { additionalSecretOutputs: ["password", "secretId", "secretKey"] };
        opts = pulumi.mergeOptions(opts, secretOpts);
        super(CamUser.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/** Filters for looking up CamUser resources. */
export interface CamUserState {
    consoleLogin?: pulumi.Input<boolean>;
    countryCode?: pulumi.Input<string>;
    email?: pulumi.Input<string>;
    forceDelete?: pulumi.Input<boolean>;
    name?: pulumi.Input<string>;
    needResetPassword?: pulumi.Input<boolean>;
    password?: pulumi.Input<string>;
    phoneNum?: pulumi.Input<string>;
    remark?: pulumi.Input<string>;
    secretId?: pulumi.Input<string>;
    secretKey?: pulumi.Input<string>;
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    tencentcloudCamUserId?: pulumi.Input<string>;
    uid?: pulumi.Input<number>;
    uin?: pulumi.Input<number>;
    useApi?: pulumi.Input<boolean>;
}

/** The set of arguments for constructing a CamUser resource. */
export interface CamUserArgs {
    /** Whether the user may log in to the console. */
    consoleLogin?: pulumi.Input<boolean>;
    countryCode?: pulumi.Input<string>;
    email?: pulumi.Input<string>;
    /** Delete the user even when it still holds API keys. */
    forceDelete?: pulumi.Input<boolean>;
    /** Name of the CAM user (auto-named when absent). */
    name?: pulumi.Input<string>;
    needResetPassword?: pulumi.Input<boolean>;
    password?: pulumi.Input<string>;
    phoneNum?: pulumi.Input<string>;
    remark?: pulumi.Input<string>;
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    tencentcloudCamUserId?: pulumi.Input<string>;
    /** Create an API key with the user (outputs secretId / secretKey). */
    useApi?: pulumi.Input<boolean>;
}
