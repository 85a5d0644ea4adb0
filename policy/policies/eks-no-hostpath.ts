/**
 * eks-no-hostpath: hostPath volumes (advisory; mandatory under tke-serverless: set enforcementLevel with the profile).
 */
import { POD_CONTROLLERS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksNoHostpath = rulePolicy("eks-no-hostpath", { onTarget: POD_CONTROLLERS });
