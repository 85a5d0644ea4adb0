/**
 * eks-pod-quota: Workloads above the per-workload replica limit, and (stack) the Pods each serverless cluster's
 * workloads ask for against the per-cluster quota (advisory).
 */
import { AUTOSCALERS, POD_CONTROLLERS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksPodQuota = rulePolicy("eks-pod-quota", { onTarget: [...POD_CONTROLLERS, ...AUTOSCALERS], aggregate: "target", thresholds: ["podQuota", "replicaLimit"] });
