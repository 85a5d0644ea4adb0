/**
 * Runs one policy's callbacks the way the policy SDK's server does (args from
 * policy/engineArgs.ts, which test/policy/server.spec.ts checks against the SDK's own server),
 * and turns rule fixtures into the resources a Pulumi program would declare.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Policy, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isProfileName, type KubeObject, type ProfileName, type RuleId } from "../../rules";
import { groupOf, isRecord } from "../../rules/objects";
import { NotApplicableError, resourceArgs, stackArgs, violationRecorder, type Diagnostic, type PlannedResource } from "../../policy/engineArgs";
import { policies } from "../../policy/policies";
import { UnknownValueError } from "../../policy/sdkProxy";
import { fixtureExpectations, fixtureTargetMinor, readYamlDocs, ruleFixtureDir } from "../support/reference";

/** The engine's sentinel for a value unknown during preview (it sends every unknown as this string). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type AnyPolicy = Policy & Partial<Pick<ResourceValidationPolicy, "validateResource" | "remediateResource"> & Pick<StackValidationPolicy, "validateStack">>;

export function policyFor(id: RuleId): AnyPolicy {
    const p = policies.find((x) => x.name === id);
    if (!p) throw new Error(`no policy ${id} in the pack`);
    return p as AnyPolicy;
}

export function provider(name: string): NonNullable<PlannedResource["provider"]> {
    return { urn: `urn:pulumi:dev::tke2eks::pulumi:providers:kubernetes::${name}`, type: "pulumi:providers:kubernetes", name, props: { kubeconfig: "[secret]" } };
}

export const TARGET = provider("dev-target");
export const SOURCE = provider("dev-source");

/** The type token @pulumi/kubernetes gives an object (a CustomResource's is its own apiVersion:kind). */
export function typeTokenOf(obj: KubeObject): string {
    const apiVersion = String(obj.apiVersion);
    return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${String(obj.kind)}`;
}

/**
 * The resource a program declares for this object: the typed classes put apiVersion and kind
 * in their inputs, a Helm release has neither.
 */
export function resourceOf(obj: KubeObject, prov: PlannedResource["provider"] | null = TARGET): PlannedResource {
    const type = typeTokenOf(obj);
    const props = structuredClone(obj);
    if (groupOf(String(obj.apiVersion)) === "helm.sh") {
        delete props.apiVersion;
        delete props.kind;
    }
    const meta = isRecord(obj.metadata) ? obj.metadata : obj;
    const name = [prov?.name, meta.namespace, meta.name ?? "unnamed"].filter((s) => s !== undefined).join("-");
    const r: PlannedResource = { urn: `urn:pulumi:dev::tke2eks::${type}::${name}`, type, name, props, dependencies: [] };
    if (prov) r.provider = prov;
    return r;
}

export interface ResourceRun {
    violations: Diagnostic[];
    notApplicable?: string;
    unknown?: Error & { props: string[] };
}

async function capture(policy: AnyPolicy, run: (report: ReportViolation) => unknown): Promise<ResourceRun> {
    const violations: Diagnostic[] = [];
    const level = policy.enforcementLevel ?? "advisory";
    try {
        await run(violationRecorder(policy, level, violations));
    } catch (err) {
        if (err instanceof NotApplicableError) return { violations, notApplicable: err.reason ?? "" };
        if (err instanceof UnknownValueError) return { violations, unknown: err };
        throw err;
    }
    return { violations };
}

/** validateResource with engine-shaped args; `config` is passed raw, as a direct caller would. */
export function validate(policy: AnyPolicy, r: PlannedResource, config: Record<string, unknown> = {}): Promise<ResourceRun> {
    const v = policy.validateResource;
    if (typeof v !== "function") throw new Error(`${policy.name} has no validateResource`);
    return capture(policy, (report) => v(resourceArgs(r, config), report));
}

export function validateStack(policy: AnyPolicy, rs: readonly PlannedResource[], config: Record<string, unknown> = {}): Promise<ResourceRun> {
    const v = policy.validateStack;
    if (typeof v !== "function") throw new Error(`${policy.name} has no validateStack`);
    return capture(policy, (report) => v(stackArgs(rs, config), report));
}

export function remediate(policy: AnyPolicy, r: PlannedResource, config: Record<string, unknown> = {}): Promise<Record<string, unknown> | undefined> {
    const fix = policy.remediateResource;
    if (typeof fix !== "function") throw new Error(`${policy.name} has no remediateResource`);
    return Promise.resolve(fix(resourceArgs(r, config))) as Promise<Record<string, unknown> | undefined>;
}

/** Everything a resource gets: its own violations plus, for set-level policies, the stack's. */
export async function everything(policy: AnyPolicy, rs: readonly PlannedResource[], config: Record<string, unknown> = {}): Promise<Diagnostic[]> {
    const out: Diagnostic[] = [];
    if (policy.validateResource) for (const r of rs) out.push(...(await validate(policy, r, config)).violations);
    if (policy.validateStack) out.push(...(await validateStack(policy, rs, config)).violations);
    return out;
}

/** A rule fixture file: its objects, the profile its folder names, good or bad. */
export interface Fixture {
    file: string;
    profile: ProfileName;
    good: boolean;
    objects: KubeObject[];
    /** Cluster B's Kubernetes minor the fixture is judged at (0: not given). */
    targetMinor: number;
    /** The findings its `# expect:` lines list, written by hand: the object (`Kind namespace/name`), path, and whether it stays advisory. */
    expect: Expected[];
}

export interface Expected { object: string; path: string; advisory: boolean }

/** `<rule> <Kind> [<namespace/name>] <pointer> [(advisory)]`: the object is what lies between the rule and the pointer. */
function expectation(line: string): Expected {
    const advisory = line.endsWith(" (advisory)");
    const words = line.replace(/ \(advisory\)$/, "").split(" ");
    return { object: words.slice(1, -1).join(" "), path: words[words.length - 1], advisory };
}

export function fixtures(rule: RuleId): Fixture[] {
    const root = ruleFixtureDir(rule);
    const out: Fixture[] = [];
    const walk = (dir: string, profile: ProfileName) => {
        if (!fs.existsSync(dir)) return;
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory() && isProfileName(entry.name)) walk(full, entry.name);
            else if (/^(good|bad)-.+\.ya?ml$/.test(entry.name)) {
                const objects = readYamlDocs(full).filter((d): d is KubeObject => isRecord(d));
                out.push({ file: path.relative(path.join(root, "..", ".."), full), profile, good: entry.name.startsWith("good-"), objects, targetMinor: fixtureTargetMinor(full), expect: fixtureExpectations(full).map(expectation) });
            }
        }
    };
    walk(root, "eks");
    return out;
}

/** Sets the value at a JSON pointer of a deep copy. */
export function withValueAt<T>(obj: T, ptr: string, value: unknown): T {
    const copy = structuredClone(obj);
    const keys = ptr.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
    let cur = copy as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
    cur[keys[keys.length - 1]] = value;
    return copy;
}
