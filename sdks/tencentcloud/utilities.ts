// The helpers every generated resource module uses, with the parameterized package's
// registration: the engine runs plugin `terraform-provider` 1.1.0, parameterized with the
// Terraform provider below (pulumi/pulumi pkg/codegen/nodejs/gen.go@v3.248.0, genUtilitiesFile;
// the parameter is pulumi-terraform-bridge dynamic/parameterize/value.go's Value as JSON).
import * as runtime from "@pulumi/pulumi/runtime";

export function getEnv(...vars: string[]): string | undefined {
    for (const v of vars) {
        const value = process.env[v];
        if (value) {
            return value;
        }
    }
    return undefined;
}

export function getVersion(): string {
    // package.json sits beside the compiled files (scripts/postinstall.js copies it into bin/).
    let version: string = require("./package.json").version;
    if (version.startsWith("v")) {
        version = version.slice(1);
    }
    return version;
}

/** @internal */
export function resourceOptsDefaults(): any {
    return { version: getVersion() };
}

/** @internal */
export function lazyLoad(exports: any, props: string[], loadModule: any) {
    for (const property of props) {
        Object.defineProperty(exports, property, {
            enumerable: true,
            get: function () {
                return loadModule()[property];
            },
        });
    }
}

/** Registers the parameterized package once per deployment; every resource carries its reference. */
export async function getPackage(): Promise<string | undefined> {
    return runtime.registerPackage({
        baseProviderName: "terraform-provider",
        baseProviderVersion: "1.1.0",
        baseProviderDownloadUrl: "",
        packageName: "tencentcloud",
        packageVersion: "1.83.25",
        // {"remote":{"url":"registry.opentofu.org/tencentcloudstack/tencentcloud","version":"1.83.25"}}
        base64Parameter: "eyJyZW1vdGUiOnsidXJsIjoicmVnaXN0cnkub3BlbnRvZnUub3JnL3RlbmNlbnRjbG91ZHN0YWNrL3RlbmNlbnRjbG91ZCIsInZlcnNpb24iOiIxLjgzLjI1In19",
    });
}
