/**
 * The quota planner: the Pods the scanned workloads ask for at most (counted by the
 * eks-pod-quota rule's PodDemand, so the report and the rule agree) against the profile's
 * Pods-per-cluster quota and per-workload replica limit, reported even when under them.
 */
import { PodDemand, type PodDemandEntry } from "../rules/eks-pod-quota";
import type { KubeObject, ObjectRef, Profile } from "../rules/types";

export interface PodPlan {
    /** Pods the workloads ask for at most. */
    total: number;
    /** Pods per cluster the profile allows. */
    quota: number;
    /** Replicas per workload the profile allows; 0 when it sets no limit. */
    replicaLimit: number;
    /** The largest workloads, largest first. */
    largest: PodDemandEntry[];
    /** Workloads above the per-workload limit. */
    overLimit: PodDemandEntry[];
}

const LARGEST = 5;

export class QuotaPlanner {
    private readonly demand = new PodDemand();

    add(obj: KubeObject, ref: ObjectRef): void {
        this.demand.add(obj, ref);
    }

    plan(profile: Profile): PodPlan {
        const entries = this.demand
            .totals()
            .flatMap((d) => d.entries)
            .sort((a, b) => b.pods - a.pods);
        const { podQuota, replicaLimit } = profile.thresholds;
        return {
            total: entries.reduce((sum, e) => sum + e.pods, 0),
            quota: podQuota,
            replicaLimit,
            largest: entries.slice(0, LARGEST),
            overLimit: replicaLimit > 0 ? entries.filter((e) => e.pods > replicaLimit) : [],
        };
    }
}
