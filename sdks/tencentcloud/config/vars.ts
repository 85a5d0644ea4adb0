// Provider settings read from the stack's `tencentcloud:*` config (the default provider's).
import * as pulumi from "@pulumi/pulumi";

const __config = new pulumi.Config("tencentcloud");

export declare const region: string | undefined;
Object.defineProperty(exports, "region", {
    get() {
        return __config.get("region");
    },
    enumerable: true,
});

export declare const secretId: string | undefined;
Object.defineProperty(exports, "secretId", {
    get() {
        return __config.get("secretId");
    },
    enumerable: true,
});

export declare const secretKey: string | undefined;
Object.defineProperty(exports, "secretKey", {
    get() {
        return __config.get("secretKey");
    },
    enumerable: true,
});
