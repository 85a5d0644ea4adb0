/**
 * The restore's resource modifiers: the rules' automatic fixes for the objects being
 * migrated, never applied behind the user's back. By default they come from the backup that
 * will be restored, read from the bucket once the Backup has completed (so `pulumi up`
 * creates the real ConfigMap and a preview shows it as unknown); `tke2eks:restore.modifiersFrom`
 * can name manifests or a backup tarball file instead (computed when the program runs, so
 * `tke2eks plan --format yaml` shows them), or cluster A itself, read-only. What the fixes
 * cannot repair is reported, not dropped. In the same read, each object goes through the
 * restore preview of the stack's Restore (restore/): its counts are reported, and what cluster
 * B would refuse stops the stage before the Restore is declared, unless waived.
 */
import type { MigrationConfig } from "../config/load";
import { resourceModifiers } from "../modifiers/build";
import { mergeModifiers, originRules, ruleOrigins } from "../modifiers/userRules";
import type { ResourceModifiers } from "../modifiers/veleroFormat";
import { readBackup } from "../preflight/backup";
import { readManifests } from "../preflight/manifests";
import { scan, type ScanReport } from "../preflight/scan";
import { formatOrigin, type ScanEvent } from "../preflight/types";
import { groupResourceOf } from "../modifiers/groupResources";
import { WaiverBook } from "../preflight/waivers";
import { backupScope, type BackedUp } from "./backupScope";
import type { RestorePipeline } from "./pipeline";
import { stackEngine, pipelineFor, stackRestore } from "./stack";
import { readVolumeInfo, type VolumeInfoIndex } from "./volumeInfo";
import { PreviewTally, refusalMessage, refusalsThatStop, type StagePreview } from "./stageSummary";
import { apiVersionOf, describe, kindOf, record, str } from "../rules/objects";
import type { S3Credentials, S3Options } from "../s3/client";
import { backupKey, formatS3Url } from "../s3/location";
import { DAEMONSETS } from "./manifests";
import { UserError } from "../core/errors";

/** What the modifiers were computed from and what they could not fix. */
export interface RestoreFixes {
    /** `manifests: <paths>`, `backup: <tarball>` or `cluster: <context>`. */
    from: string;
    /** Objects judged (in the backed-up namespaces). */
    objects: number;
    /** The generated fixes, then the team's rules; undefined when there are neither: the Restore then has no resourceModifier. */
    modifiers?: ResourceModifiers;
    /** Where the rules come from, in order (`rules 0-3: generated fixes`, `rule 4: mods.yaml rule 0`). */
    origins?: string[];
    /** Automatic fixes that could not become a modifier, with why. */
    unpatchable: string[];
    /** DaemonSets, which cluster B cannot run (left out of the backup unless includeDaemonSets). */
    daemonSets: string[];
    /** Other objects B will refuse that no automatic fix repairs (fix them at the source). */
    refused: string[];
    /** The restore preview of the same objects under the stack's Restore: counts and what B refuses, with why. */
    preview: StagePreview;
}

/** The fixes cannot be known yet (a live source cluster in an offline plan), and why. */
export interface UnknownFixes {
    unknown: string;
}

/** The fixes come from the backup in the bucket, read when the stage deploys (after the Backup completed). */
export interface BackupFixes {
    /** `s3://BUCKET/<prefix>/backups/<run>/<run>.tar.gz`. */
    backup: string;
    /** Velero's storage location: its s3Url, region and addressing; the credentials come at deploy time. */
    s3: Omit<S3Options, "credentials">;
}

/** Fixes known now, known only at deploy time from the bucket, or unknown offline. */
export type Fixes = RestoreFixes | UnknownFixes | BackupFixes;

/** Velero's namespace filter for the backup: included (or `*`) and not excluded. */
export function inBackup(namespace: string | undefined, included: readonly string[], excluded: readonly string[]): boolean {
    // Cluster-scoped objects carry no fix the restore could use.
    if (namespace === undefined) return false;
    return (included.includes("*") || included.includes(namespace)) && !excluded.includes(namespace);
}

