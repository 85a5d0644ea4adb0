/**
 * The migration run's steps, declared by the MigrationRun component (migrationRun.ts): the
 * Backup in A (waited on), the sync gate and the Restore in B (waited on, with the rules'
 * fixes as resource modifiers), then the verification. Each step gets what the steps before it
 * made as arguments and returns its resources; each resource depends on exactly what must exist
 * before it. The Backup and Restore objects are kept on delete, so a new run name never erases
 * an old run's history.
 */
import type * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MigrationConfig } from "../config/load";
import { DEFAULT_MODIFIERS_CONFIGMAP, modifierConfigMap } from "../modifiers/build";
import { validateModifierConfigMap } from "../modifiers/validate";
import { record } from "../rules/objects";
import { clusterCommand, statusOf, type ClusterCommandArgs } from "./clusterCommand";
import { fixesFromBackup, type BackupFixes, type Fixes, type RestoreFixes, type UnknownFixes } from "../restore/stageFixes";
import type { ClusterInstall, RunContext } from "./stage";
import { BSL_NAME } from "../config/naming";
import { backupManifest, restoredNamespaces, restoreManifest, runLabels } from "../restore/manifests";
import { UserError } from "../core/errors";
import { declareMappings } from "./restoreMappings";

/** The data key of the modifiers' ConfigMap (Velero reads its only key, whatever the name). */
export const MODIFIERS_KEY = "resource-modifiers.yaml";

/** A Velero object and the awaiter Command that waits until it finished. */
export interface Awaited {
    object: k8s.apiextensions.CustomResource;
    done: command.local.Command;
}

/** What a step made and what it reports (the stack outputs under the step's name). */
export interface StepResult<R> {
    resources: R;
    outputs: Record<string, pulumi.Input<unknown>>;
}

function customResource(name: string, manifest: Record<string, unknown>, cluster: ClusterInstall, ctx: RunContext, dependsOn: pulumi.Resource[]) {
    const { apiVersion, kind, metadata, spec } = manifest as { apiVersion: string; kind: string; metadata: k8s.types.input.meta.v1.ObjectMeta; spec: unknown };
    const child = ctx.child(name);
    // No provider-side waiting: the awaiter Command after it waits, and fails fast (clusterCommand.ts).
    return new k8s.apiextensions.CustomResource(child.name, { apiVersion, kind, metadata, spec }, { ...child.opts, provider: cluster.provider, dependsOn, retainOnDelete: true });
}

/** A `tke2eks` Command under the run (clusterCommand.ts). */
function runCommand(name: string, args: ClusterCommandArgs, ctx: RunContext, dependsOn: pulumi.Resource[]): command.local.Command {
    const child = ctx.child(name);
    return clusterCommand(child.name, args, { ...child.opts, dependsOn });
}

function awaitArgs(kind: "backup" | "restore", run: string, namespace: string, timeout: number, allowPartiallyFailed = false): string[] {
    return ["await", kind, run, "--namespace", namespace, "--timeout", String(timeout), ...(allowPartiallyFailed ? ["--allow-partially-failed"] : [])];
}

/** The sync gate: B lists the backup, or its shared location is Unavailable and it never will (fails at once). */
function gateArgs(run: string, namespace: string, timeout: number): string[] {
    return [...awaitArgs("backup", run, namespace, timeout), "--location", BSL_NAME];
}

/** The Backup in A, after A's Velero (and snapshot class, and `after`: the cut-over's quiet source), and its awaiter. */
export function declareBackup(ctx: RunContext, after: pulumi.Resource[] = []): StepResult<Awaited> {
    const { config, run } = ctx;
    const source = ctx.clusters.source;
    const before: pulumi.Resource[] = [source.velero.release, ...after];
    if (source.snapshotClass) before.push(source.snapshotClass);
    const object = customResource("backup", backupManifest(config, run), source, ctx, before);
    const done = runCommand(
        "backup-completed",
        { cluster: source, config: config.clusters.source, argv: awaitArgs("backup", run, source.velero.namespace, config.backup.timeout), timeoutSeconds: config.backup.timeout },
        ctx,
        [object],
    );
    return { resources: { object, done }, outputs: { name: run, namespace: source.velero.namespace, status: statusOf(done) } };
}

/** The modifiers' ConfigMap for known fixes, validated under Velero's strict format; undefined when there is nothing to fix. */
function knownModifiers(fixes: RestoreFixes, name: string, namespace: string, velero: string): Record<string, string> | undefined {
    if (!fixes.modifiers) return undefined;
    const cm = modifierConfigMap(fixes.modifiers, { name, namespace, key: MODIFIERS_KEY, origins: fixes.origins });
    const check = validateModifierConfigMap(cm, { velero });
    if (!check.ok) throw new UserError(`the generated restore modifiers are invalid (please report this): ${check.errors.join("; ")}`);
    return cm.data as Record<string, string>;
}

