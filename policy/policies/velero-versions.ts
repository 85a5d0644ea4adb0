/**
 * velero-versions: Velero ↔ plugin versions outside the compatibility matrix, in releases and Velero Deployments on either cluster.
 */
import { DEPLOYMENTS, HELM_RELEASES } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const veleroVersions = rulePolicy("velero-versions", { onAnyCluster: [...HELM_RELEASES, ...DEPLOYMENTS] });
