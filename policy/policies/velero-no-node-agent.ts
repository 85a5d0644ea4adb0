/**
 * velero-no-node-agent: Velero's node agent on the serverless cluster (release values, server flags, the DaemonSet, Pods opting
 * into file-system backup), and Backups / Schedules on either cluster that need it to restore.
 * Remediation sets `deployNodeAgent: false`.
 */
import { HELM_RELEASES, POD_CONTROLLERS, veleroKinds } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

export const veleroNoNodeAgent = rulePolicy("velero-no-node-agent", { onTarget: [...HELM_RELEASES, ...POD_CONTROLLERS], onAnyCluster: veleroKinds("Backup", "Schedule") });
