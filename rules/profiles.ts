/**
 * Target profiles: the serverless cluster's limits as data, so a rule reads its numbers
 * here instead of branching on the profile's name. Sources: docs/serverless-limits.md.
 */
import type { Level, RuleId } from "./types";

export const PROFILE_NAMES = ["eks", "tke-serverless"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The numbers a user may override (policy config, preflight flags). */
export interface Thresholds {
    /** Single ports a Pod may not use (container, host and, if `probePorts`, probe ports). */
    reservedPorts: number[];
    /** First port of the refused high range. */
    reservedRangeFrom: number;
    /** Last port of the refused high range (inclusive). */
    reservedRangeTo: number;
    /** Ephemeral disk a Pod gets, in GiB. */
    ephemeralStorageGi: number;
    /** Pods per cluster (default quota). */
    podQuota: number;
    /** Replicas per workload, 0 when the profile has no such limit. */
    replicaLimit: number;
    /** Cluster B's Kubernetes minor (22 for 1.22), 0 when not known: `k8s-api-versions` judges by it. */
    targetMinor: number;
}

export interface Profile {
    name: ProfileName;
    title: string;
    /** Where the limits come from. */
    source: string;
    thresholds: Thresholds;
    /** Rule levels that differ from the rules' defaults on this target. */
    levels: Partial<Record<RuleId, Exclude<Level, "disabled">>>;
    /** Probe ports count as listening ports (super-node scheduler). */
    probePorts: boolean;
    /** An annotation that moves the platform's metrics port off 9100, freeing it. */
    metricsPortAnnotation?: string;
    /** `net`: `net.*` sysctls are refused; `non-net`: only `net.*` ones are allowed. */
    refusedSysctls: "net" | "non-net";
    /** The annotation that sets sysctls on the serverless Pod's host. */
    sysctlAnnotation?: string;
    /** A DaemonSet label that lets it run (injected into each Pod) instead of being refused. */
    daemonSetOptIn?: { label: string; value: string };
}

export const PROFILES: Record<ProfileName, Profile> = {
    eks: {
        name: "eks",
        title: "Serverless EKS (the migration guide's limits)",
        source: "Tencent Cloud, TKE → EKS migration with Velero: 迁移限制",
        thresholds: {
            reservedPorts: [9100],
            reservedRangeFrom: 62000,
            reservedRangeTo: 65535,
            ephemeralStorageGi: 20,
            podQuota: 100,
            replicaLimit: 0,
            targetMinor: 0,
        },
        levels: {},
        probePorts: false,
        refusedSysctls: "net",
    },
    "tke-serverless": {
        name: "tke-serverless",
        title: "TKE Serverless clusters and super nodes (current notes)",
        source: "Tencent Cloud's serverless cluster and super-node notes, https://cloud.tencent.com/document/product/457/39815",
        thresholds: {
            reservedPorts: [9100],
            reservedRangeFrom: 61000,
            reservedRangeTo: 65534,
            ephemeralStorageGi: 20,
            podQuota: 100,
            replicaLimit: 100,
            targetMinor: 0,
        },
        levels: { "eks-no-hostpath": "mandatory" },
        probePorts: true,
        metricsPortAnnotation: "eks.tke.cloud.tencent.com/metrics-port",
        refusedSysctls: "non-net",
        sysctlAnnotation: "eks.tke.cloud.tencent.com/host-sysctls",
        daemonSetOptIn: { label: "eks.tke.cloud.tencent.com/ds-injection", value: "true" },
    },
};

export function isProfileName(v: unknown): v is ProfileName {
    return typeof v === "string" && (PROFILE_NAMES as readonly string[]).includes(v);
}

/** Limits of each threshold, for validating user overrides. */
export const THRESHOLD_BOUNDS: Record<keyof Thresholds, { min: number; max: number }> = {
    reservedPorts: { min: 1, max: 65535 },
    reservedRangeFrom: { min: 1, max: 65535 },
    reservedRangeTo: { min: 1, max: 65535 },
    ephemeralStorageGi: { min: 1, max: 1024 },
    podQuota: { min: 1, max: 1_000_000 },
    replicaLimit: { min: 0, max: 1_000_000 },
    targetMinor: { min: 0, max: 99 },
};

/**
 * A profile with user overrides applied. The caller validates overrides against
 * THRESHOLD_BOUNDS (the policy pack's config schema, policy/config.ts); this only merges.
 */
export function resolveProfile(name: ProfileName, overrides: Partial<Thresholds> = {}): Profile {
    const base = PROFILES[name];
    return { ...base, thresholds: { ...base.thresholds, ...overrides } };
}
