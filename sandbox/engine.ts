/**
 * The Pulumi engine of the sandbox: the CLI and the Kubernetes provider built from the pinned
 * modules, the provider installed as a plugin into a PULUMI_HOME under the cache, a file backend
 * and a passphrase inside the sandbox's folder, and nothing fetched at run time.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { UserError } from "../core/errors";
import { cacheRoot, kubernetesProviderVersion, toolsDir, type Toolchain } from "./toolchain";

const run = promisify(execFile);

/** What keeps the engine offline: no plugin downloads, no update check. */
const OFFLINE = { PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true", PULUMI_SKIP_UPDATE_CHECK: "true" };

/**
 * A PULUMI_HOME holding the Kubernetes provider the toolchain built, one per build. The engine
 * loads a provider only at the version the SDK asks for, so the SDK in package.json must be the
 * provider's release.
 */
export async function pulumiHome(tools: Toolchain, env: NodeJS.ProcessEnv = process.env): Promise<string> {
    const version = kubernetesProviderVersion(path.join(toolsDir(), "pulumi-kubernetes"));
    const sdk = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")) as { version: string }).version;
    if (sdk !== version) {
        throw new UserError(`sandbox: @pulumi/kubernetes is ${sdk} but sandbox/tools/pulumi-kubernetes pins the provider at ${version}; the engine would ask for a ${sdk} plugin`);
    }
    const binary = tools.programs["pulumi-resource-kubernetes"];
    const home = path.join(cacheRoot(env), "pulumi-home", path.basename(path.dirname(binary)));
    const plugin = path.join(home, "plugins", `resource-kubernetes-v${version}`);
    // The CLI marks an install in progress with a .partial file beside the plugin's folder.
    if (!fs.existsSync(path.join(plugin, "pulumi-resource-kubernetes")) || fs.existsSync(`${plugin}.partial`)) {
        await run(tools.programs.pulumi, ["plugin", "install", "resource", "kubernetes", version, "--file", binary], { env: { ...process.env, ...OFFLINE, PULUMI_HOME: home } });
    }
    return home;
}

/** The engine's environment for a sandbox in `dir`: its backend and passphrase stay in `dir` across restarts. */
export function engineEnv(dir: string, home: string): Record<string, string> {
    const passphraseFile = path.join(dir, "pulumi-passphrase");
    if (!fs.existsSync(passphraseFile)) fs.writeFileSync(passphraseFile, randomBytes(18).toString("base64url"), { mode: 0o600 });
    fs.mkdirSync(path.join(dir, "pulumi-state"), { recursive: true });
    return {
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${path.join(dir, "pulumi-state")}`,
        PULUMI_CONFIG_PASSPHRASE: fs.readFileSync(passphraseFile, "utf8"),
        ...OFFLINE,
    };
}
