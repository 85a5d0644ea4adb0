/**
 * `tke2eks preflight`: picks the input (manifests, a Velero backup, or a live cluster),
 * scans it, prints the report in the chosen format on stdout, writes the restore modifiers
 * and prints the exclusions when asked. Notes and unreadable input go to stderr; exit codes
 * are the README's (0 clean, 1 findings at or above --fail-on, 2 bad usage or input, and a scan
 * that found no objects unless --allow-empty: nothing scanned is no pass).
 */
import * as fs from "node:fs";
import type { Readable } from "node:stream";
import { resolveVeleroRelease } from "../config/veleroRelease";
import type { ClusterOptions } from "../preflight/cluster";
import { clusterApis } from "../preflight/clusters";
import { readManifests } from "../preflight/manifests";
import { prerequisites, VolumeTally } from "../preflight/prerequisites";
import { ImageTally, type MappingInput } from "../preflight/restoreMappings";
import { progress } from "../preflight/progress";
import { scan, type ScanReport } from "../preflight/scan";
import { formatOrigin, type ScanEvent } from "../preflight/types";
import { exitCode, FAIL_ON, type FailOn } from "../preflight/verdict";
import type { WaiverBook } from "../preflight/waivers";
import { engineOptions, type EngineOptions } from "../rules/engine";
import type { FixOptions } from "../rules/types";
import { describe } from "../rules/objects";
import { isProfileName, PROFILE_NAMES } from "../rules/profiles";
import { DEFAULT_REQUEST_TIMEOUT, DEFAULT_SCAN_TIMEOUT } from "../cluster/limits";
import { s3OptionsFrom, type BackupSourceFlags } from "./backupOptions";
import { seconds } from "./options";
import { oneOf, outputFormat, packageVersion, useColor, writeAll } from "./output";
import { yamlOf } from "./yamlOutput";
import { UserError } from "../core/errors";
import { printable } from "../core/printable";
import type { MigrationConfig } from "../config/load";
import { stackConfigFrom } from "./stack";
import type { StackFlags } from "./stackOptions";

export const FORMATS = ["table", "json", "yaml", "sarif", "junit"] as const;
type Format = (typeof FORMATS)[number];

export interface PreflightOptions extends BackupSourceFlags, StackFlags {
    kubeconfig?: string;
    context?: string;
    namespace?: string[];
    profile?: string;
    format?: string;
    failOn?: string;
    modifiers?: string;
    /** The target's Velero (image tag) the modifiers are written for. */
    veleroVersion?: string;
    exclusions?: boolean;
    waivers?: string;
    /** False with --no-progress. */
    progress?: boolean;
    /** Pass a scan that found no objects. */
    allowEmpty?: boolean;
    /** Live cluster: overall and per-request limits, in seconds. */
    timeout?: string;
    requestTimeout?: string;
    /** Cluster B: its Kubernetes version (`1.N`), or its kubeconfig and context. */
    targetVersion?: string;
    targetKubeconfig?: string;
    targetContext?: string;
}

export interface Io {
    stdin: Readable;
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WriteStream;
}

const DEFAULT_IO: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/** The time limits and retry reporting of every cluster the scan talks to (A live, B's discovery). */
function clusterLimits(opts: PreflightOptions, io: Io): Pick<ClusterOptions, "limits" | "onRetry"> {
    return {
        limits: {
            deadlineMs: seconds("--timeout", opts.timeout ?? String(DEFAULT_SCAN_TIMEOUT), 1) * 1000,
            requestMs: seconds("--request-timeout", opts.requestTimeout ?? String(DEFAULT_REQUEST_TIMEOUT), 0.1) * 1000,
        },
        onRetry: (message: string) => io.stderr.write(`tke2eks preflight: ${printable(message)}\n`),
    };
}

/** Runs a scan over the input's events; a backup's reader may start it over (preflight/backup.ts readBackup). */
type Input = <T>(consume: (events: AsyncIterable<ScanEvent>) => Promise<T>) => Promise<T>;

/**
 * The scan's events. Each source's reader loads only with it: a file scan never loads the
 * Kubernetes client (@kubernetes/client-node alone costs more CPU than scanning a few files).
 */
async function input(paths: string[], opts: PreflightOptions, io: Io): Promise<Input> {
    const cluster = opts.kubeconfig !== undefined || opts.context !== undefined;
    const sources = [paths.length > 0 && "paths", opts.backup !== undefined && "--backup", cluster && "--kubeconfig/--context"].filter(Boolean);
    if (sources.length === 0) {
        throw new UserError("nothing to scan: give manifest files or folders (- for stdin), --backup FILE.tar.gz or s3://BUCKET/KEY, or --kubeconfig/--context for a live cluster");
    }
    if (sources.length > 1) throw new UserError(`scan one source at a time, not ${sources.join(" and ")}`);
    const backup = opts.backup;
    if (backup !== undefined) {
        const { readBackup } = await import("../preflight/backup.js");
        return (consume) => readBackup(backup, s3OptionsFrom(opts), consume);
    }
    const events = cluster
        ? (await import("../preflight/cluster.js")).readCluster({ kubeconfig: opts.kubeconfig, context: opts.context, namespaces: opts.namespace, ...clusterLimits(opts, io) })
        : // kubectl applies namespaced objects without a namespace to the one named, else to `default`.
          readManifests(paths, io.stdin, opts.namespace?.length === 1 ? { namespace: opts.namespace[0] } : {});
    return (consume) => consume(events);
}

