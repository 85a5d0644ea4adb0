/**
 * Drives @pulumi/policy's own server functions (the Analyze, AnalyzeStack and Remediate RPC
 * handlers a PolicyPack serves) with protobuf requests built as the engine sends them, without
 * listening on a port. The reference the pack's behaviour and policy/evaluate.ts are held to.
 */
import { createRequire } from "node:module";
import type { Policies } from "@pulumi/policy";
import { PACK_NAME, PACK_VERSION } from "../../policy/pack";
import type { PlannedResource } from "../../policy/engineArgs";

const load = createRequire(__filename);
const analyzerPath = load.resolve("@pulumi/pulumi/proto/analyzer_pb");

/* The SDK's and protobuf's generated modules carry no usable types; these are the parts used. */
interface Message {
    toJavaScript(): Record<string, unknown>;
}
type Setter = Record<string, (v: unknown) => void>;
interface Pb {
    AnalyzeRequest: new () => Setter;
    AnalyzeStackRequest: new () => Setter;
    AnalyzerResource: new () => Setter;
    AnalyzerResourceOptions: new () => Setter;
    AnalyzerProviderResource: new () => Setter;
    EnforcementLevel: Record<string, number>;
}
interface Diag {
    getPolicyname(): string;
    getMessage(): string;
    getEnforcementlevel(): number;
    getUrn(): string;
}
interface NotApplicable {
    getPolicyName(): string;
    getReason(): string;
}
interface AnalyzeResponse {
    getDiagnosticsList(): Diag[];
    getNotApplicableList(): NotApplicable[];
}
interface RemediateResponse {
    getRemediationsList(): { getPolicyname(): string; getProperties(): Message | undefined; getDiagnostic(): string }[];
}
type Rpc = (call: { request: unknown }, callback: (err: unknown, resp: unknown) => void) => Promise<void>;
type MakeRpc = (name: string, version: string, level: string, policies: Policies) => Rpc;

const pb = load(analyzerPath) as Pb;
const { Struct } = createRequire(analyzerPath)("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: unknown): unknown } };
const server = load("@pulumi/policy/server") as { makeAnalyzeRpcFun: MakeRpc; makeAnalyzeStackRpcFun: MakeRpc; makeRemediateRpcFun: MakeRpc };

/** The Pulumi wire form of a secret value. */
export function secret(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

function fill<T extends Setter>(msg: T, r: PlannedResource): T {
    msg.setType(r.type);
    msg.setProperties(Struct.fromJavaScript(r.props));
    msg.setUrn(r.urn);
    msg.setName(r.name);
    const opts = new pb.AnalyzerResourceOptions();
    opts.setProtect(r.protect ?? false);
    if (r.parent) opts.setParent(r.parent);
    msg.setOptions(opts);
    if (r.provider) {
        const p = new pb.AnalyzerProviderResource();
        p.setType(r.provider.type);
        p.setProperties(Struct.fromJavaScript(r.provider.props));
        p.setUrn(r.provider.urn);
        p.setName(r.provider.name);
        msg.setProvider(p);
    }
    return msg;
}

function invoke<T>(rpc: Rpc, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
        void rpc({ request }, (err, resp) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(resp as T)));
    });
}

const LEVEL_NAMES = Object.fromEntries(Object.entries(pb.EnforcementLevel).map(([k, v]) => [v, k.toLowerCase()]));

export interface ServerDiagnostic {
    policy: string;
    level: string;
    urn: string;
    message: string;
}

export interface ServerAnalysis {
    diagnostics: ServerDiagnostic[];
    notApplicable: { policy: string; reason: string }[];
}

function analysisOf(resp: AnalyzeResponse): ServerAnalysis {
    return {
        diagnostics: resp.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: LEVEL_NAMES[d.getEnforcementlevel()], urn: d.getUrn(), message: d.getMessage() })),
        notApplicable: resp.getNotApplicableList().map((n) => ({ policy: n.getPolicyName(), reason: n.getReason() })),
    };
}

/** The server's Analyze for one resource. */
export async function serverAnalyze(policies: Policies, r: PlannedResource): Promise<ServerAnalysis> {
    const rpc = server.makeAnalyzeRpcFun(PACK_NAME, PACK_VERSION, "advisory", policies);
    return analysisOf(await invoke<AnalyzeResponse>(rpc, fill(new pb.AnalyzeRequest(), r)));
}

/** The server's AnalyzeStack over every resource. */
export async function serverAnalyzeStack(policies: Policies, rs: readonly PlannedResource[]): Promise<ServerAnalysis> {
    const rpc = server.makeAnalyzeStackRpcFun(PACK_NAME, PACK_VERSION, "advisory", policies);
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
        rs.map((r) => {
            const res = fill(new pb.AnalyzerResource(), r);
            if (r.parent) res.setParent(r.parent);
            res.setDependenciesList(r.dependencies);
            return res;
        }),
    );
    return analysisOf(await invoke<AnalyzeResponse>(rpc, req));
}

/** The server's Remediate: each remediation's resulting inputs in wire form (secrets and unknowns kept). */
export async function serverRemediate(policies: Policies, r: PlannedResource): Promise<{ policy: string; props?: Record<string, unknown>; diagnostic: string }[]> {
    const rpc = server.makeRemediateRpcFun(PACK_NAME, PACK_VERSION, "advisory", policies);
    const resp = await invoke<RemediateResponse>(rpc, fill(new pb.AnalyzeRequest(), r));
    return resp.getRemediationsList().map((x) => ({ policy: x.getPolicyname(), props: x.getProperties()?.toJavaScript(), diagnostic: x.getDiagnostic() }));
}
