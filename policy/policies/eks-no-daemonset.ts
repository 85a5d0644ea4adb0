/**
 * eks-no-daemonset: DaemonSets (apps and extensions groups) bound for the serverless cluster, which has no nodes to run them.
 */
import { DAEMONSETS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksNoDaemonset = rulePolicy("eks-no-daemonset", { onTarget: DAEMONSETS });