/** The report in `format`; each format's module (xmlbuilder2 for junit) loads only when asked for. */
async function render(report: ScanReport, format: Format, engine: EngineOptions, failOn: FailOn, opts: PreflightOptions & { waived: boolean }, io: Io): Promise<Iterable<string>> {
    switch (format) {
        case "json":
            return (await import("../preflight/format/json.js")).renderJson(report, { waivers: opts.waived, exclusions: opts.exclusions === true });
        case "yaml":
            return [await yamlOf((await import("../preflight/format/json.js")).renderJson(report, { waivers: opts.waived, exclusions: opts.exclusions === true }))];
        case "sarif":
            return (await import("../preflight/format/sarif.js")).renderSarif(report, engine, packageVersion());
        case "junit":
            return (await import("../preflight/format/junit.js")).renderJunit(report, engine, failOn);
        case "table": {
            const table = (await import("../preflight/format/table.js")).renderTable(report, useColor(io.stdout, process.env));
            if (!opts.exclusions) return table;
            const { exclusionsYaml } = await import("../preflight/exclusions.js");
            return (function* () {
                yield* table;
                yield `\n${exclusionsYaml(report.exclusions)}`;
            })();
        }
    }
}

/** What was scanned, for the "nothing scanned" line. */
function sourceName(paths: string[], opts: PreflightOptions): string {
    const only = (opts.namespace ?? []).length > 0 ? ` in namespace${opts.namespace?.length === 1 ? "" : "s"} ${opts.namespace?.join(", ")}` : "";
    if (opts.backup !== undefined) return `backup ${opts.backup}${only}`;
    if (opts.kubeconfig !== undefined || opts.context !== undefined) return `the cluster${opts.context ? ` (context ${opts.context})` : ""}${only}`;
    return `${paths.map((p) => (p === "-" ? "stdin" : p)).join(", ")}${only}`;
}

function notes(report: ScanReport, opts: PreflightOptions): string[] {
    const out = report.problems.map((p) => `${formatOrigin(p.origin)}: ${p.message}`);
    const { count, first } = report.skipped;
    if (count > 0 && first) out.push(`skipped ${count} document${count === 1 ? "" : "s"} without apiVersion and kind (the first at ${formatOrigin(first)})`);
    if (report.objects === 0 && opts.allowEmpty === true) out.push("no Kubernetes objects were scanned (allowed by --allow-empty)");
    const expired = new Set<number>();
    for (const f of report.findings.findings(report.findings.entries.filter((e) => e.expired))) {
        if (f.waiver && !expired.has(f.waiver.entry)) {
            expired.add(f.waiver.entry);
            out.push(`waiver ${f.waiver.entry} (${f.rule} ${f.namespace ?? ""}/${f.name ?? ""}) expired on ${f.waiver.expires}: its findings count again`);
        }
    }
    for (const w of report.unusedWaivers) out.push(`waiver ${w.entry} (${w.rule} ${w.namespace ?? ""}/${w.name ?? ""}) matches no finding`);
    if (opts.modifiers !== undefined) for (const u of report.unpatchable) out.push(`${describe(u.ref)}: ${u.reason}`);
    return out;
}

/** The --velero-version tag, resolved as the stack config resolves `veleroVersion` (a minor means its default patch). */
function veleroVersion(given: string | undefined): string {
    const resolved = resolveVeleroRelease(given);
    if ("problems" in resolved) throw new UserError(`--velero-version "${given ?? ""}": ${resolved.problems.map((p) => p.message).join("; ")}`);
    return resolved.release.velero;
}

/**
 * What the scan takes from `--stack`, each flag given winning over it: cluster B's Kubernetes
 * version (unless B is asked itself through --target-kubeconfig/--target-context), the target's
 * Velero, the restore's fix options and its waiver file, as the restore stage uses them.
 */
async function withStack(opts: PreflightOptions, stack: MigrationConfig | undefined): Promise<{ targetVersion?: string; veleroVersion?: string; waivers?: WaiverBook; fixes?: FixOptions; mappings?: MappingInput }> {
    const liveB = opts.targetKubeconfig !== undefined || opts.targetContext !== undefined;
    const targetVersion = opts.targetVersion ?? (liveB ? undefined : stack?.clusters.target.kubernetesVersion);
    const velero = opts.veleroVersion !== undefined ? veleroVersion(opts.veleroVersion) : (stack?.clusters.target.velero.velero ?? (opts.modifiers !== undefined ? veleroVersion(undefined) : undefined));
    // The waiver reader (zod, yaml) loads only when there are waivers.
    const waivers = opts.waivers !== undefined || stack?.restore.waivers !== undefined ? await import("../preflight/waivers.js") : undefined;
    const entries = opts.waivers !== undefined ? waivers?.loadWaivers(opts.waivers) : stack?.restore.waivers?.entries;
    return {
        ...(targetVersion !== undefined ? { targetVersion } : {}),
        ...(velero !== undefined ? { veleroVersion: velero } : {}),
        ...(entries !== undefined && waivers ? { waivers: new waivers.WaiverBook(entries) } : {}),
        ...(stack ? { fixes: (await import("../restore/stack.js")).stackEngine(stack).fixes, mappings: { storageClass: stack.restore.storageClassMapping, image: stack.restore.imageMapping } } : {}),
    };
}

