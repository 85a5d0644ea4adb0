// The package's one module, `index`: every resource exported flat (tencentcloud.CosBucket),
// loaded on first use, and registered so the engine can rehydrate resource references.
import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

export { CamAccessKeyArgs, CamAccessKeyState } from "./camAccessKey";
export type CamAccessKey = import("./camAccessKey").CamAccessKey;
export const CamAccessKey: typeof import("./camAccessKey").CamAccessKey = null as any;
utilities.lazyLoad(exports, ["CamAccessKey"], () => require("./camAccessKey"));

export { CamPolicyArgs, CamPolicyState } from "./camPolicy";
export type CamPolicy = import("./camPolicy").CamPolicy;
export const CamPolicy: typeof import("./camPolicy").CamPolicy = null as any;
utilities.lazyLoad(exports, ["CamPolicy"], () => require("./camPolicy"));

export { CamUserArgs, CamUserState } from "./camUser";
export type CamUser = import("./camUser").CamUser;
export const CamUser: typeof import("./camUser").CamUser = null as any;
utilities.lazyLoad(exports, ["CamUser"], () => require("./camUser"));

export { CamUserPolicyAttachmentArgs, CamUserPolicyAttachmentState } from "./camUserPolicyAttachment";
export type CamUserPolicyAttachment = import("./camUserPolicyAttachment").CamUserPolicyAttachment;
export const CamUserPolicyAttachment: typeof import("./camUserPolicyAttachment").CamUserPolicyAttachment = null as any;
utilities.lazyLoad(exports, ["CamUserPolicyAttachment"], () => require("./camUserPolicyAttachment"));

export { CosBucketArgs, CosBucketState } from "./cosBucket";
export type CosBucket = import("./cosBucket").CosBucket;
export const CosBucket: typeof import("./cosBucket").CosBucket = null as any;
utilities.lazyLoad(exports, ["CosBucket"], () => require("./cosBucket"));

export { ProviderArgs } from "./provider";
export type Provider = import("./provider").Provider;
export const Provider: typeof import("./provider").Provider = null as any;
utilities.lazyLoad(exports, ["Provider"], () => require("./provider"));

// Export sub-modules:
import * as config from "./config";
import * as types from "./types";

export { config, types };

const _module = {
    version: utilities.getVersion(),
    construct: (name: string, type: string, urn: string): pulumi.Resource => {
        switch (type) {
            case "tencentcloud:index/camAccessKey:CamAccessKey":
                return new CamAccessKey(name, <any>undefined, { urn });
            case "tencentcloud:index/camPolicy:CamPolicy":
                return new CamPolicy(name, <any>undefined, { urn });
            case "tencentcloud:index/camUser:CamUser":
                return new CamUser(name, <any>undefined, { urn });
            case "tencentcloud:index/camUserPolicyAttachment:CamUserPolicyAttachment":
                return new CamUserPolicyAttachment(name, <any>undefined, { urn });
            case "tencentcloud:index/cosBucket:CosBucket":
                return new CosBucket(name, <any>undefined, { urn });
            default:
                throw new Error(`unknown resource type ${type}`);
        }
    },
};
pulumi.runtime.registerResourceModule("tencentcloud", "index", _module);
pulumi.runtime.registerResourcePackage("tencentcloud", {
    version: utilities.getVersion(),
    constructProvider: (name: string, type: string, urn: string): pulumi.ProviderResource => {
        if (type !== "pulumi:providers:tencentcloud") {
            throw new Error(`unknown provider type ${type}`);
        }
        return new Provider(name, <any>undefined, { urn });
    },
});
