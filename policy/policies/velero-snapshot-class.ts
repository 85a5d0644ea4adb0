/**
 * velero-snapshot-class: CBS VolumeSnapshotClasses without Velero's label and Velero installs without EnableCSI, on either
 * cluster; (stack) a labelled class on a cluster whose Velero lacks the flag. Remediation adds the label.
 */
import { DEPLOYMENTS, HELM_RELEASES, SNAPSHOT_CLASSES } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const veleroSnapshotClass = rulePolicy("velero-snapshot-class", { onAnyCluster: [...SNAPSHOT_CLASSES, ...HELM_RELEASES, ...DEPLOYMENTS], aggregate: "all-clusters" });
