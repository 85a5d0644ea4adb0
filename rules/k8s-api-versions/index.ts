import { API_TABLE, chooseRestoreVersion, groupAndVersion, groupsServing, servedAtMinor, servingVersions, type Choice } from "../apiVersions";
import { apiVersionOf, describe, kindOf, refOf } from "../objects";
import type { GroupVersions, KubeObject, RawFinding, Rule, RuleContext, ServedApis } from "../types";
import type { KindRef } from "../kinds";

const HOW: Record<Choice, string> = {
    "target-preferred": "cluster B's preferred version",
    "source-preferred": "cluster A's preferred version",
    common: "a version both clusters serve",
    "source-preferred-fallback": "cluster A's preferred version, since no version fits both clusters",
    "group-not-on-target": "cluster A's preferred version, since cluster B serves no version of the group",
};

function targetOf(ctx: RuleContext): ServedApis | undefined {
    if (ctx.apis) return ctx.apis.target;
    const minor = ctx.profile.thresholds.targetMinor;
    return minor > 0 ? servedAtMinor(minor) : undefined;
}

/** How Velero restores one object on cluster B (for this rule and the restore preview). */
export interface RestoredAs {
    /** The version Velero writes, `group/version` (`v1` for core). */
    apiVersion: string;
    choice: Choice;
    /** Whether B serves the kind in it; undefined when B's discovery cannot tell. */
    served: boolean | undefined;
    /** A's versions of the object's group-resource, and B's of its group. */
    source: GroupVersions;
    target: GroupVersions;
    /** What cluster B serves (its discovery, or the table at its version). */
    apis: ServedApis;
}

/** Undefined when nothing names cluster B, or B's API for the object's group is not known. */
export function restoredAs(obj: KubeObject, ctx: RuleContext): RestoredAs | undefined {
    const target = targetOf(ctx);
    const apiVersion = apiVersionOf(obj);
    const kind = kindOf(obj);
    if (!target || !apiVersion || !kind) return undefined;
    const [group, version] = groupAndVersion(apiVersion);
    const onTarget = target.group(group);
    if (!onTarget) return undefined;
    const source = ctx.apis?.source?.(group, kind) ?? { preferred: version, versions: [version] };
    const { version: chosen, choice } = chooseRestoreVersion(source, onTarget);
    const served = onTarget.versions.includes(chosen) ? target.serves(group, chosen, kind) : false;
    return { apiVersion: group === "" ? chosen : `${group}/${chosen}`, choice, served, source, target: onTarget, apis: target };
}

/** "networking.k8s.io/v1 Ingress", or what to do when B serves the kind nowhere. */
function replacement(target: ServedApis, group: string, kind: string): string | undefined {
    for (const g of [group, ...groupsServing(target, kind).filter((x) => x !== group)]) {
        const [best] = servingVersions(target, g, kind);
        if (best) return `${g === "" ? best : `${g}/${best}`} ${kind}`;
    }
    return undefined;
}

/** Every kind of the removals table, in each group it names: what the policy judges. */
const REMOVED_KINDS: KindRef[] = [...new Map(API_TABLE.flatMap((r) => r.kinds.map((kind) => ({ group: groupAndVersion(r.apiVersion)[0], kind }))).map((k) => [`${k.group}/${k.kind}`, k])).values()];

/**
 * An object that Velero (EnableAPIGroupVersions) would restore in a version cluster B does
 * not serve: the create fails and the object does not arrive.
 */
export const k8sApiVersions: Rule<"k8s-api-versions"> = {
    id: "k8s-api-versions",
    defaultLevel: "mandatory",
    title: "API versions cluster B serves",
    why: "Velero restores each object in the version it picks with EnableAPIGroupVersions (B's preferred, then A's preferred, then a common one); a version B no longer serves is refused and the object silently does not arrive (Kubernetes deprecated API migration guide; 确保两个集群的 Kubernetes 版本的 API 兼容)",
    fix: "upgrade cluster A first so it serves the version B serves (then back up again), or re-create the object on cluster B in a version B serves",
    policy: { onTarget: REMOVED_KINDS, thresholds: ["targetMinor"] },
    check(obj, ctx) {
        const r = restoredAs(obj, ctx);
        if (!r || r.served !== false) return [];
        const target = r.apis;
        const kind = kindOf(obj);
        const [group] = groupAndVersion(apiVersionOf(obj));
        const newer = replacement(target, group, kind);
        const finding: RawFinding = {
            path: "/apiVersion",
            message:
                `${describe(refOf(obj))} will not arrive: Velero restores it as ${r.apiVersion} (${HOW[r.choice]}), which ${target.describe} does not serve for ${kind}` +
                ` (A has ${r.source.versions.join(", ")}; B has ${r.target.versions.length > 0 ? r.target.versions.join(", ") : "none"} of ${group || "the core group"})`,
            fix: newer
                ? `upgrade cluster A first so it serves ${newer} and back up again, or re-create it on cluster B as ${newer}`
                : `cluster B serves no version of ${kind}: leave it out of the restore (excludedResources) or replace it on cluster B`,
        };
        return [finding];
    },
};
