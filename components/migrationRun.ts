/**
 * One migration run (tke2eks:run) as a component: the Backup in A and its awaiter, the sync
 * gate, the modifiers' ConfigMap, the Restore in B and its awaiter, and the verification, each
 * declared in the stages it belongs to (migrationSteps.ts). There is no location switch: B's
 * shared location stays ReadOnly and B writes its own backups to a location of its own
 * (migration.ts), so the run changes no location.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MigrationConfig } from "../config/load";
import { passReaches } from "../config/stages";
import type { BackupStore } from "./backupStore";
import { declareBackup, declareRestore, declareVerification } from "./migrationSteps";
import { cutoverConfig, declareQuiesce, declareRollback, declareTargetScaleUp } from "./cutoverSteps";
import type { ClusterRole } from "../config/naming";
import type { Fixes } from "../restore/stageFixes";
import type { ClusterInstall, RunChild, RunContext } from "./stage";

export const MIGRATION_RUN_TYPE = "tke2eks:index:MigrationRun";

export interface MigrationRunArgs {
    /** The validated stack config: its stage decides which steps exist, its `run` names the Velero objects. */
    config: MigrationConfig;
    /** The shared bucket (its target key reads the backup's fixes at deploy time). */
    store: BackupStore;
    /** Both clusters as the install left them; each step's resources go through that cluster's provider. */
    clusters: Record<ClusterRole, ClusterInstall>;
    /** The restore modifiers computed beforehand, or where to read them from once the Backup has completed; none: no modifiers. */
    fixes?: Fixes;
    /**
     * The resource the run's resources were children of before the run was a component (the
     * Migration): each gets an alias from its old name under it, so existing stacks keep them.
     */
    aliasParent: pulumi.Resource;
}

export class MigrationRun extends pulumi.ComponentResource {
    /** Outputs per step that exists in this stage: backup, restore, verification. */
    readonly steps: Record<string, Record<string, pulumi.Input<unknown>>> = {};

    constructor(name: string, args: MigrationRunArgs, opts?: pulumi.ComponentResourceOptions) {
        super(MIGRATION_RUN_TYPE, name, {}, opts);
        const { config } = args;
        // The config loader requires it from the backup stage on.
        if (!config.run) throw new Error("tke2eks:run is required from the backup stage on");
        const child = (step: string): RunChild => ({ name: `${name}-${step}`, opts: { parent: this, aliases: [{ name: step, parent: args.aliasParent }] } });
        const ctx: RunContext = { config, run: config.run, store: args.store, clusters: args.clusters, child };

        if (config.stage === "rollback") {
            this.steps.rollback = declareRollback(ctx).outputs;
        } else if (passReaches(config.stage, "backup")) {
            this.declarePasses(config.stage === "cutover" ? { ...ctx, config: cutoverConfig(config) } : ctx, args.fixes);
        }
        this.registerOutputs(this.steps);
    }

    /** The Backup, the Restore and the verification, as far as the stage goes; in the cutover, after A is quiet. */
    private declarePasses(ctx: RunContext, fixes: Fixes | undefined): void {
        const { config } = ctx;
        const firstRun = config.cutover.firstRun;
        const quiet = config.stage === "cutover" && firstRun ? declareQuiesce(ctx, firstRun) : undefined;
        if (quiet) this.steps.cutover = quiet.outputs;
        const backup = declareBackup(ctx, quiet ? [quiet.resources.quiesced] : []);
        this.steps.backup = backup.outputs;
        if (passReaches(config.stage, "restore")) {
            const restore = declareRestore(ctx, backup.resources, fixes);
            this.steps.restore = restore.outputs;
            const scaledUp = quiet ? declareTargetScaleUp(ctx, restore.resources.done) : undefined;
            if (scaledUp) this.steps.targetScaledUp = scaledUp.outputs;
            if (passReaches(config.stage, "complete")) this.steps.verification = declareVerification(ctx, backup.resources, restore.resources, scaledUp ? [scaledUp.resources.scaledUp] : []).outputs;
        }
    }
}
