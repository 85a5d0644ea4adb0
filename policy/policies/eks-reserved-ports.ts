/**
 * eks-reserved-ports: Container and host ports (probe ports on tke-serverless) the serverless Pod reserves, in every Pod-making kind.
 */
import { POD_CONTROLLERS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksReservedPorts = rulePolicy("eks-reserved-ports", { onTarget: POD_CONTROLLERS, thresholds: ["reservedPorts", "reservedRangeFrom", "reservedRangeTo"] });
