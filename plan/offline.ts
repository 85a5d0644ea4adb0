/**
 * Runs a Pulumi program in this process as a preview, with no engine, CLI or cloud: the
 * SDK's mock monitor stands in for the engine and we record every registration it gets,
 * in the engine's own wire form, so secrets and values not known until deploy stay marked.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RegisterPackageRequest, RegisterPackageResponse, RegisterResourceOutputsRequest, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb.js";

/** One resource as the engine would have received it. */
export interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** URN of the resource's provider (custom resources with an explicit provider). */
    provider?: string;
    dependencies: string[];
    protect: boolean;
    retainOnDelete: boolean;
    /** Plugin version and download URL the resource asks the engine for. */
    version: string;
    pluginDownloadURL: string;
    additionalSecretOutputs: string[];
    /** Reference of the parameterized package the resource belongs to (see `OfflineRun.packages`). */
    packageRef?: string;
    /** Inputs as the engine sees them: a secret is wrapped where it is, unknowns are a sentinel. */
    inputs: Record<string, unknown>;
}

/** A parameterized package as the engine would have received it (RegisterPackageRequest). */
export interface PackageRegistration {
    ref: string;
    /** Base plugin, its version and download URL. */
    name: string;
    version: string;
    downloadUrl: string;
    parameterization?: { name: string; version: string; /** The parameter, decoded as UTF-8. */ value: string };
}

export interface OfflineRun {
    registrations: Registration[];
    packages: PackageRegistration[];
    /** The stack's outputs, in wire form. */
    outputs: Record<string, unknown>;
}

export interface OfflineOptions {
    project: string;
    stack: string;
    /** `<namespace>:<key>` → string, as the engine passes config. */
    config: Record<string, string>;
    secretKeys?: string[];
    /** The program; its return value becomes the stack outputs. */
    program: () => unknown;
    /** A preview (default) leaves outputs unknown; otherwise `outputs` fills them in. */
    preview?: boolean;
    /** Extra outputs of a resource, as a provider would return them after create. */
    outputs?: (args: { type: string; name: string; inputs: Record<string, unknown> }) => Record<string, unknown>;
}

/*
 * The mock monitor's requests and answers, typed by the SDK's own generated protobuf classes
 * (type-only imports, nothing loaded): when an SDK upgrade renames a getter, tsc fails here.
 */
type WireRequest = Pick<RegisterResourceRequest, "getType" | "getName" | "getParent" | "getCustom" | "getProvider" | "getDependenciesList" | "getProtect" | "getRetainondelete" | "getVersion" | "getPlugindownloadurl" | "getAdditionalsecretoutputsList" | "getPackageref" | "getObject">;
type Callback = (err: unknown, resp?: Pick<RegisterResourceResponse, "getUrn">) => void;
type PackageRequest = Pick<RegisterPackageRequest, "getName" | "getVersion" | "getDownloadUrl" | "getParameterization">;

interface MonitorLike {
    registerPackage(req: PackageRequest, cb: (err: unknown, resp?: Pick<RegisterPackageResponse, "getRef">) => void): void;
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: WireRequest, cb: Callback): Promise<void> | void;
    registerResourceOutputs(req: Pick<RegisterResourceOutputsRequest, "getUrn" | "getOutputs">, cb: (err: unknown, resp?: unknown) => void): void;
}

/**
 * The SDK's mock monitor (runtime/mocks.ts, after setMocks), whose methods runOffline wraps to
 * record what the program registers: an SDK internal, the one place it is reached, checked here
 * so that an SDK that renames or drops a method fails with this message rather than recording
 * nothing (test/plan/sdkInternals.spec.ts runs the wrappers against the installed SDK).
 */
function mockMonitor(): MonitorLike {
    const monitor = pulumi.runtime.getMonitor() as unknown as Record<string, unknown> | undefined;
    const missing = (["registerResource", "registerResourceOutputs", "registerPackage", "newUrn"] as const).filter((m) => typeof monitor?.[m] !== "function");
    if (!monitor || missing.length > 0) throw new Error(`@pulumi/pulumi's mock monitor changed: no ${missing.join(", ") || "monitor"}; tke2eks plan cannot record the program's resources`);
    return monitor as unknown as MonitorLike;
}

/**
 * The engine's URN: the type is qualified by the parent's qualified type (its whole chain),
 * except under the root stack. The SDK's mock keeps only the parent's own type.
 */