/** Velero refuses an empty rule list (internal/resourcemodifiers/resource_modifiers_validator.go:55 at v1.18.2): the Restore then leaves the ConfigMap out. */
const NOTHING_TO_FIX = "# No object in the backup needs an automatic fix: the Restore does not reference this ConfigMap.\n";

/**
 * The fixes of the backup in the bucket, read once the Backup has completed (the awaiter's
 * output), with the target cluster's store key. Unknown in a preview whose Backup is new.
 */
function fixesAtDeploy(where: BackupFixes, config: MigrationConfig, backup: Awaited, ctx: RunContext): PendingFixes {
    const key = ctx.store.credentials.target;
    // A failed read is a UserError: one line for the engine, never a stack trace, and no key in it (s3/errors.ts).
    const read = pulumi.all([statusOf(backup.done), key.accessKeyId, key.secretAccessKey]).apply(([, accessKeyId, secretAccessKey]) => fixesFromBackup(config, where, { accessKeyId, secretAccessKey }));
    // The key was only used to read; the fixes themselves are not secret.
    return { pending: `backup: ${where.backup} (read once the Backup has completed)`, fixes: pulumi.unsecret(read) };
}

/** Fixes read at deploy time, and what they are read from (known before they are). */
interface PendingFixes {
    pending: string;
    fixes: pulumi.Output<RestoreFixes>;
}

/** Fixes known now, unknown offline, or read from the bucket at deploy time. */
type Resolved = RestoreFixes | UnknownFixes | PendingFixes;

interface Modifiers {
    /** The ConfigMap's data (a single key), or undefined: no ConfigMap. */
    data?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The Restore's spec.resourceModifier. */
    reference?: pulumi.Input<{ kind: string; name: string } | undefined>;
}

function modifiersFor(fixes: Resolved, name: string, namespace: string, velero: string): Modifiers {
    const reference = { kind: "ConfigMap", name };
    if ("pending" in fixes) {
        const data = fixes.fixes.apply((f) => knownModifiers(f, name, namespace, velero));
        return {
            data: data.apply((d) => d ?? { [MODIFIERS_KEY]: NOTHING_TO_FIX }),
            reference: data.apply((d) => (d ? reference : undefined)),
        };
    }
    // Known only at deploy time: the plan shows the ConfigMap and says why its data is not there.
    if ("unknown" in fixes) return { data: { [MODIFIERS_KEY]: pulumi.output(pulumi.unknown as unknown as string) }, reference };
    const data = knownModifiers(fixes, name, namespace, velero);
    return data ? { data, reference } : {};
}

function reportOf(fixes: RestoreFixes, configMap: pulumi.Input<string> | null, includeDaemonSets: boolean) {
    return {
        configMap,
        from: fixes.from,
        objects: fixes.objects,
        rules: fixes.modifiers?.resourceModifierRules.length ?? 0,
        ...(fixes.origins ? { origins: fixes.origins } : {}),
        unpatchable: fixes.unpatchable,
        daemonSets: { [includeDaemonSets ? "includedAndRefusedByB" : "excludedFromBackup"]: fixes.daemonSets },
        refused: fixes.refused,
        preview: fixes.preview,
    };
}

function fixesReport(fixes: Resolved, configMap: k8s.core.v1.ConfigMap | undefined, includeDaemonSets: boolean) {
    const configMapName = configMap ? configMap.metadata.name : null;
    if ("pending" in fixes) {
        const known = fixes.fixes.apply((f) => reportOf(f, configMapName, includeDaemonSets));
        return { configMap: configMapName, from: fixes.pending, objects: known.objects, rules: known.rules, unpatchable: known.unpatchable, daemonSets: known.daemonSets, refused: known.refused, preview: known.preview };
    }
    if ("unknown" in fixes) return { configMap: configMapName, from: fixes.unknown };
    return reportOf(fixes, configMapName, includeDaemonSets);
}

/**
 * The sync gate, the modifiers' ConfigMap, the Restore in B and its awaiter, after the Backup
 * completed; `fixes` are the restore modifiers computed beforehand, or where to read them from
 * once the Backup has completed.
 */
