/**
 * The cut-over's quiet source: A's Deployments and StatefulSets in the migrated namespaces
 * scaled to zero before the final backup, each one's replica count kept in an annotation on
 * the object itself, and the rollback that gives them back. One merge patch writes the count
 * and the zero together, so no run can lose a count between two writes; a second scale-down
 * keeps the count already recorded (the object then says 0), so running it again is harmless;
 * a scale-back of an object without the annotation does nothing. Every request goes through
 * the cluster session (its limits, classification and retries).
 */
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { record, str } from "../rules/objects";
import { ClusterError } from "./clusterError";
import type { ClusterSession } from "./session";
import { UserError } from "../core/errors";

/** Where the replica count before the cut-over is kept, on the workload itself. */
export const REPLICAS_ANNOTATION = "tke2eks.io/replicas-before-cutover";

const KINDS = [
    { kind: "Deployment", plural: "deployments" },
    { kind: "StatefulSet", plural: "statefulsets" },
] as const;

/** `Deployment/web` → its replica count before the cut-over, per namespace. */
export type Replicas = Record<string, Record<string, number>>;

export interface QuiesceReport {
    /** What was (or is being) given back: the counts kept. */
    replicas: Replicas;
    /** Workloads whose Pods are not yet gone (scale-down) or not yet ready (scale-back), with why. */
    waitingFor: string[];
    waitedSeconds: number;
}

export interface QuiesceOptions {
    namespaces: readonly string[];
    timeoutMs: number;
    intervalMs: number;
    onPoll?: (report: QuiesceReport) => void;
}

interface Workload {
    kind: string;
    namespace: string;
    name: string;
    obj: Record<string, unknown>;
}

function specReplicas(w: Workload): number {
    const r = record(w.obj.spec).replicas;
    // The API server defaults spec.replicas to 1 (k8s.io/api apps/v1 types.go, DeploymentSpec and StatefulSetSpec).
    return typeof r === "number" ? r : 1;
}

function kept(w: Workload): number | undefined {
    const v = str(record(record(w.obj.metadata).annotations)[REPLICAS_ANNOTATION]);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) {
        throw new UserError(`${w.kind} ${w.namespace}/${w.name}: annotation ${REPLICAS_ANNOTATION}=${JSON.stringify(v)} is not a replica count (a whole number); set it to the count to give back, or remove it to leave the object alone`, 1);
    }
    return Number(v);
}

/**
 * Pods of the workload that still exist (status.replicas), and those ready; `seen`: its
 * controller has observed the last change (status.observedGeneration), so the counts are of it.
 */
function podsOf(w: Workload): { existing: number; ready: number; seen: boolean } {
    const s = record(w.obj.status);
    const n = (v: unknown) => (typeof v === "number" ? v : 0);
    return { existing: n(s.replicas), ready: n(s.readyReplicas), seen: n(s.observedGeneration) >= n(record(w.obj.metadata).generation) };
}

/** Why a workload is still waited for: its controller not caught up, else what `left` says. */
function waiting(w: Workload, left: (pods: ReturnType<typeof podsOf>) => string | undefined): string[] {
    const pods = podsOf(w);
    const why = pods.seen ? left(pods) : "its controller has not seen the change yet";
    return why ? [`${id(w)}: ${why}`] : [];
}

class Workloads {
    private readonly api: KubernetesObjectApi;

    constructor(private readonly session: ClusterSession) {
        this.api = session.api(KubernetesObjectApi);
    }

