/**
 * Plugin defaults every resource of this package carries, as the generated SDK does: the
 * engine installs provider plugin `tencentcloud` at this version from Tencent's GitHub
 * releases (it is not on Pulumi's plugin server).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

interface PulumiPackageInfo {
    name: string;
    version: string;
    server: string;
}

/** package.json's `pulumi` block is the one place the plugin version is written down. */
function readPackageInfo(): PulumiPackageInfo {
    // Compiled into bin/, so package.json is one folder up.
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { pulumi: PulumiPackageInfo };
    return pkg.pulumi;
}

const info = readPackageInfo();

/** The tencentcloudstack/pulumi-tencentcloud release whose schema this binding follows. */
export const PLUGIN_VERSION: string = info.version;
export const PLUGIN_DOWNLOAD_URL: string = info.server;

/** Caller's options with the plugin version and download URL filled in (caller wins). */
export function withPluginDefaults<T extends pulumi.ResourceOptions>(opts: T | undefined, extra: Partial<T> = {}): T {
    const defaults = { version: PLUGIN_VERSION, pluginDownloadURL: PLUGIN_DOWNLOAD_URL } as T;
    return pulumi.mergeOptions(pulumi.mergeOptions(defaults, opts ?? ({} as T)), extra) as T;
}
