/** The rule catalogue, in DESIGN.md's order: one rule per file, one ID per rule. */
import { eksNoDaemonset } from "./eks-no-daemonset";
import { eksReservedPorts } from "./eks-reserved-ports";
import type { Rule, RuleId } from "./types";

export const RULES: readonly Rule[] = [eksNoDaemonset, eksReservedPorts];

export function ruleById(id: RuleId): Rule {
    const rule = RULES.find((r) => r.id === id);
    if (!rule) throw new Error(`no rule ${id} in the catalogue`);
    return rule;
}
