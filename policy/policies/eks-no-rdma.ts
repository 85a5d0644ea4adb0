/**
 * eks-no-rdma: RDMA extended resources and network annotations; the serverless cluster has no RDMA.
 */
import { POD_CONTROLLERS } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const eksNoRdma = rulePolicy("eks-no-rdma", { onTarget: POD_CONTROLLERS });