    async list(namespaces: readonly string[]): Promise<Workload[]> {
        const out: Workload[] = [];
        for (const namespace of namespaces) {
            // A mistyped namespace is no quiet source: say so rather than scale nothing.
            await this.session.call(`get namespace ${namespace}`, () => this.api.read({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } })).catch((err: unknown) => {
                if (err instanceof ClusterError && err.status === 404) throw new UserError(`namespace ${namespace} does not exist on ${this.session.where}`, 1);
                throw err;
            });
            for (const { kind, plural } of KINDS) {
                const list = await this.session.call(`list ${plural}.apps in namespace ${namespace}`, () => this.api.list("apps/v1", kind, namespace));
                for (const item of list.items) {
                    const name = item.metadata?.name;
                    if (name) out.push({ kind, namespace, name, obj: item as unknown as Record<string, unknown> });
                }
            }
        }
        return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    }

    async patch(w: Workload, metadata: Record<string, unknown>, replicas: number): Promise<void> {
        const body = { apiVersion: "apps/v1", kind: w.kind, metadata: { name: w.name, namespace: w.namespace, ...metadata }, spec: { replicas } } as KubernetesObject;
        // A merge patch of the same content is the same object however often it is retried.
        await this.session.call(`patch ${w.kind.toLowerCase()}s.apps ${w.namespace}/${w.name}`, () => this.api.patch(body, undefined, undefined, "tke2eks", undefined, PatchStrategy.MergePatch));
    }
}

function keep(replicas: Replicas, w: Workload, n: number): void {
    (replicas[w.namespace] ??= {})[`${w.kind}/${w.name}`] = n;
}

/** Polls until `pending` names nothing or the time is up; the last report is the answer. */
async function waitFor(session: ClusterSession, b: Workloads, opts: QuiesceOptions, replicas: Replicas, pending: (all: Workload[]) => string[]): Promise<QuiesceReport> {
    const started = Date.now();
    const deadline = started + opts.timeoutMs;
    for (;;) {
        const waitingFor = pending(await b.list(opts.namespaces));
        const report = { replicas, waitingFor, waitedSeconds: Math.round((Date.now() - started) / 1000) };
        opts.onPoll?.(report);
        if (waitingFor.length === 0 || Date.now() >= deadline) return report;
        await session.sleep(Math.min(opts.intervalMs, Math.max(0, deadline - Date.now())));
    }
}

const id = (w: Workload) => `${w.kind} ${w.namespace}/${w.name}`;

/**
 * Scales every Deployment and StatefulSet in the namespaces to zero, keeping its count in
 * REPLICAS_ANNOTATION (the count already kept, when a run before did it), then waits until
 * their Pods are gone.
 */
export async function scaleDown(session: ClusterSession, opts: QuiesceOptions): Promise<QuiesceReport> {
    const b = new Workloads(session);
    const replicas: Replicas = {};
    // Every kept count read (a bad one refused) before anything changes.
    const plan = (await b.list(opts.namespaces)).map((w) => ({ w, before: kept(w) }));
    for (const { w, before } of plan) {
        const count = before ?? specReplicas(w);
        keep(replicas, w, count);
        if (before === undefined || specReplicas(w) !== 0) await b.patch(w, { annotations: { [REPLICAS_ANNOTATION]: String(count) } }, 0);
    }
    return waitFor(session, b, opts, replicas, (all) => all.flatMap((w) => waiting(w, ({ existing }) => (existing > 0 ? `${existing} Pods left` : undefined))));
}

/**
 * The rollback: every workload with REPLICAS_ANNOTATION gets its count back and loses the
 * annotation, then the wait until each has that many ready Pods.
 */
export async function scaleBack(session: ClusterSession, opts: QuiesceOptions): Promise<QuiesceReport> {
    const b = new Workloads(session);
    const replicas: Replicas = {};
    const plan = (await b.list(opts.namespaces)).map((w) => ({ w, count: kept(w) }));
    for (const { w, count } of plan) {
        if (count === undefined) continue;
        keep(replicas, w, count);
        await b.patch(w, { annotations: { [REPLICAS_ANNOTATION]: null } }, count);
    }
    const given = (w: Workload): number | undefined => replicas[w.namespace]?.[`${w.kind}/${w.name}`];
    return waitFor(session, b, opts, replicas, (all) =>
        all.flatMap((w) => {
            const want = given(w);
            return want === undefined ? [] : waiting(w, ({ ready }) => (ready < want ? `${ready}/${want} ready` : undefined));
        }),
    );
}
