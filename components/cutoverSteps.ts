/**
 * The two-pass migration's second pass and its way back, declared by the MigrationRun
 * (migrationRun.ts) around the usual steps (migrationSteps.ts):
 * - `cutover`: the first pass's Restore must have completed in B (else the stage stops there,
 *   naming it), then A's workloads in the migrated namespaces go to zero (their counts kept on
 *   them and in the outputs: cluster/quiesce.ts), then the final Backup, the Restore with
 *   `existingResourcePolicy: update`, B's workloads given the counts the Backup carried (the
 *   update patches B's objects to the Backup's, zero replicas and the annotation:
 *   processUpdateResourcePolicy, pkg/restore/restore.go:2486-2516 at v1.18.2) and the
 *   verification, as in the complete stage;
 * - `rollback`: A's workloads get their counts back.
 * Each step is a `tke2eks` Command, waited on and safe to run again.
 */
import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { MigrationConfig } from "../config/load";
import { restoredNamespaces } from "../restore/manifests";
import { clusterCommand, statusOf } from "./clusterCommand";
import type { RunContext } from "./stage";
import type { StepResult } from "./migrationSteps";

/** The config the cut-over's own Backup and Restore are made from: a Restore that updates what the first pass brought. */
export function cutoverConfig(config: MigrationConfig): MigrationConfig {
    return { ...config, restore: { ...config.restore, existingResourcePolicy: "update" } };
}

/** In A, the namespaces backed up; in B, the restored ones (after tke2eks:restore.namespaceMapping). */
function cutoverArgs(action: "scale-down" | "scale-back", config: MigrationConfig, namespaces: readonly string[]): string[] {
    return ["cutover", action, ...namespaces.flatMap((n) => ["--namespace", n]), "--timeout", String(config.cutover.timeout)];
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
    const quiesced = clusterCommand(down.name, { cluster: source, config: config.clusters.source, argv: cutoverArgs("scale-down", config, config.backup.includedNamespaces), timeoutSeconds: config.cutover.timeout }, { ...down.opts, dependsOn: [firstPass, source.velero.release] });
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

/** After the final Restore: B's workloads get the counts A had, before the verification waits for them. */
export function declareTargetScaleUp(ctx: RunContext, restored: pulumi.Resource): StepResult<{ scaledUp: command.local.Command }> {
    const { config } = ctx;
    const target = ctx.clusters.target;
    const up = ctx.child("target-scaled-up");
    const scaledUp = clusterCommand(up.name, { cluster: target, config: config.clusters.target, argv: cutoverArgs("scale-back", config, restoredNamespaces(config)), timeoutSeconds: config.cutover.timeout }, { ...up.opts, dependsOn: [restored] });
    return { resources: { scaledUp }, outputs: { replicas: statusOf(scaledUp) } };
}

/** The rollback: A's workloads in the migrated namespaces get back the counts the cut-over kept. */
export function declareRollback(ctx: RunContext): StepResult<{ scaledBack: command.local.Command }> {
    const { config } = ctx;
    const source = ctx.clusters.source;
    const back = ctx.child("source-scaled-back");
    const scaledBack = clusterCommand(back.name, { cluster: source, config: config.clusters.source, argv: cutoverArgs("scale-back", config, config.backup.includedNamespaces), timeoutSeconds: config.cutover.timeout }, { ...back.opts, dependsOn: [source.velero.release] });
    return { resources: { scaledBack }, outputs: { replicas: statusOf(scaledBack) } };
}
