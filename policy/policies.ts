/** The pack's policies: each rule of the catalogue as its policy, in the catalogue's order. Loading this list starts nothing. */
import type { Policies } from "@pulumi/policy";
import { RULES } from "../rules";
import { rulePolicy } from "./rulePolicy";

export const policies: Policies = RULES.map(rulePolicy);
