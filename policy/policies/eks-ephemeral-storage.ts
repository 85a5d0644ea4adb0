/**
 * eks-ephemeral-storage: Pods asking for more ephemeral disk than the serverless Pod gets (advisory).
 */
import { POD_CONTROLLERS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksEphemeralStorage = rulePolicy("eks-ephemeral-storage", { onTarget: POD_CONTROLLERS, thresholds: ["ephemeralStorageGi"] });
