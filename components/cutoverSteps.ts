/**
 * The two-pass migration's second pass and its way back, declared by the MigrationRun
 * (migrationRun.ts) around the usual steps (migrationSteps.ts):
 * - `cutover`: the first pass's Restore must have completed in B (else the stage stops there,
 *   naming it), then A's workloads in the migrated namespaces go to zero (their counts kept on
 *   them and in the outputs: cluster/quiesce.ts), then the final Backup, the Restore with
 *   `existingResourcePolicy: update` and the verification run as in the complete stage;
 * - `rollback`: A's workloads get their counts back.
 * Each step is a `tke2eks` Command, waited on and safe to run again.
 */
import type * as command from "@pulumi/command";
import type { MigrationConfig } from "../config/load";
import { restoredNamespaces } from "../restore/manifests";
import { clusterCommand, statusOf } from "./clusterCommand";
import type { RunContext } from "./stage";
import type { StepResult } from "./migrationSteps";

/** The config the cut-over's own Backup and Restore are made from: a Restore that updates what the first pass brought. */
export function cutoverConfig(config: MigrationConfig): MigrationConfig {
    return { ...config, restore: { ...config.restore, existingResourcePolicy: "update" } };
}

function cutoverArgs(action: "scale-down" | "scale-back", config: MigrationConfig): string[] {
    return ["cutover", action, ...config.backup.includedNamespaces.flatMap((n) => ["--namespace", n]), "--timeout", String(config.cutover.timeout)];
}

/** The first pass's Restore completed in B, then A's workloads scaled to zero: what the final Backup waits for. */
export function declareQuiesce(ctx: RunContext, firstRun: string): StepResult<{ firstPass: command.local.Command; quiesced: command.local.Command }> {
    const { config } = ctx;
    const target = ctx.clusters.target;
    const source = ctx.clusters.source;
    const first = ctx.child("first-pass-restored");
    // A short wait: the first pass ended long ago, or the cut-over is out of order.
    const firstPass = clusterCommand(
        first.name,
        { cluster: target, config: config.clusters.target, argv: ["await", "restore", firstRun, "--namespace", target.velero.namespace, "--timeout", "30"], timeoutSeconds: 30 },
        { ...first.opts, dependsOn: [target.velero.release] },
    );
    const down = ctx.child("source-scaled-down");
    const quiesced = clusterCommand(down.name, { cluster: source, config: config.clusters.source, argv: cutoverArgs("scale-down", config), timeoutSeconds: config.cutover.timeout }, { ...down.opts, dependsOn: [firstPass, source.velero.release] });
    return {
        resources: { firstPass, quiesced },
        outputs: {
            firstRun,
            firstRestore: statusOf(firstPass),
            replicas: statusOf(quiesced),
            restoredNamespaces: restoredNamespaces(config),
            rollback: "tke2eks:stage rollback (pulumi up): gives A's workloads back their replicas",
        },
    };
}

/** The rollback: A's workloads in the migrated namespaces get back the counts the cut-over kept. */
export function declareRollback(ctx: RunContext): StepResult<{ scaledBack: command.local.Command }> {
    const { config } = ctx;
    const source = ctx.clusters.source;
    const back = ctx.child("source-scaled-back");
    const scaledBack = clusterCommand(back.name, { cluster: source, config: config.clusters.source, argv: cutoverArgs("scale-back", config), timeoutSeconds: config.cutover.timeout }, { ...back.opts, dependsOn: [source.velero.release] });
    return { resources: { scaledBack }, outputs: { replicas: statusOf(scaledBack) } };
}
