/**
 * The real programs the sandbox runs, built from the pinned Go modules in `sandbox/tools/<module>/`
 * (each a go.mod, its go.sum and a tools.go naming the programs) and cached outside the clone,
 * keyed by the module's go.mod, go.sum and the Go version, so a second run builds nothing.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { UserError } from "../core/errors";

const run = promisify(execFile);

/** The Go modules, in build order (the quickest first, so a missing toolchain shows early). */
export const TOOL_MODULES = ["etcd", "kubernetes", "velero", "velero-plugin-for-aws", "helm", "pulumi", "pulumi-kubernetes"] as const;
export type ToolModule = (typeof TOOL_MODULES)[number];

/** Where the sandbox keeps what outlives a clone: `TKE2EKS_CACHE`, else the XDG cache folder. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
    if (env.TKE2EKS_CACHE) return path.resolve(env.TKE2EKS_CACHE);
    return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "tke2eks");
}

/** `sandbox/tools/` of this checkout (from the sources and from dist/). */
export function toolsDir(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const candidate = path.join(dir, "sandbox", "tools");
        if (fs.existsSync(path.join(candidate, "kubernetes", "go.mod"))) return candidate;
    }
    throw new UserError("sandbox: cannot find sandbox/tools/ (the pinned Go modules) above " + __dirname);
}

/** The packages a module builds: the blank imports of its tools.go. */
export function modulePrograms(moduleDir: string): string[] {
    const source = fs.readFileSync(path.join(moduleDir, "tools.go"), "utf8");
    return [...source.matchAll(/^\s*(?:import\s+)?_\s+"([^"]+)"/gm)].map((m) => m[1]);
}

/** The pinned version of `modulePath` in a tools module's go.mod. */
export function requiredVersion(moduleDir: string, modulePath: string): string {
    const gomod = fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8");
    const m = new RegExp(`^\\s*(?:require\\s+)?${modulePath.replace(/[.]/g, "\\.")}\\s+(v\\S+)`, "m").exec(gomod);
    if (!m) throw new Error(`${moduleDir}/go.mod does not require ${modulePath}`);
    return m[1];
}

/**
 * Version stamps a release build sets with -X: without them the API server reports v0.0.0 from
 * /version (our checks read it) and Velero "main" from its ServerStatusRequest.
 */
export function versionFlags(module: ToolModule, moduleDir: string): string[] {
    switch (module) {
        case "kubernetes": {
            const v = requiredVersion(moduleDir, "k8s.io/kubernetes");
            const [major, minor] = v.slice(1).split(".");
            const pkg = "k8s.io/component-base/version";
            return [`-X ${pkg}.gitVersion=${v}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`];
        }
        case "velero":
            return [
                `-X github.com/vmware-tanzu/velero/pkg/buildinfo.Version=${requiredVersion(moduleDir, "github.com/vmware-tanzu/velero")}`,
                // Velero leaves controller-runtime's metrics listener at its default, :8080 on every
                // interface (pkg/cmd/server/server.go:269-276 at v1.18.2; controller-runtime v0.21.0
                // pkg/metrics/server/server.go:45): two servers on one host would collide. "0" turns
                // it off; Velero's own metrics stay on --metrics-address.
                "-X sigs.k8s.io/controller-runtime/pkg/metrics/server.DefaultBindAddress=0",
            ];
        // The CLI checks a project's requiredPulumiVersion against this variable.
        case "pulumi":
            return [`-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${requiredVersion(moduleDir, "github.com/pulumi/pulumi/pkg/v3")}`];
        // The provider reports it to the engine, which loads a plugin only at the version the SDK asks for.
        case "pulumi-kubernetes":
            return [`-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${kubernetesProviderVersion(moduleDir)}`];
        default:
            return [];
    }
}

/** The Kubernetes provider's release (`4.25.0`): its SDK module's, which go.mod pins at the provider's tag. */
export function kubernetesProviderVersion(moduleDir: string): string {
    return requiredVersion(moduleDir, "github.com/pulumi/pulumi-kubernetes/sdk/v4").replace(/^v/, "");
}

/** Programs whose package path does not say their name (`go build` would call etcd `server`). */
const PROGRAM_ALIASES: Record<string, string> = { "go.etcd.io/etcd/server/v3": "etcd" };

/** A package's program name: its alias, else as `go build` names it (the last element that is not a major version). */
export function programName(pkg: string): string {
    if (PROGRAM_ALIASES[pkg]) return PROGRAM_ALIASES[pkg];
    const parts = pkg.split("/");
    const last = parts[parts.length - 1];
    return /^v\d+$/.test(last) ? parts[parts.length - 2] : last;
}

async function goVersion(): Promise<string> {
    try {
        return (await run("go", ["env", "GOVERSION", "GOOS", "GOARCH"])).stdout.trim().replace(/\s+/g, " ");
    } catch (err) {
        const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no `go` on PATH" : String((err as Error).message).split("\n")[0];
        throw new UserError(`sandbox: building the real programs needs Go 1.26 or later (${why}); see docs/cli.md, "tke2eks sandbox"`);
    }
}

/** The cache key of one module: what it pins and the compiler that builds it. */
export function moduleKey(moduleDir: string, go: string, ldflags: string): string {
    const hash = createHash("sha256");
    for (const file of ["go.mod", "go.sum", "tools.go"]) hash.update(fs.readFileSync(path.join(moduleDir, file)));
    hash.update(go);
    hash.update(ldflags);
    return hash.digest("hex").slice(0, 16);
}

export interface BuildReport {
    module: ToolModule;
    dir: string;
    built: boolean;
    seconds: number;
}

