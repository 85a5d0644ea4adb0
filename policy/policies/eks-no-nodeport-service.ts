/**
 * eks-no-nodeport-service: Services bound for the serverless cluster: NodePort refused, a LoadBalancer's explicit nodePorts advisory.
 * Remediation turns the Service into `nodePortServiceType` and drops the nodePorts.
 */
import { SERVICES } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksNoNodeportService = rulePolicy("eks-no-nodeport-service", { onTarget: SERVICES, fixes: ["nodePortServiceType"] });
