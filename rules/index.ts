export * from "./types";
export * from "./profiles";
export * from "./engine";
export { RULE_IDS, RULES, ruleById, type RuleId } from "./catalogue";