export function engineUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
    const parentType = parentUrn ? parentUrn.split("::")[2] : "";
    const qualified = parentType && parentType !== pulumi.runtime.rootPulumiStackTypeName ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** A provider reference is `<urn>::<id>`; the id is unknown in a preview. */
function providerUrn(ref: string): string | undefined {
    if (!ref) return undefined;
    const cut = ref.lastIndexOf("::");
    return cut > 0 ? ref.slice(0, cut) : ref;
}

function mocksFor(opts: OfflineOptions): pulumi.runtime.Mocks {
    const preview = opts.preview ?? true;
    return {
        // In a preview, outputs other than the inputs stay unknown, ids too.
        newResource: (args) => ({
            id: preview ? undefined : `${args.name}-id`,
            state: { ...args.inputs, ...opts.outputs?.({ type: args.type, name: args.name, inputs: args.inputs }) },
        }),
        call: () => ({}),
    };
}

/** Runs the program once; resolves when every registration has reached the monitor. */
export async function runOffline(opts: OfflineOptions): Promise<OfflineRun> {
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
    await pulumi.runtime.setMocks(mocksFor(opts), opts.project, opts.stack, opts.preview ?? true);

    const registrations: Registration[] = [];
    const packages: PackageRegistration[] = [];
    const outputs: Record<string, Record<string, unknown>> = {};
    const monitor = mockMonitor();
    const register = monitor.registerResource.bind(monitor);
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    const registerPackage = monitor.registerPackage.bind(monitor);
    monitor.newUrn = (parent, type, name) => engineUrn(opts.stack, opts.project, parent, type, name);

    monitor.registerResource = (req, cb) =>
        register(req, (err, resp) => {
            if (!err && resp) {
                const reg: Registration = {
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    dependencies: req.getDependenciesList(),
                    // Optional fields in the SDK's wire types (3.276): unset is the engine's default, false.
                    protect: req.getProtect() ?? false,
                    retainOnDelete: req.getRetainondelete() ?? false,
                    version: req.getVersion(),
                    pluginDownloadURL: req.getPlugindownloadurl(),
                    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                    inputs: req.getObject()?.toJavaScript() ?? {},
                };
                if (req.getPackageref()) reg.packageRef = req.getPackageref();
                if (req.getParent()) reg.parent = req.getParent();
                const provider = providerUrn(req.getProvider());
                if (provider) reg.provider = provider;
                registrations.push(reg);
            }
            cb(err, resp);
        });
    monitor.registerPackage = (req, cb) =>
        registerPackage(req, (err, resp) => {
            if (!err && resp) {
                const p = req.getParameterization();
                const pkg: PackageRegistration = { ref: resp.getRef(), name: req.getName(), version: req.getVersion(), downloadUrl: req.getDownloadUrl() };
                if (p) pkg.parameterization = { name: p.getName(), version: p.getVersion(), value: Buffer.from(p.getValue_asU8()).toString("utf8") };
                packages.push(pkg);
            }
            cb(err, resp);
        });
    monitor.registerResourceOutputs = (req, cb) => {
        outputs[req.getUrn()] = req.getOutputs()?.toJavaScript() ?? {};
        registerOutputs(req, cb);
    };

    // The SDK lets a program's error reject more than the promise we await; those copies
    // must not end the process. Kept, so that an error nothing awaited still fails the run.
    const stray: unknown[] = [];
    const collect = (reason: unknown) => void stray.push(reason);
    process.on("unhandledRejection", collect);
    try {
        await pulumi.runtime.runInPulumiStack(async () => opts.program());
        // Waits for every outstanding registration, then lets go of the mock monitor.
        await pulumi.runtime.disconnect();
    } finally {
        // Rejections are reported on a later tick: let them arrive before unhooking.
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", collect);
        // The run is over: drop the runtime's state, including the promises a failed run left
        // pending (otherwise reported as leaks when the process exits).
        pulumi.runtime.resetOptions(opts.project, opts.stack, -1, "", "", false, "");
    }
    if (stray.length > 0) throw stray[0];

    const stack = registrations.find((r) => r.type === pulumi.runtime.rootPulumiStackTypeName);
    return { registrations, packages, outputs: (stack && outputs[stack.urn]) ?? {} };
}
