/**
 * velero-cos-storage: COS addressing and checksum settings of Velero's storage locations on either cluster, and (stack) that
 * both clusters point at the same bucket and prefix.
 */
import { HELM_RELEASES, veleroKinds } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const veleroCosStorage = rulePolicy("velero-cos-storage", { onAnyCluster: [...HELM_RELEASES, ...veleroKinds("BackupStorageLocation")], aggregate: "all-clusters" });
