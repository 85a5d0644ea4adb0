/**
 * eks-fixed-ip: TKE fixed-IP / fixed-EIP markers: the Pod's IP changes after migration (advisory).
 * Remediation drops the markers and, with `retainIp`, asks for the serverless retain-ip.
 */
import { POD_CONTROLLERS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksFixedIp = rulePolicy("eks-fixed-ip", { onTarget: POD_CONTROLLERS, fixes: ["retainIp"] });