export interface Toolchain {
    /** Program name → absolute path. */
    programs: Record<string, string>;
    reports: BuildReport[];
}

/**
 * Builds what is missing and returns every program's path. A build goes to a temporary folder
 * renamed into place when complete, so an interrupted build never leaves a half cache entry.
 */
export async function ensureTools(log: (line: string) => void = () => {}, env: NodeJS.ProcessEnv = process.env): Promise<Toolchain> {
    const go = await goVersion();
    const tools = toolsDir();
    const programs: Record<string, string> = {};
    const reports: BuildReport[] = [];
    for (const module of TOOL_MODULES) {
        const moduleDir = path.join(tools, module);
        const pkgs = modulePrograms(moduleDir);
        const ldflags = ["-s", "-w", ...versionFlags(module, moduleDir)].join(" ");
        const dir = path.join(cacheRoot(env), "tools", `${module}-${moduleKey(moduleDir, go, ldflags)}`);
        const started = Date.now();
        let built = false;
        if (!pkgs.every((p) => fs.existsSync(path.join(dir, programName(p))))) {
            log(`building ${module} (${pkgs.map(programName).join(", ")}) from ${path.relative(process.cwd(), moduleDir) || moduleDir}: the first time takes minutes`);
            await buildModule(module, moduleDir, pkgs, dir, ldflags);
            built = true;
        }
        for (const p of pkgs) programs[programName(p)] = path.join(dir, programName(p));
        reports.push({ module, dir, built, seconds: (Date.now() - started) / 1000 });
    }
    return { programs, reports };
}

/**
 * The CRDs of the CSI snapshot API (VolumeSnapshot, ...Content, ...Class and the group ones), from
 * the external-snapshotter client module the pinned Velero builds with: with EnableCSI a backup
 * lists VolumeSnapshots and fails where the API does not exist (pkg/backup/snapshots.go:56 at
 * v1.18.2), as it would not on a cluster with a CSI driver.
 */
export async function snapshotCrds(): Promise<string[]> {
    const moduleDir = path.join(toolsDir(), "velero");
    const snapshotter = "github.com/kubernetes-csi/external-snapshotter/client/v8";
    const { stdout } = await run("go", ["mod", "download", "-json", `${snapshotter}@${requiredVersion(moduleDir, snapshotter)}`], { cwd: moduleDir });
    const crdDir = path.join((JSON.parse(stdout) as { Dir: string }).Dir, "config", "crd");
    return fs
        .readdirSync(crdDir)
        .filter((f) => f.endsWith(".yaml") && f.includes("snapshot.storage.k8s.io_"))
        .map((f) => path.join(crdDir, f));
}

/**
 * The Kubernetes provider's module zip lacks the two files its Makefile generates and embeds
 * (cmd/pulumi-resource-kubernetes/schema-embed.json and terraform-mapping-embed.json, gitignored
 * upstream), and `go build -overlay` may not replace files under GOMODCACHE. So: a writable copy
 * of the module, its own generate.go run in it, and a go.work that replaces the module with the
 * copy. Returns the environment the build runs with.
 */
async function generatedProvider(moduleDir: string, work: string): Promise<NodeJS.ProcessEnv> {
    const modulePath = "github.com/pulumi/pulumi-kubernetes/provider/v4";
    const { stdout } = await run("go", ["list", "-mod=readonly", "-m", "-f", "{{.Dir}} {{.Version}}", modulePath], { cwd: moduleDir });
    const [source, version] = stdout.trim().split(" ");
    const copy = path.join(work, "provider");
    fs.cpSync(source, copy, { recursive: true });
    await run("chmod", ["-R", "u+w", copy]);
    const cmdDir = path.join(copy, "cmd", "pulumi-resource-kubernetes");
    const generate = path.join(work, "generate");
    await run("go", ["build", "-mod=readonly", "-o", generate, path.join(cmdDir, "generate.go")], { cwd: moduleDir, maxBuffer: 64 * 1024 * 1024 });
    await run(generate, [], { cwd: cmdDir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, VERSION: kubernetesProviderVersion(moduleDir) } });
    const goVersion = (await run("go", ["env", "GOVERSION"])).stdout.trim().replace(/^go/, "");
    const goWork = path.join(work, "go.work");
    fs.writeFileSync(goWork, `go ${goVersion}\n\nuse ${moduleDir}\n\nreplace ${modulePath} ${version} => ${copy}\n`);
    return { GOWORK: goWork };
}

async function buildModule(module: ToolModule, moduleDir: string, pkgs: string[], dir: string, ldflags: string): Promise<void> {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const tmp = fs.mkdtempSync(`${dir}.partial-`);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `tke2eks-${module}-`));
    try {
        const extraEnv = module === "pulumi-kubernetes" ? await generatedProvider(moduleDir, work) : {};
        // -mod=readonly: the pinned go.sum is the contract; a build never rewrites it.
        // One package at a time, so each binary gets its own name (`-o file`).
        for (const pkg of pkgs) {
            await run("go", ["build", "-mod=readonly", "-trimpath", `-ldflags=${ldflags}`, "-o", path.join(tmp, programName(pkg)), pkg], {
                cwd: moduleDir,
                maxBuffer: 64 * 1024 * 1024,
                env: { ...process.env, GOFLAGS: "-buildvcs=false", ...extraEnv },
            });
        }
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
    } catch (err) {
        fs.rmSync(tmp, { recursive: true, force: true });
        const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim();
        throw new UserError(`sandbox: go build in ${moduleDir} failed:\n${stderr.split("\n").slice(-15).join("\n")}`);
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