/** The objects the backup takes; DaemonSets are noted on the way (`ns/name`). */
async function* onlyBackedUp(input: AsyncIterable<ScanEvent>, included: readonly string[], excluded: readonly string[], daemonSets: string[]): AsyncGenerator<ScanEvent> {
    for await (const event of input) {
        if ("item" in event) {
            const meta = record(event.item.obj.metadata);
            const namespace = str(meta.namespace);
            if (!inBackup(namespace, included, excluded)) continue;
            if (event.item.obj.kind === "DaemonSet") daemonSets.push(`${namespace ?? ""}/${str(meta.name) ?? ""}`);
        }
        yield event;
    }
}

/** Turns a scan of the objects into the Restore's fixes and the report of what they miss. */
export function fixesFromReport(report: ScanReport, from: string, daemonSets: readonly string[], velero: string, preview: StagePreview): RestoreFixes {
    const { remaining, excludedResources, excludedNamespaces } = report.exclusions;
    const refused = [
        ...remaining.filter((r) => r.ref.kind !== "DaemonSet").map((r) => `${describe(r.ref)}: ${r.rules.join(", ")}`),
        ...excludedResources.filter((r) => r !== DAEMONSETS).map((r) => `every ${r} object`),
        ...excludedNamespaces.map((ns) => `every object in namespace ${ns}`),
    ];
    const out: RestoreFixes = {
        from,
        objects: report.objects,
        unpatchable: report.unpatchable.map((u) => `${describe(u.ref)}: ${u.reason}`),
        daemonSets: [...new Set(daemonSets)].sort(),
        refused,
        preview,
    };
    // Written for the target's Velero: what it can read decides the patches' form.
    if (report.fixes.length > 0) out.modifiers = resourceModifiers(report.fixes, velero);
    return out;
}

export interface FixesOptions {
    /** `tke2eks plan`: never reach a cluster. */
    offline: boolean;
    /** Reads a live cluster (the preflight reader); injected so plan never loads the client. */
    readCluster?: (kubeconfig: string, context: string, namespaces: readonly string[]) => AsyncIterable<ScanEvent>;
}

/** The backup this config's Restore restores, where Velero's storage location keeps it. */
export function backupInBucket(config: MigrationConfig): BackupFixes {
    // The config loader requires a run name from the backup stage on.
    const run = config.run ?? "";
    return {
        backup: formatS3Url({ bucket: config.bucket, key: backupKey(config.prefix, run, "tarball") }),
        s3: { endpoint: config.endpoint, region: config.region, forcePathStyle: config.s3ForcePathStyle },
    };
}

/**
 * Previews every object the pipeline is given as it passes on to the scan: one read of the
 * input for both. `backedUp` keeps what the Backup takes when the input is not the backup itself.
 */
async function* previewing(input: AsyncIterable<ScanEvent>, pipeline: RestorePipeline, tally: PreviewTally, backedUp?: BackedUp): AsyncGenerator<ScanEvent> {
    for await (const event of input) {
        if ("item" in event) {
            const { obj } = event.item;
            const groupResource = event.item.groupResource ?? groupResourceOf(apiVersionOf(obj), kindOf(obj)) ?? "";
            if (!backedUp || backedUp(groupResource, obj)) tally.add(pipeline.judge(obj, groupResource));
        }
        yield event;
    }
}

/** Where the objects come from: the backup itself, or objects the Backup will take a part of. */
type Input = { backup: AsyncIterable<ScanEvent>; volumes?: VolumeInfoIndex } | { objects: AsyncIterable<ScanEvent> };

/**
 * Scans the objects and turns them into the Restore's fixes, previewing the stack's Restore
 * of them on the way; errors start with `prefix`. Objects B would refuse stop the stage here
 * (restore/stageSummary.ts says which), before anything of the restore is declared.
 */
