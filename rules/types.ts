/**
 * The vocabulary every rule speaks. A rule is a pure function over a plain Kubernetes
 * object (parsed YAML, Pulumi resource inputs or a Velero backup item); the policy pack,
 * the preflight scanner and the restore modifiers all consume the same findings.
 */
import type { KindRef } from "./kinds";

/** CrossGuard enforcement level; `disabled` switches a rule off. */
export type Level = "mandatory" | "advisory" | "disabled";

/** Report severity: mandatory rules are errors, advisory ones warnings. */
export type Severity = "error" | "warning";

/** Any JSON-ish object; rules never trust its shape. */
export type KubeObject = Record<string, unknown>;

/**
 * One edit of an automatic fix, declarative so that it holds whatever ran before it (Velero's
 * restore item actions, other fixes): after `set` the field at `path` (a JSON pointer)
 * holds `value`, maps missing on the way created; after `unset` it is absent, and nothing
 * needs doing when it already is. Array indices address elements of the judged object
 * (never an insertion).
 */
export type FixEdit = { op: "set"; path: string; value: unknown } | { op: "unset"; path: string };

/** What a rule reports before the engine stamps its ID and severity on it. */
export interface RawFinding {
    /** JSON pointer (RFC 6901) into the judged object; "" means the whole object. */
    path: string;
    message: string;
    fix: string;
    /**
     * A safe, local automatic fix, replayable as a Velero resource modifier: its edits belong
     * together, and every finding's fix is independent of the others'.
     */
    autofix?: FixEdit[];
    /** Report as a warning even though the rule is mandatory (e.g. LoadBalancer nodePorts). */
    advisory?: boolean;
}

/** Identifies an object in reports; `source` is a file:line, cluster or backup. */
export interface ObjectRef {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name?: string;
    source?: string;
    /** Which cluster the object belongs to (a provider URN in a stack), when known. */
    cluster?: string;
}

/** A finding about a set of objects (the whole scan or stack) rather than one object. */
export interface AggregateFinding extends RawFinding {
    /** The object the finding is best attached to, when there is one. */
    object?: ObjectRef;
}

/** How the automatic fixes (restore modifiers) should rewrite what the target refuses. */
export interface FixOptions {
    /** What a NodePort Service becomes. */
    nodePortServiceType: "ClusterIP" | "LoadBalancer";
    /** Add `eks.tke.cloud.tencent.com/retain-ip: "true"` to StatefulSets that had a fixed IP. */
    retainIp: boolean;
}

export const DEFAULT_FIXES: FixOptions = { nodePortServiceType: "ClusterIP", retainIp: false };

/** A group's versions as discovery lists them, and its preferred one. */
export interface GroupVersions {
    preferred: string;
    versions: readonly string[];
}

/** What cluster B serves, from its discovery or from the removals table. */
export interface ServedApis {
    /** "Kubernetes 1.25 (upstream removals)", "cluster B (context eks-b)": for messages. */
    describe: string;
    /** The group's versions, `[]` when B does not serve the group, undefined when this source cannot tell. */
    group(group: string): GroupVersions | undefined;
    /** Whether `group/version` serves `kind`; undefined when this source cannot tell. */
    serves(group: string, version: string, kind: string): boolean | undefined;
}

/** Target profiles (their limits are data in rules/profiles.ts). */
export type ProfileName = "eks" | "tke-serverless";

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

/** What the two clusters serve, for `k8s-api-versions`. */
export interface ApiContext {
    /** Cluster B: its discovery, or the removals table at its Kubernetes version. */
    target: ServedApis;
    /**
     * Cluster A's versions of a kind's group-resource (a backup's version folders, A's
     * discovery); undefined falls back to the object's own apiVersion.
     */
    source?(group: string, kind: string): GroupVersions | undefined;
}

export interface RuleContext {
    profile: Profile;
    fixes: FixOptions;
    /** Set when B's API is known beyond the profile's target version. */
    apis?: ApiContext;
}

/** Collects what a set-level rule needs, one object at a time, so scans stay streaming. */
export interface Aggregator {
    add(obj: KubeObject, ref: ObjectRef): void;
    finish(): AggregateFinding[];
}

/**
 * What the policy pack needs to make a rule a CrossGuard policy (policy/rulePolicy.ts builds
 * every policy from this): the kinds its object part judges, and where, and what its set part covers.
 */
export interface PolicyScope {
    /** Kinds the rule's object part judges when they are deployed to the serverless cluster. */
    onTarget?: readonly KindRef[];
    /** Kinds it judges on either cluster (Velero installs and backups, snapshot classes). */
    onAnyCluster?: readonly KindRef[];
    /**
     * The rule's set part: "target" runs it over each serverless cluster on its own,
     * "all-clusters" over every cluster at once (the rule groups by ObjectRef.cluster).
     */
    aggregate?: "target" | "all-clusters";
    /** The profile thresholds the rule reads (they become policy config keys). */
    thresholds?: readonly (keyof Thresholds)[];
    /** The fix options the rule's autofixes read (policy config keys). */
    fixes?: readonly (keyof FixOptions)[];
}

/** A rule; its ID is a literal type, so the catalogue's list of rules gives RuleId. */
export interface Rule<Id extends string = string> {
    id: Id;
    /** The level the README's rule table gives; profiles and policy config may override it. */
    defaultLevel: Exclude<Level, "disabled">;
    /** Levels that differ from `defaultLevel` on a profile's target. */
    levels?: Partial<Record<ProfileName, Exclude<Level, "disabled">>>;
    title: string;
    /** Why the serverless cluster refuses it, citing the limit. */
    why: string;
    /** How to fix it, in a sentence. */
    fix: string;
    /** How the policy pack runs it. */
    policy: PolicyScope;
    /** Judges one object. */
    check?(obj: KubeObject, ctx: RuleContext): RawFinding[];
    /** Judges a set of objects (the stack, the scan). */
    aggregate?(ctx: RuleContext): Aggregator;
}
