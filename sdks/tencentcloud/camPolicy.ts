// tencentcloud_cam_policy (terraform-provider-tencentcloud v1.83.25,
// tencentcloud/services/cam/resource_tc_cam_policy.go) as the bridge maps it.
import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

export class CamPolicy extends pulumi.CustomResource {
    /** Looks up an existing CamPolicy's state by its provider ID. */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: CamPolicyState, opts?: pulumi.CustomResourceOptions): CamPolicy {
        return new CamPolicy(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = "tencentcloud:index/camPolicy:CamPolicy";

    public static isInstance(obj: any): obj is CamPolicy {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj["__pulumiType"] === CamPolicy.__pulumiType;
    }

    declare public readonly createTime: pulumi.Output<string>;
    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly document: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly tags: pulumi.Output<{ [key: string]: string } | undefined>;
    declare public readonly tencentcloudCamPolicyId: pulumi.Output<string>;
    /** 1: custom policy, 2: preset policy. */
    declare public readonly type: pulumi.Output<number>;
    declare public readonly updateTime: pulumi.Output<string>;

    constructor(name: string, args: CamPolicyArgs, opts?: pulumi.CustomResourceOptions);
    constructor(name: string, argsOrState?: CamPolicyArgs | CamPolicyState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as CamPolicyState | undefined;
            resourceInputs["createTime"] = state?.createTime;
            resourceInputs["description"] = state?.description;
            resourceInputs["document"] = state?.document;
            resourceInputs["name"] = state?.name;
            resourceInputs["tags"] = state?.tags;
            resourceInputs["tencentcloudCamPolicyId"] = state?.tencentcloudCamPolicyId;
            resourceInputs["type"] = state?.type;
            resourceInputs["updateTime"] = state?.updateTime;
        } else {
            const args = argsOrState as CamPolicyArgs | undefined;
            if (args?.document === undefined && !opts.urn) {
                throw new Error("Missing required property 'document'");
            }
            resourceInputs["description"] = args?.description;
            resourceInputs["document"] = args?.document;
            resourceInputs["name"] = args?.name;
            resourceInputs["tags"] = args?.tags;
            resourceInputs["tencentcloudCamPolicyId"] = args?.tencentcloudCamPolicyId;
            resourceInputs["createTime"] = undefined /*out*/;
            resourceInputs["type"] = undefined /*out*/;
            resourceInputs["updateTime"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(CamPolicy.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/** Filters for looking up CamPolicy resources. */
export interface CamPolicyState {
    createTime?: pulumi.Input<string>;
    description?: pulumi.Input<string>;
    document?: pulumi.Input<string>;
    name?: pulumi.Input<string>;
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    tencentcloudCamPolicyId?: pulumi.Input<string>;
    type?: pulumi.Input<number>;
    updateTime?: pulumi.Input<string>;
}

/** The set of arguments for constructing a CamPolicy resource. */
export interface CamPolicyArgs {
    description?: pulumi.Input<string>;
    /** Policy document, CAM syntax version 2.0, as a JSON string. */
    document: pulumi.Input<string>;
    /** Name of the policy (auto-named when absent). */
    name?: pulumi.Input<string>;
    tags?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    tencentcloudCamPolicyId?: pulumi.Input<string>;
}
