/**
 * Runs one rule the way the policy pack and the preflight scan do (through the engine, so
 * levels and severities are the real ones) and replays its automatic fixes with the
 * modifiers' RFC 6902 applier, which is strict like Velero's.
 */
import { AggregateScan, checkObject, DEFAULT_FIXES, resolveProfile, type Finding, type FixOptions, type KubeObject, type ProfileName, type RuleId, type SetFinding, type Thresholds } from "../../rules";
import { refOf } from "../../rules/objects";
import { applyFixEdits } from "../../modifiers/fixEdits";

export interface RunOptions {
    profile?: ProfileName;
    thresholds?: Partial<Thresholds>;
    fixes?: Partial<FixOptions>;
}

function engine(rule: RuleId, o: RunOptions) {
    return { profile: resolveProfile(o.profile ?? "eks", o.thresholds), only: [rule], fixes: { ...DEFAULT_FIXES, ...o.fixes } };
}

export function check(rule: RuleId, obj: KubeObject, o: RunOptions = {}): Finding[] {
    return checkObject(obj, engine(rule, o));
}

/** Set-level findings; each object's ref carries `source: "#<index>"` so tests can find it. */
export function aggregate(rule: RuleId, objs: KubeObject[], o: RunOptions = {}, cluster?: (i: number) => string | undefined): SetFinding[] {
    const scan = new AggregateScan(engine(rule, o));
    objs.forEach((obj, i) => {
        const ref = refOf(obj, `#${i}`);
        const c = cluster?.(i);
        if (c !== undefined) ref.cluster = c;
        scan.add(obj, ref);
    });
    return scan.finish();
}

/** Every finding's autofix applied in order; throws if an edit cannot apply. */
export function applyFixes<T extends KubeObject>(obj: T, findings: readonly Finding[]): T {
    return applyFixEdits(
        obj,
        findings.flatMap((f) => f.autofix ?? []),
    ) as T;
}

/** Where each controller kind keeps its Pod spec (written out here, independent of the walker). */
export const POD_SPEC_PATH: Record<string, string> = {
    Pod: "/spec",
    PodTemplate: "/template/spec",
    CronJob: "/spec/jobTemplate/spec/template/spec",
    Deployment: "/spec/template/spec",
    StatefulSet: "/spec/template/spec",
    ReplicaSet: "/spec/template/spec",
    ReplicationController: "/spec/template/spec",
    DaemonSet: "/spec/template/spec",
    Job: "/spec/template/spec",
};

export function podSpecPath(obj: KubeObject): string {
    return POD_SPEC_PATH[String(obj.kind)];
}

/** The Pod template's metadata pointer (a bare Pod's own metadata). */
export function podMetadataPath(obj: KubeObject): string {
    return podSpecPath(obj).replace(/\/spec$/, "/metadata");
}

