/**
 * What `tke2eks plan` knows about a stack: every resource the program declared, with its
 * inputs in two views (for people, secrets redacted; for policies, unwrapped), and what the
 * policy pack said. The formatters read only this.
 */
import { clusterRoleOfProvider, type ClusterRole } from "../config/naming";
import type { PolicyViolation } from "../policy/evaluate";

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

export interface PlanResource {
    urn: string;
    type: string;
    name: string;
    /** False for components and the stack itself. */
    custom: boolean;
    parent: string | null;
    provider: string | null;
    dependencies: string[];
    protect: boolean;
    retainOnDelete: boolean;
    /** Inputs for people: secrets are "[secret]", values known only at deploy "[unknown]". */
    inputs: Record<string, unknown>;
    /** Inputs for the policy pack: secrets unwrapped, unknowns the engine's sentinel. Never printed. */
    props: Record<string, unknown>;
}

export interface Plan {
    project: string;
    stack: string;
    resources: PlanResource[];
    violations: PolicyViolation[];
    /** Stack outputs, redacted like inputs. */
    outputs: Record<string, unknown>;
}

/** Where a resource goes: one of the clusters, Tencent Cloud, this machine (commands), or nowhere (components). */
export type Scope = ClusterRole | "tencentcloud" | "local" | "none";

export function isProvider(r: Pick<PlanResource, "type">): boolean {
    return r.type.startsWith("pulumi:providers:");
}

export function scopeOf(r: PlanResource, byUrn: ReadonlyMap<string, PlanResource>): Scope {
    if (r.type.startsWith("command:local:")) return "local";
    const provider = isProvider(r) ? r : r.provider ? byUrn.get(r.provider) : undefined;
    if (!provider) return "none";
    if (provider.type === "pulumi:providers:kubernetes") return clusterRoleOfProvider(provider.name) ?? "none";
    if (provider.type === "pulumi:providers:tencentcloud") return "tencentcloud";
    return "none";
}

export function indexByUrn(plan: Pick<Plan, "resources">): Map<string, PlanResource> {
    return new Map(plan.resources.map((r) => [r.urn, r]));
}

export function mandatoryCount(plan: Pick<Plan, "violations">): number {
    return plan.violations.filter((v) => v.level === "mandatory").length;
}
