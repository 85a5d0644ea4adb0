/**
 * The migration after the install, as MigrationSteps: the Backup in A (waited on), the sync
 * gate and the Restore in B (waited on, with the rules' fixes as resource modifiers), then
 * the verification. Each resource depends on exactly what must exist before it; the Backup
 * and Restore objects are kept on delete, so a new run name never erases an old run's history.
 */
import type * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MigrationConfig } from "../config/load";
import { DEFAULT_MODIFIERS_CONFIGMAP, modifierConfigMap } from "../modifiers/build";
import { validateModifierConfigMap } from "../modifiers/validate";
import { record } from "../rules/objects";
import { clusterCommand, statusOf } from "./clusterCommand";
import type { RestoreFixes, UnknownFixes } from "./restoreFixes";
import type { ClusterInstall, MigrationStep, StageContext } from "./stage";
import { backupManifest, restoredNamespaces, restoreManifest, runLabels } from "./veleroOperations";

/** The data key of the modifiers' ConfigMap (Velero reads its only key, whatever the name). */
export const MODIFIERS_KEY = "resource-modifiers.yaml";

/** The generated modifiers are invalid: a bug, stopped before anything is created. */
export class ModifiersError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ModifiersError";
    }
}

/** What the backup step leaves for the later ones. */
interface Declared {
    backup?: { object: k8s.apiextensions.CustomResource; done: command.local.Command };
    restore?: { object: k8s.apiextensions.CustomResource; done: command.local.Command };
}

function runName(config: MigrationConfig): string {
    // The config loader requires it from the backup stage on.
    if (!config.run) throw new Error("tke2eks:run is required from the backup stage on");
    return config.run;
}

function customResource(name: string, manifest: Record<string, unknown>, cluster: ClusterInstall, ctx: StageContext, dependsOn: pulumi.Resource[]) {
    const { apiVersion, kind, metadata, spec } = manifest as { apiVersion: string; kind: string; metadata: k8s.types.input.meta.v1.ObjectMeta; spec: unknown };
    // No provider-side waiting: the awaiter Command after it waits, and fails fast (clusterCommand.ts).
    return new k8s.apiextensions.CustomResource(
        name,
        { apiVersion, kind, metadata, spec },
        { parent: ctx.parent, provider: cluster.provider, dependsOn, retainOnDelete: true },
    );
}

function awaitArgs(kind: "backup" | "restore", run: string, namespace: string, timeout: number, allowPartiallyFailed = false): string[] {
    return ["await", kind, run, "--namespace", namespace, "--timeout", String(timeout), ...(allowPartiallyFailed ? ["--allow-partially-failed"] : [])];
}

function backupStep(declared: Declared): MigrationStep {
    return {
        name: "backup",
        stages: ["backup", "restore", "complete"],
        declare(ctx) {
            const { config } = ctx;
            const run = runName(config);
            const source = ctx.clusters.source;
            const before: pulumi.Resource[] = [source.velero.release];
            if (source.snapshotClass) before.push(source.snapshotClass);
            const object = customResource("backup", backupManifest(config, run), source, ctx, before);
            const done = clusterCommand(
                "backup-completed",
                { cluster: source, config: config.clusters.source, argv: awaitArgs("backup", run, source.velero.namespace, config.backup.timeout), timeoutSeconds: config.backup.timeout },
                { parent: ctx.parent, dependsOn: [object] },
            );
            declared.backup = { object, done };
            return { name: run, namespace: source.velero.namespace, status: statusOf(done) };
        },
    };
}

/** The modifiers' ConfigMap, validated under Velero's strict format before it is declared. */
function modifiersConfigMap(fixes: RestoreFixes | UnknownFixes, run: string, target: ClusterInstall, ctx: StageContext): k8s.core.v1.ConfigMap | undefined {
    const name = `${DEFAULT_MODIFIERS_CONFIGMAP}-${run}`;
    const opts = { parent: ctx.parent, provider: target.provider, dependsOn: [target.velero.release] };
    const metadata = { name, namespace: target.velero.namespace, labels: runLabels(run) };
    if ("unknown" in fixes) {
        // Known only at deploy time: the plan shows the ConfigMap and says why its data is not there.
        return new k8s.core.v1.ConfigMap("restore-modifiers", { metadata, data: { [MODIFIERS_KEY]: pulumi.output(pulumi.unknown as unknown as string) } }, opts);
    }
    if (!fixes.modifiers) return undefined;
    const cm = modifierConfigMap(fixes.modifiers, { name, namespace: target.velero.namespace, key: MODIFIERS_KEY });
    const check = validateModifierConfigMap(cm, { velero: ctx.config.clusters.target.velero.velero });
    if (!check.ok) throw new ModifiersError(`the generated restore modifiers are invalid (please report this): ${check.errors.join("; ")}`);
    return new k8s.core.v1.ConfigMap("restore-modifiers", { metadata: { ...metadata, labels: { ...(record(record(cm.metadata).labels) as Record<string, string>), ...metadata.labels } }, data: cm.data as Record<string, string> }, opts);
}

