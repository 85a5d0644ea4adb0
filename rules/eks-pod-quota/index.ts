import { apiVersionOf, array, describe, groupOf, kindOf, record, str } from "../objects";
import type { KubeObject, ObjectRef, RawFinding, Rule } from "../types";
import { AUTOSCALERS, POD_CONTROLLERS } from "../kinds";

const REPLICATED = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]);
const HPA = "HorizontalPodAutoscaler";
const QUOTA_SOURCE = "使用 EKS 常见问题: 每个集群默认仅可创建 100 个 Pod";

/** How many Pods one workload asks for at most, and why. */
export interface PodDemandEntry {
    ref: ObjectRef;
    pods: number;
    /** JSON pointer of the field that sets the number ("" when it is a default). */
    path: string;
    /** "replicas", "HPA web maxReplicas", "parallelism", "bare Pod", ... */
    how: string;
}

/** Pod demand of one cluster (`cluster` as in ObjectRef; undefined when unknown). */
export interface ClusterDemand {
    cluster?: string;
    total: number;
    /** Largest first. */
    entries: PodDemandEntry[];
}

function count(v: unknown, fallback: number): number {
    return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : fallback;
}

function owned(obj: KubeObject): boolean {
    return array(record(obj.metadata).ownerReferences).length > 0;
}

/** Pods a Job spec runs at once: parallelism, capped by completions; none while suspended. */
function jobPods(spec: Record<string, unknown>, at: string): { pods: number; path: string; how: string } {
    if (spec.suspend === true) return { pods: 0, path: `${at}/suspend`, how: `suspended at ${at}/suspend` };
    const parallelism = count(spec.parallelism, 1);
    const completions = typeof spec.completions === "number" ? count(spec.completions, parallelism) : parallelism;
    const explicit = typeof spec.parallelism === "number";
    return {
        pods: Math.min(parallelism, completions),
        path: explicit ? `${at}/parallelism` : "",
        how: explicit ? `parallelism at ${at}/parallelism` : "parallelism (default 1)",
    };
}

/**
 * Counts the Pods a set of objects asks for at most, per cluster. Owned objects are skipped
 * (a live dump holds Deployment → ReplicaSet → Pods: each Pod counts once, at the top), and
 * so are DaemonSets (refused anyway). An HPA's maxReplicas replaces its target's replicas.
 * The preflight quota planner reads the totals even when they are under the quota.
 */
export class PodDemand {
    private readonly entries = new Map<string, PodDemandEntry>();
    private readonly hpas: { target: string; max: number; name: string }[] = [];
    private unnamed = 0;

    add(obj: KubeObject, ref: ObjectRef): void {
        if (owned(obj)) return;
        const kind = kindOf(obj);
        const spec = record(obj.spec);
        const key = (k: string, name: string | undefined) =>
            JSON.stringify([ref.cluster ?? "", ref.namespace ?? "", k, name ?? `#${this.unnamed++}`]);
        if (REPLICATED.has(kind)) {
            const explicit = typeof spec.replicas === "number";
            const pods = count(spec.replicas, 1);
            this.put(key(kind, ref.name), { ref, pods, path: explicit ? "/spec/replicas" : "", how: explicit ? "replicas at /spec/replicas" : "replicas (default 1)" });
        } else if (kind === HPA && groupOf(apiVersionOf(obj)) === "autoscaling") {
            const target = record(spec.scaleTargetRef);
            const max = spec.maxReplicas;
            if (typeof max !== "number" || !Number.isInteger(max) || max < 0) return;
            this.hpas.push({ target: key(str(target.kind) ?? "", str(target.name) ?? ""), max, name: ref.name ?? "" });
        } else if (kind === "Job") {
            this.put(key(kind, ref.name), { ref, ...jobPods(spec, "/spec") });
        } else if (kind === "CronJob") {
            const job = jobPods(record(record(spec.jobTemplate).spec), "/spec/jobTemplate/spec");
            this.put(key(kind, ref.name), spec.suspend === true ? { ref, pods: 0, path: "/spec/suspend", how: "suspended at /spec/suspend" } : { ref, ...job });
        } else if (kind === "Pod") {
            const phase = record(obj.status).phase;
            const done = phase === "Succeeded" || phase === "Failed";
            this.put(key(kind, ref.name), { ref, pods: done ? 0 : 1, path: "", how: done ? `bare Pod, ${String(phase)}` : "bare Pod" });
        }
    }

