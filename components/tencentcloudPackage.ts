/**
 * The one pin of the Tencent Cloud provider: Pulumi.yaml's `packages.tencentcloud` entry, the
 * SDK in sdks/tencentcloud (what `pulumi install` generates from that entry) and the tests
 * must all agree with it. The engine runs plugin `terraform-provider` at `basePlugin.version`,
 * parameterized with the Terraform provider at `version` (pulumi-terraform-bridge
 * dynamic/parameterize/value.go: the parameter is `{"remote":{"url","version"}}` as JSON).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../core/errors";

export const TENCENTCLOUD_PACKAGE = {
    /** Pulumi package name: tokens are `tencentcloud:index/<resource>:<Resource>`. */
    name: "tencentcloud",
    /** Terraform provider source, as `pulumi package add terraform-provider` takes it. */
    terraformProvider: "tencentcloudstack/tencentcloud",
    /** The bridge's default registry (dynamic/README.md). */
    registry: "registry.opentofu.org",
    version: "1.83.25",
    basePlugin: { name: "terraform-provider", version: "1.1.0" },
} as const;

/** The parameter value the bridge records in the generated SDK (and parses back on Parameterize). */
export function tencentCloudParameter(): string {
    const p = TENCENTCLOUD_PACKAGE;
    return JSON.stringify({ remote: { url: `${p.registry}/${p.terraformProvider}`, version: p.version } });
}

interface PluginBlock {
    name?: string;
    version?: string;
    parameterization?: { name?: string; version?: string; value?: string };
}

/**
 * One line saying why the installed `@pulumi/tencentcloud` is not the pinned one, or undefined
 * when it is: after a version change in Pulumi.yaml, `pulumi install` must regenerate the SDK.
 */
export function tencentCloudSdkMismatch(packageJsonPath = require.resolve("@pulumi/tencentcloud/package.json")): string | undefined {
    const p = TENCENTCLOUD_PACKAGE;
    const want = `${p.terraformProvider} ${p.version} on ${p.basePlugin.name} ${p.basePlugin.version}`;
    let plugin: PluginBlock | undefined;
    try {
        plugin = (JSON.parse(fs.readFileSync(packageJsonPath, "utf8")) as { pulumi?: PluginBlock }).pulumi;
    } catch (err) {
        return `${path.relative(process.cwd(), packageJsonPath)}: unreadable (${(err as Error).message}); run pulumi install to generate the ${want} SDK`;
    }
    const param = plugin?.parameterization;
    const value = param?.value ? Buffer.from(param.value, "base64").toString("utf8") : undefined;
    if (plugin?.name === p.basePlugin.name && plugin.version === p.basePlugin.version && param?.name === p.name && param.version === p.version && value === tencentCloudParameter()) {
        return undefined;
    }
    const got = param ? `${param.name} ${param.version} on ${plugin?.name} ${plugin?.version}` : `plugin ${plugin?.name ?? "?"} ${plugin?.version ?? "?"} (not parameterized)`;
    return `@pulumi/tencentcloud is ${got}, Pulumi.yaml pins ${want}: run pulumi install (or pulumi package add terraform-provider ${p.terraformProvider} ${p.version})`;
}

/** Throws UserError unless the installed SDK is the pinned one. */
export function assertTencentCloudSdk(packageJsonPath?: string): void {
    const mismatch = tencentCloudSdkMismatch(packageJsonPath);
    if (mismatch) throw new UserError(mismatch);
}
