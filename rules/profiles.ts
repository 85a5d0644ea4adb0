/**
 * Target profiles: the serverless cluster's limits as data, so a rule reads its numbers
 * here instead of branching on the profile's name. Sources: docs/serverless-limits.md.
 */
import type { Profile, ProfileName, Thresholds } from "./types";

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
        probePorts: true,
        metricsPortAnnotation: "eks.tke.cloud.tencent.com/metrics-port",
        refusedSysctls: "non-net",
        sysctlAnnotation: "eks.tke.cloud.tencent.com/host-sysctls",
        daemonSetOptIn: { label: "eks.tke.cloud.tencent.com/ds-injection", value: "true" },
    },
};

/** The profiles by name, in the order help and errors list them. */
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

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
