/**
 * eks-host-network: hostNetwork, hostPID, hostIPC and hostPort (advisory). Remediation drops hostPorts.
 */
import { POD_CONTROLLERS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksHostNetwork = rulePolicy("eks-host-network", { onTarget: POD_CONTROLLERS });