    private put(key: string, entry: PodDemandEntry): void {
        // The same object seen twice (e.g. two API versions of it) counts once.
        this.entries.set(key, entry);
    }

    /** Totals per cluster, largest cluster first. */
    totals(): ClusterDemand[] {
        const entries = new Map([...this.entries].map(([k, e]) => [k, { ...e }]));
        for (const hpa of this.hpas) {
            const original = this.entries.get(hpa.target);
            const target = entries.get(hpa.target);
            // An HPA never scales a workload set to 0 replicas; with two HPAs, the larger max wins.
            if (!original || !target || original.pods === 0) continue;
            if (target.how.startsWith("HPA") && target.pods >= hpa.max) continue;
            Object.assign(target, { pods: hpa.max, how: `HPA ${hpa.name} maxReplicas at /spec/maxReplicas` });
        }
        const byCluster = new Map<string, ClusterDemand>();
        for (const e of entries.values()) {
            const cluster = e.ref.cluster ?? "";
            let demand = byCluster.get(cluster);
            if (!demand) {
                demand = { total: 0, entries: [] };
                if (e.ref.cluster !== undefined) demand.cluster = e.ref.cluster;
                byCluster.set(cluster, demand);
            }
            demand.total += e.pods;
            if (e.pods > 0) demand.entries.push(e);
        }
        const out = [...byCluster.values()];
        for (const d of out) d.entries.sort((a, b) => b.pods - a.pods);
        return out.sort((a, b) => b.total - a.total);
    }
}

const TOP = 5;

/** The serverless cluster admits 100 Pods by default (a quota Tencent can raise). */
export const eksPodQuota: Rule<"eks-pod-quota"> = {
    id: "eks-pod-quota",
    defaultLevel: "advisory",
    title: "Pods fit the cluster's quota",
    why: `a serverless cluster runs 100 Pods by default; Pods beyond the quota are not created (${QUOTA_SOURCE})`,
    fix: "ask Tencent Cloud to raise the cluster's Pod quota before the restore (默认配额, https://cloud.tencent.com/document/product/457/53030), or scale down replicas, HPA maxReplicas and Job parallelism",
    policy: { onTarget: [...POD_CONTROLLERS, ...AUTOSCALERS], aggregate: "target", thresholds: ["podQuota", "replicaLimit"] },
    check(obj, { profile }) {
        const limit = profile.thresholds.replicaLimit;
        if (limit <= 0 || owned(obj)) return [];
        const kind = kindOf(obj);
        const spec = record(obj.spec);
        const field = REPLICATED.has(kind) ? "replicas" : kind === HPA && groupOf(apiVersionOf(obj)) === "autoscaling" ? "maxReplicas" : undefined;
        const n = field === undefined ? undefined : spec[field];
        if (field === undefined || typeof n !== "number" || n <= limit) return [];
        const path = `/spec/${field}`;
        const finding: RawFinding = {
            path,
            message: `${kind} ${field} ${n} at ${path} exceeds the ${limit} replicas a workload may have on this target (${profile.source})`,
            fix: `keep it at ${limit} or fewer, split the workload, or ask Tencent Cloud to raise the per-workload quota`,
        };
        return [finding];
    },
    aggregate({ profile }) {
        const demand = new PodDemand();
        const quota = profile.thresholds.podQuota;
        return {
            add: (obj, ref) => demand.add(obj, ref),
            finish: () =>
                demand
                    .totals()
                    .filter((d) => d.total > quota)
                    .map((d) => {
                        const top = d.entries.slice(0, TOP);
                        const list = top.map((e) => `${describe(e.ref)} ${e.pods} (${e.how})`).join(", ");
                        const more = d.entries.length > TOP ? ` and ${d.entries.length - TOP} more` : "";
                        const where = d.cluster === undefined ? "" : ` on ${d.cluster}`;
                        return {
                            object: top[0].ref,
                            path: top[0].path,
                            message:
                                `the workloads ask for up to ${d.total} Pods${where}, above the quota of ${quota} Pods per cluster ` +
                                `(${QUOTA_SOURCE}); largest: ${list}${more}`,
                            fix: eksPodQuota.fix,
                        };
                    }),
        };
    },
};
