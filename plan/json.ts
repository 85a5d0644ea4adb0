/** `plan --format json`: the contract in docs/cli.md's `tke2eks plan` section, and nothing more. */
import type { Plan } from "./model";

export function formatJson(plan: Plan): string {
    const doc = {
        stack: plan.stack,
        resources: plan.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, provider: r.provider, parent: r.parent, inputs: r.inputs })),
        violations: plan.violations.map((v) => ({ policy: v.policy, level: v.level, urn: v.urn ?? null, message: v.message })),
    };
    return JSON.stringify(doc, null, 2) + "\n";
}