async function fixesFrom(config: MigrationConfig, input: Input, label: string, prefix: string): Promise<RestoreFixes> {
    const { includedNamespaces: included, excludedNamespaces: excluded } = config.backup;
    const engine = stackEngine(config);
    const waivers = config.restore.waivers ? new WaiverBook(config.restore.waivers.entries) : undefined;
    // The config loader requires the run (the backup's name) from the backup stage on.
    const pipeline = pipelineFor(stackRestore(config, config.run ?? ""), waivers, "volumes" in input ? input.volumes : undefined);
    const tally = new PreviewTally();
    const events = "backup" in input ? previewing(input.backup, pipeline, tally) : previewing(input.objects, pipeline, tally, backupScope(config));
    let report: ScanReport;
    const daemonSets: string[] = [];
    try {
        report = await scan(onlyBackedUp(events, included, excluded, daemonSets), { engine, waivers, collectFixes: true, listRefused: true });
    } catch (err) {
        if (err instanceof UserError) throw new UserError(`${prefix}: ${err.message}`);
        throw err;
    }
    try {
        // A document that does not parse could hide an object that needs a fix.
        if (report.problems.length > 0) {
            const lines = report.problems.map((p) => `${formatOrigin(p.origin)}: ${p.message}`);
            throw new UserError(`${prefix}: ${lines.length} part(s) of the input cannot be read:\n  ${lines.join("\n  ")}`);
        }
        const preview = tally.result();
        const stopping = refusalsThatStop(preview, config.restore.allowPartiallyFailed);
        if (stopping.length > 0) throw new UserError(refusalMessage(stopping, label));
        const out = fixesFromReport(report, label, daemonSets, config.clusters.target.velero.velero, preview);
        // Velero reads one ConfigMap: the team's rules follow the generated ones in it (modifiers/userRules.ts).
        const user = originRules(config.restore.modifiers);
        if (user.length === 0) return out;
        return { ...out, modifiers: mergeModifiers(out.modifiers, user), origins: ruleOrigins(out.modifiers?.resourceModifierRules.length ?? 0, user) };
    } finally {
        report.findings.close();
    }
}

/** At deploy time: the fixes for the backup in the bucket, read with the target cluster's store key. */
export async function fixesFromBackup(config: MigrationConfig, where: BackupFixes, credentials: S3Credentials): Promise<RestoreFixes> {
    const s3 = { ...where.s3, credentials };
    const prefix = "restore fixes from the backup";
    // The backup's volume info beside it decides its PVs, as in restore-preview; read first, so its errors come first.
    const volumes = await readVolumeInfo(where.backup, s3).then(
        (read) => read.volumes,
        (err: unknown) => {
            throw err instanceof UserError ? new UserError(`${prefix}: ${err.message}`) : err;
        },
    );
    return readBackup(where.backup, s3, (events) => fixesFrom(config, { backup: events, volumes }, `backup: ${where.backup}`, prefix));
}

const MODIFIERS_FROM = "tke2eks:restore.modifiersFrom";

/**
 * The fixes for this config's restore: computed now from manifests or a tarball file; left
 * for deploy time when they come from the backup in the bucket (the default) or, offline,
 * from the live source cluster.
 */
export async function restoreFixes(config: MigrationConfig, opts: FixesOptions): Promise<Fixes> {
    const from = config.restore.modifiersFrom;
    if (!from || from.kind === "backup") return backupInBucket(config);
    // Labels as configured (relative to the project): outputs must not depend on the checkout path.
    if (from.kind === "manifests") return fixesFrom(config, { objects: readManifests(from.paths, process.stdin) }, `manifests: ${from.given.join(", ")}`, MODIFIERS_FROM);
    if (from.kind === "backup-file") {
        const volumes = (await readVolumeInfo(from.path)).volumes;
        return readBackup(from.path, undefined, (events) => fixesFrom(config, { backup: events, volumes }, `backup: ${from.given}`, MODIFIERS_FROM));
    }
    const source = config.clusters.source;
    if (opts.offline) return { unknown: `listed from the source cluster (${source.kubeconfig.context}) at deploy time; tke2eks plan stays offline` };
    if (!opts.readCluster) throw new Error("restoreFixes: reading the source cluster needs a cluster reader");
    // Only the backed-up namespaces, so listing stays read-only and small.
    const { includedNamespaces: included, excludedNamespaces: excluded } = config.backup;
    const namespaces = included.includes("*") ? [] : included.filter((n) => !excluded.includes(n));
    return fixesFrom(config, { objects: opts.readCluster(source.kubeconfig.content, source.kubeconfig.context, namespaces) }, `cluster: ${source.kubeconfig.context}`, MODIFIERS_FROM);
}