function fixesReport(fixes: RestoreFixes | UnknownFixes | undefined, configMap: k8s.core.v1.ConfigMap | undefined, includeDaemonSets: boolean) {
    const configMapName = configMap ? configMap.metadata.name : null;
    if (!fixes) return { configMap: configMapName, from: "none (tke2eks:restore.modifiersFrom not set)" };
    if ("unknown" in fixes) return { configMap: configMapName, from: fixes.unknown };
    return {
        configMap: configMapName,
        from: fixes.from,
        objects: fixes.objects,
        rules: fixes.modifiers?.resourceModifierRules.length ?? 0,
        unpatchable: fixes.unpatchable,
        daemonSets: { [includeDaemonSets ? "includedAndRefusedByB" : "excludedFromBackup"]: fixes.daemonSets },
        refused: fixes.refused,
    };
}

function restoreStep(declared: Declared, fixes: RestoreFixes | UnknownFixes | undefined): MigrationStep {
    return {
        name: "restore",
        stages: ["restore", "complete"],
        declare(ctx) {
            const { config } = ctx;
            const run = runName(config);
            const target = ctx.clusters.target;
            if (!declared.backup) throw new Error("the restore step needs the backup step before it");
            // B lists the backup once its Velero has synced the bucket; restoring before that fails ("backup not found").
            const synced = clusterCommand(
                "backup-synced",
                {
                    cluster: target,
                    config: config.clusters.target,
                    argv: awaitArgs("backup", run, target.velero.namespace, config.restore.syncTimeout),
                    timeoutSeconds: config.restore.syncTimeout,
                },
                { parent: ctx.parent, dependsOn: [declared.backup.done, target.velero.release] },
            );
            const configMap = fixes ? modifiersConfigMap(fixes, run, target, ctx) : undefined;
            // The target's release keeps its storage location ReadOnly until the complete stage.
            const before: pulumi.Resource[] = [declared.backup.object, declared.backup.done, synced, target.velero.release];
            if (configMap) before.push(configMap);
            const manifest = restoreManifest(config, run, configMap ? { modifiers: `${DEFAULT_MODIFIERS_CONFIGMAP}-${run}` } : {});
            const object = customResource("restore", manifest, target, ctx, before);
            const done = clusterCommand(
                "restore-completed",
                {
                    cluster: target,
                    config: config.clusters.target,
                    argv: awaitArgs("restore", run, target.velero.namespace, config.restore.timeout, config.restore.allowPartiallyFailed),
                    timeoutSeconds: config.restore.timeout,
                },
                { parent: ctx.parent, dependsOn: [object] },
            );
            declared.restore = { object, done };
            return { name: run, namespace: target.velero.namespace, status: statusOf(done), modifiers: fixesReport(fixes, configMap, config.backup.includeDaemonSets) };
        },
    };
}

/** Counts as the verification outputs read them: items, errors and warnings. */
function itemCounts(status: pulumi.Output<unknown>) {
    return status.apply((s) => {
        const r = record(s);
        return { phase: r.phase ?? null, items: r.doneItems ?? null, of: r.totalItems ?? null, errors: r.errors ?? null, warnings: r.warnings ?? null };
    });
}

function verifyStep(declared: Declared): MigrationStep {
    return {
        name: "verification",
        stages: ["complete"],
        declare(ctx) {
            const { config } = ctx;
            const run = runName(config);
            const target = ctx.clusters.target;
            if (!declared.backup || !declared.restore) throw new Error("the verification step needs the backup and restore steps before it");
            const namespaces = restoredNamespaces(config);
            const inventory = clusterCommand(
                "inventory",
                {
                    cluster: target,
                    config: config.clusters.target,
                    argv: ["inventory", "--restore-name", run, ...namespaces.flatMap((n) => ["--namespace", n])],
                    timeoutSeconds: 300,
                },
                { parent: ctx.parent, dependsOn: [declared.restore.done] },
            );
            // What the backup held against what exists and is ready in B; fails the stage unless told to warn.
            const verify = clusterCommand(
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
                { parent: ctx.parent, dependsOn: [declared.restore.done] },
            );
            return {
                backedUp: itemCounts(statusOf(declared.backup.done)),
                restored: itemCounts(statusOf(declared.restore.done)),
                inventory: statusOf(inventory),
                report: statusOf(verify),
                rollback: `kubectl delete all,pvc,configmap,secret,serviceaccount,ingress -A -l velero.io/restore-name=${run} (in cluster B)`,
            };
        },
    };
}

/** The steps after the install, in order; `fixes` are the restore modifiers computed beforehand. */
export function migrationSteps(fixes: RestoreFixes | UnknownFixes | undefined): MigrationStep[] {
    const declared: Declared = {};
    return [backupStep(declared), restoreStep(declared, fixes), verifyStep(declared)];
}
