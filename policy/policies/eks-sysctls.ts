/**
 * eks-sysctls: Pod sysctls the serverless cluster refuses (net.* on eks, anything else on tke-serverless).
 */
import { POD_CONTROLLERS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksSysctls = rulePolicy("eks-sysctls", { onTarget: POD_CONTROLLERS });