export function declareRestore(ctx: RunContext, backup: Awaited, fixes: Fixes | undefined): StepResult<Awaited & { synced: command.local.Command; configMap?: k8s.core.v1.ConfigMap }> {
    const { config, run } = ctx;
    const target = ctx.clusters.target;
    // B lists the backup once its Velero has synced the bucket; restoring before that fails ("backup not found").
    const synced = runCommand(
        "backup-synced",
        {
            cluster: target,
            config: config.clusters.target,
            argv: gateArgs(run, target.velero.namespace, config.restore.syncTimeout),
            timeoutSeconds: config.restore.syncTimeout,
        },
        ctx,
        [backup.done, target.velero.release],
    );
    const resolved: Resolved | undefined = fixes && "backup" in fixes ? fixesAtDeploy(fixes, config, backup, ctx) : fixes;
    const name = `${DEFAULT_MODIFIERS_CONFIGMAP}-${run}`;
    const modifiers = resolved ? modifiersFor(resolved, name, target.velero.namespace, config.clusters.target.velero.velero) : {};
    const child = ctx.child("restore-modifiers");
    const configMap = modifiers.data
        ? new k8s.core.v1.ConfigMap(
              child.name,
              { metadata: { name, namespace: target.velero.namespace, labels: { "app.kubernetes.io/managed-by": "tke2eks", ...runLabels(run) } }, data: modifiers.data },
              { ...child.opts, provider: target.provider, dependsOn: [target.velero.release] },
          )
        : undefined;
    // The target's release keeps its storage location ReadOnly until the complete stage.
    const before: pulumi.Resource[] = [backup.object, backup.done, synced, target.velero.release];
    if (configMap) before.push(configMap);
    before.push(...declareMappings(ctx));
    const manifest = restoreManifest(config, run);
    if (modifiers.reference) manifest.spec = { ...record(manifest.spec), resourceModifier: modifiers.reference };
    const object = customResource("restore", manifest, target, ctx, before);
    const done = runCommand(
        "restore-completed",
        {
            cluster: target,
            config: config.clusters.target,
            argv: awaitArgs("restore", run, target.velero.namespace, config.restore.timeout, config.restore.allowPartiallyFailed),
            timeoutSeconds: config.restore.timeout,
        },
        ctx,
        [object],
    );
    const report = resolved ? fixesReport(resolved, configMap, config.backup.includeDaemonSets) : { configMap: null, from: "none" };
    return {
        resources: { object, done, synced, ...(configMap ? { configMap } : {}) },
        outputs: { name: run, namespace: target.velero.namespace, status: statusOf(done), modifiers: report, syncWaitSeconds: waitedSeconds(synced) },
    };
}

/** How long the gate waited for B to list the backup, as the awaiter measured it. */
function waitedSeconds(gate: command.local.Command): pulumi.Output<unknown> {
    return statusOf(gate).apply((s) => record(s).waitedSeconds ?? null);
}

/** Counts as the verification outputs read them: items, errors and warnings. */
function itemCounts(status: pulumi.Output<unknown>) {
    return status.apply((s) => {
        const r = record(s);
        return { phase: r.phase ?? null, items: r.doneItems ?? null, of: r.totalItems ?? null, errors: r.errors ?? null, warnings: r.warnings ?? null };
    });
}

/** The inventory and the verification in B, once the Restore finished (and what else `after` names). */
export function declareVerification(ctx: RunContext, backup: Awaited, restore: Awaited, after: pulumi.Resource[] = []): StepResult<{ inventory: command.local.Command; verify: command.local.Command }> {
    const { config, run } = ctx;
    const target = ctx.clusters.target;
    const namespaces = restoredNamespaces(config);
    const inventory = runCommand(
        "inventory",
        {
            cluster: target,
            config: config.clusters.target,
            argv: ["inventory", "--restore-name", run, ...namespaces.flatMap((n) => ["--namespace", n])],
            timeoutSeconds: 300,
        },
        ctx,
        [restore.done],
    );
    // What the backup held against what exists and is ready in B; fails the stage unless told to warn.
    const verify = runCommand(
        "verify",
        {
            cluster: target,
            config: config.clusters.target,
            argv: [
                "verify",
                "--restore",
                run,
                "--velero-namespace",
                target.velero.namespace,
                ...namespaces.flatMap((n) => ["--namespace", n]),
                "--format",
                "json",
                "--timeout",
                String(config.verify.timeout),
                ...(config.verify.onFailure === "warn" ? ["--warn-only"] : []),
            ],
            timeoutSeconds: config.verify.timeout,
        },
        ctx,
        [restore.done, ...after],
    );
    return {
        resources: { inventory, verify },
        outputs: {
            backedUp: itemCounts(statusOf(backup.done)),
            restored: itemCounts(statusOf(restore.done)),
            inventory: statusOf(inventory),
            report: statusOf(verify),
            rollback: `kubectl delete all,pvc,configmap,secret,serviceaccount,ingress -A -l velero.io/restore-name=${run} (in cluster B)`,
        },
    };
}
