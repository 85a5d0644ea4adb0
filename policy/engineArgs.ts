/**
 * Arguments for policy callbacks, shaped as @pulumi/policy 1.21's server builds them
 * (server.js: makeAnalyzeRpcFun, makeAnalyzeStackRpcFun, makeRemediateRpcFun): inputs behind
 * the unknown-checking proxy, isType/asType by type token, getConfig, a throwing
 * notApplicable, resource options, the provider, stack resources linked to their parent
 * and dependencies; and a reportViolation that records what the server would send.
 * Only the proxy module of the SDK is loaded: its index starts with the gRPC server code.
 */
import type {
    EnforcementLevel,
    Policy,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
} from "@pulumi/policy";
import { unknownCheckingProxy } from "./sdkProxy";
import { isRecord } from "../rules/objects";

/** One resource the program declared, as the engine would describe it to a policy. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /**
     * The resource's inputs (secrets unwrapped; the caller redacts when printing). A value
     * unknown during preview is the engine's sentinel string (`unknownValue` of
     * @pulumi/pulumi/runtime/rpc), which policies see as unknown.
     */
    props: Record<string, unknown>;
    /** The explicit or default provider of a custom resource. */
    provider?: { urn: string; type: string; name: string; props: Record<string, unknown> };
    parent?: string;
    dependencies: string[];
    protect?: boolean;
}

/** What the server's notApplicable throws; the engine records the policy as not applicable. */
export class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
        this.name = "NotApplicableError";
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

const NO_STACK_TAGS: ReadonlyMap<string, string> = new Map();

/** A resource class as isType/asType receive it: generated classes carry their token. */
interface ResourceClass {
    __pulumiType?: unknown;
    isInstance?: (obj: unknown) => boolean;
}

function isTypeOf(type: string, resourceClass: ResourceClass): boolean {
    const token = resourceClass.__pulumiType;
    if (typeof token === "string" && token.length > 0) return type === token;
    return typeof resourceClass.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }) === true;
}

/**
 * Values as they arrive over gRPC: plain JSON, fields set to undefined dropped (the
 * engine's sentinels for unknown values are strings and pass through).
 */
function onTheWire(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v: unknown) => (v === undefined ? null : onTheWire(v)));
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = onTheWire(v);
    return out;
}

function proxied(props: Record<string, unknown>): Record<string, unknown> {
    return unknownCheckingProxy(onTheWire(props)) as Record<string, unknown>;
}

function optionsOf(r: PlannedResource): PolicyResourceOptions {
    const opts: PolicyResourceOptions = {
        protect: r.protect ?? false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
    if (r.parent) opts.parent = r.parent;
    return opts;
}

function providerOf(r: PlannedResource): PolicyProviderResource | undefined {
    return r.provider && { type: r.provider.type, props: proxied(r.provider.props), urn: r.provider.urn, name: r.provider.name };
}

function typeChecks(type: string, props: Record<string, unknown>) {
    return {
        isType: ((c: ResourceClass) => isTypeOf(type, c)) as ResourceValidationArgs["isType"],
        asType: ((c: ResourceClass) => (isTypeOf(type, c) ? props : undefined)) as ResourceValidationArgs["asType"],
    };
}

function configGetter(config: Record<string, unknown>): ResourceValidationArgs["getConfig"] {
    return <T extends object>() => ({ ...config }) as T;
}

/** Arguments of validateResource and remediateResource for one resource. */
export function resourceArgs(r: PlannedResource, config: Record<string, unknown>): ResourceValidationArgs {
    const props = proxied(r.props);
    const args: ResourceValidationArgs = {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: optionsOf(r),
        stackTags: NO_STACK_TAGS,
        ...typeChecks(r.type, props),
        getConfig: configGetter(config),
        notApplicable: throwNotApplicable,
    };
    const provider = providerOf(r);
    if (provider) args.provider = provider;
    return args;
}

/** Arguments of validateStack: every resource, with parent and dependencies resolved by URN. */
export function stackArgs(resources: readonly PlannedResource[], config: Record<string, unknown>): StackValidationArgs {
    const out = resources.map((r): PolicyResource => {
        const props = proxied(r.props);
        const res: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            ...(typeChecks(r.type, props) as Pick<PolicyResource, "isType" | "asType">),
        };
        const provider = providerOf(r);
        if (provider) res.provider = provider;
        return res;
    });
    const byUrn = new Map(out.map((r) => [r.urn, r]));
    resources.forEach((r, i) => {
        const parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
        if (parent) out[i].parent = parent;
        out[i].dependencies = r.dependencies.flatMap((d) => byUrn.get(d) ?? []);
    });
    return { resources: out, getConfig: configGetter(config), stackTags: NO_STACK_TAGS, notApplicable: throwNotApplicable };
}

/** One diagnostic as the server would send it to the engine. */
export interface Diagnostic {
    policyName: string;
    message: string;
    urn?: string;
    enforcementLevel: EnforcementLevel;
}

interface ViolationObject {
    name?: string;
    message?: string;
    description?: string;
    urn?: string;
    enforcementLevel?: EnforcementLevel;
}

/** reportViolation as the server makes it: the plain form prefixes the policy's description. */
export function violationRecorder(policy: Policy, level: EnforcementLevel, sink: Diagnostic[]): ReportViolation {
    return ((message: string | ViolationObject, urn?: string) => {
        if (typeof message === "object") {
            sink.push({
                policyName: message.name || policy.name,
                message: message.message || message.description || policy.description,
                urn: message.urn,
                enforcementLevel: message.enforcementLevel || level,
            });
        } else {
            sink.push({ policyName: policy.name, message: message ? `${policy.description}\n${message}` : policy.description, urn, enforcementLevel: level });
        }
    }) as ReportViolation;
}
