export * from "./types";
export * from "./profiles";
export * from "./engine";
export { RULES, ruleById } from "./catalogue";