async function writeModifiers(report: ScanReport, file: string, velero: string): Promise<string> {
    if (report.fixes.length === 0) return `no automatic fixes: ${file} not written`;
    const { modifierConfigMap, renderConfigMap, resourceModifiers, validateModifierConfigMap } = await import("../modifiers/index.js");
    const cm = modifierConfigMap(resourceModifiers(report.fixes, velero));
    const text = renderConfigMap(cm);
    const check = validateModifierConfigMap(cm, { velero });
    if (!check.ok) throw new Error(`generated resource modifiers are invalid: ${check.errors.join("; ")}`);
    try {
        fs.writeFileSync(file, text);
    } catch (err) {
        throw new UserError(`--modifiers ${file}: ${(err as Error).message}`);
    }
    const meta = cm.metadata as { namespace: string; name: string };
    const rules = check.value.modifiers.resourceModifierRules.length;
    return `wrote ${rules} resource modifier rule${rules === 1 ? "" : "s"} for Velero ${velero} to ${file} (ConfigMap ${meta.namespace}/${meta.name}; reference it from the Restore's spec.resourceModifier)`;
}

export async function runPreflight(paths: string[], opts: PreflightOptions, io: Io = DEFAULT_IO): Promise<number> {
    const profile = opts.profile ?? "eks";
    if (!isProfileName(profile)) throw new UserError(`--profile "${profile}": use ${PROFILE_NAMES.join(", ")}`);
    const format = outputFormat(opts.format, FORMATS, "table");
    const failOn = oneOf("--fail-on", opts.failOn, FAIL_ON, "error");
    if (opts.exclusions && (format === "sarif" || format === "junit")) {
        throw new UserError("--exclusions prints with -o table, json or yaml");
    }
    const { targetVersion, veleroVersion: velero, waivers, fixes, mappings } = await withStack(opts, await stackConfigFrom(opts));
    let engine: EngineOptions = { ...engineOptions(profile), ...(fixes ? { fixes } : {}) };
    const bar = await progress(io.stderr, opts.progress !== false);
    let report: ScanReport;
    try {
        const read = await input(paths, opts, io);
        const live = opts.kubeconfig !== undefined || opts.context !== undefined;
        const limits = clusterLimits(opts, io);
        const clusters = await clusterApis({ backup: opts.backup, s3: s3OptionsFrom(opts), cluster: live ? { kubeconfig: opts.kubeconfig, context: opts.context, ...limits } : undefined }, { ...opts, targetVersion, ...limits });
        if (clusters.apis) engine = { ...engine, apis: clusters.apis };
        report = await read((events) => {
            const volumes = new VolumeTally();
            // Images matter only against the stack's image mapping.
            const images = mappings ? new ImageTally() : undefined;
            return scan(images ? images.tap(volumes.tap(events)) : volumes.tap(events), {
                engine,
                waivers,
                namespaces: opts.namespace,
                collectFixes: opts.modifiers !== undefined,
                listRefused: opts.exclusions === true,
                onObject: (n, o) => bar.tick(n, o),
                ...(clusters.apis ? { afterObjects: () => prerequisites({ volumes, ...clusters, ...(mappings ? { mappings } : {}), ...(images ? { images } : {}) }) } : {}),
            });
        });
    } finally {
        bar.stop();
    }
    try {
        if (report.objects === 0 && opts.allowEmpty !== true) {
            // Nothing scanned is no pass: say why on stderr, print no report that could read as one.
            for (const line of notes(report, opts)) io.stderr.write(`tke2eks: ${printable(line)}\n`);
            io.stderr.write(`tke2eks: nothing scanned: no Kubernetes objects in ${printable(sourceName(paths, opts))} (--allow-empty accepts an empty scan)\n`);
            return 2;
        }
        const lines = notes(report, opts);
        if (opts.modifiers !== undefined && velero !== undefined) lines.push(await writeModifiers(report, opts.modifiers, velero));
        for (const line of lines) io.stderr.write(`tke2eks: ${printable(line)}\n`);
        const code = exitCode(report, failOn);
        // A reader that went away (`| head`) ends the output; the status stays the scan's.
        await writeAll(io.stdout, await render(report, format, engine, failOn, { ...opts, waived: waivers !== undefined }, io));
        return code;
    } finally {
        report.findings.close();
    }
}
