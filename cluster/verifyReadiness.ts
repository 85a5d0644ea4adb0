/**
 * Whether one restored object is ready for use in cluster B, judged from its status the way
 * `kubectl rollout status` and an operator would: Deployments available, StatefulSets ready,
 * PVCs Bound, LoadBalancer Services with an address. Other kinds are ready once they exist
 * (CronJobs, ConfigMaps, Secrets, ...). A reason says what the status shows when not.
 */
import { array, record, str } from "../rules/objects";

export interface Readiness {
    ready: boolean;
    /** Why not, from the object's status; absent when ready. */
    reason?: string;
}

function count(v: unknown): number {
    return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** spec.replicas defaults to 1; 0 is a workload scaled down on purpose, ready as such. */
function desired(spec: Record<string, unknown>): number {
    return typeof spec.replicas === "number" ? spec.replicas : 1;
}

function condition(status: Record<string, unknown>, type: string): Record<string, unknown> | undefined {
    return array(status.conditions).map(record).find((c) => c.type === type);
}

/** The controller has not looked at the latest spec yet: whatever the counts say is stale. */
function stale(obj: Record<string, unknown>, status: Record<string, unknown>): boolean {
    const generation = record(obj.metadata).generation;
    return typeof generation === "number" && typeof status.observedGeneration === "number" && status.observedGeneration < generation;
}

function deployment(obj: Record<string, unknown>): Readiness {
    const spec = record(obj.spec);
    const status = record(obj.status);
    const want = desired(spec);
    const available = count(status.availableReplicas);
    const updated = count(status.updatedReplicas);
    if (!stale(obj, status) && available >= want && updated >= want) return { ready: true };
    const notes = [`${available}/${want} replicas available`];
    const failing = [
        condition(status, "Available"),
        condition(status, "Progressing"),
        condition(status, "ReplicaFailure"),
    ].filter((c): c is Record<string, unknown> => !!c && (c.type === "ReplicaFailure" ? c.status === "True" : c.status !== "True" || c.reason === "ProgressDeadlineExceeded"));
    for (const c of failing) notes.push(`${String(c.type)}: ${[str(c.reason), str(c.message)].filter(Boolean).join(": ")}`);
    return { ready: false, reason: notes.join("; ") };
}

function statefulSet(obj: Record<string, unknown>): Readiness {
    const want = desired(record(obj.spec));
    const status = record(obj.status);
    const ready = count(status.readyReplicas);
    if (!stale(obj, status) && ready >= want) return { ready: true };
    return { ready: false, reason: `${ready}/${want} replicas ready` };
}

function claim(obj: Record<string, unknown>): Readiness {
    const phase = str(record(obj.status).phase);
    if (phase === "Bound") return { ready: true };
    return { ready: false, reason: `phase ${phase ?? "not set"} (not Bound)` };
}

function service(obj: Record<string, unknown>): Readiness {
    if (record(obj.spec).type !== "LoadBalancer") return { ready: true };
    const ingress = array(record(record(obj.status).loadBalancer).ingress).map(record);
    if (ingress.some((i) => str(i.ip) || str(i.hostname))) return { ready: true };
    return { ready: false, reason: "LoadBalancer without an address yet (status.loadBalancer.ingress is empty)" };
}

const JUDGES: Record<string, (obj: Record<string, unknown>) => Readiness> = {
    "apps/Deployment": deployment,
    "apps/StatefulSet": statefulSet,
    "/PersistentVolumeClaim": claim,
    "/Service": service,
};

/** The judge for a group and kind; everything else is ready once it exists. */
export function readinessOf(group: string, kind: string, obj: unknown): Readiness {
    const judge = JUDGES[`${group}/${kind}`];
    return judge ? judge(record(obj)) : { ready: true };
}
