/**
 * `tke2eks preflight`: picks the input (manifests, a Velero backup, or a live cluster),
 * scans it, prints the report in the chosen format on stdout, writes the restore modifiers
 * and prints the exclusions when asked. Notes and unreadable input go to stderr; exit codes
 * are DESIGN's (0 clean, 1 findings at or above --fail-on, 2 bad usage or input).
 */
import { once } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { modifierConfigMap, renderConfigMap, resourceModifiers, validateModifierConfigMap } from "../modifiers";
import { readBackup } from "../preflight/backup";
import { readCluster } from "../preflight/cluster";
import { clusterApis } from "../preflight/clusters";
import { exclusionsYaml } from "../preflight/exclusions";
import { renderJson } from "../preflight/format/json";
import { renderJunit } from "../preflight/format/junit";
import { renderSarif } from "../preflight/format/sarif";
import { renderTable } from "../preflight/format/table";
import { readManifests } from "../preflight/manifests";
import { prerequisites, VolumeTally } from "../preflight/prerequisites";
import { progress } from "../preflight/progress";
import { scan, type ScanReport } from "../preflight/scan";
import { formatOrigin, InputError, type ScanEvent } from "../preflight/types";
import { exitCode, FAIL_ON, type FailOn } from "../preflight/verdict";
import { loadWaivers, WaiverBook } from "../preflight/waivers";
import { engineOptions, type EngineOptions } from "../rules/engine";
import { describe } from "../rules/objects";
import { isProfileName, PROFILE_NAMES } from "../rules/profiles";
import { CliError } from "./errors";

export const FORMATS = ["table", "json", "sarif", "junit"] as const;
type Format = (typeof FORMATS)[number];

export interface PreflightOptions {
    kubeconfig?: string;
    context?: string;
    namespace?: string[];
    backup?: string;
    profile?: string;
    format?: string;
    failOn?: string;
    modifiers?: string;
    exclusions?: boolean;
    waivers?: string;
    /** False with --no-progress. */
    progress?: boolean;
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

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
    const v = value ?? fallback;
    if (!(allowed as readonly string[]).includes(v)) throw new CliError(`${flag} "${v}": use ${allowed.join(", ")}`);
    return v as T;
}

function input(paths: string[], opts: PreflightOptions, io: Io): AsyncIterable<ScanEvent> {
    const cluster = opts.kubeconfig !== undefined || opts.context !== undefined;
    const sources = [paths.length > 0 && "paths", opts.backup !== undefined && "--backup", cluster && "--kubeconfig/--context"].filter(Boolean);
    if (sources.length === 0) {
        throw new CliError("nothing to scan: give manifest files or folders (- for stdin), --backup FILE.tar.gz, or --kubeconfig/--context for a live cluster");
    }
    if (sources.length > 1) throw new CliError(`scan one source at a time, not ${sources.join(" and ")}`);
    if (opts.backup !== undefined) return readBackup(opts.backup);
    if (cluster) return readCluster({ kubeconfig: opts.kubeconfig, context: opts.context, namespaces: opts.namespace });
    // kubectl applies namespaced objects without a namespace to the one named, else to `default`.
    return readManifests(paths, io.stdin, opts.namespace?.length === 1 ? { namespace: opts.namespace[0] } : {});
}

/** The project's version, for SARIF's tool.driver (works from the sources and from dist/). */
function version(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version ?? "0.0.0";
    }
    return "0.0.0";
}

function* render(report: ScanReport, format: Format, engine: EngineOptions, failOn: FailOn, opts: PreflightOptions, io: Io): Generator<string> {
    switch (format) {
        case "json":
            return yield* renderJson(report, { waivers: opts.waivers !== undefined, exclusions: opts.exclusions === true });
        case "sarif":
            return yield* renderSarif(report, engine, version());
        case "junit":
            return yield* renderJunit(report, engine, failOn);
        case "table":
            yield* renderTable(report, io.stdout.isTTY === true && !("NO_COLOR" in process.env));
            if (opts.exclusions) yield `\n${exclusionsYaml(report.exclusions)}`;
    }
}

/** Writes the report piece by piece, waiting when a slow reader fills the pipe. */
async function writeAll(out: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
    let batch = "";
    const send = async () => {
        if (!out.write(batch)) await once(out, "drain");
        batch = "";
    };
    for (const chunk of chunks) {
        batch += chunk;
        if (batch.length >= 1 << 16) await send();
    }
    if (batch) await send();
}

function notes(report: ScanReport, opts: PreflightOptions): string[] {
    const out = report.problems.map((p) => `${formatOrigin(p.origin)}: ${p.message}`);
    const { count, first } = report.skipped;
    if (count > 0 && first) out.push(`skipped ${count} document${count === 1 ? "" : "s"} without apiVersion and kind (the first at ${formatOrigin(first)})`);
    if (report.objects === 0) out.push("no Kubernetes objects were scanned");
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

function writeModifiers(report: ScanReport, file: string): string {
    if (report.fixes.length === 0) return `no automatic fixes: ${file} not written`;
    const cm = modifierConfigMap(resourceModifiers(report.fixes));
    const text = renderConfigMap(cm);
    const check = validateModifierConfigMap(cm);
    if (!check.ok) throw new Error(`generated resource modifiers are invalid: ${check.errors.join("; ")}`);
    try {
        fs.writeFileSync(file, text);
    } catch (err) {
        throw new CliError(`--modifiers ${file}: ${(err as Error).message}`);
    }
    const meta = cm.metadata as { namespace: string; name: string };
    const rules = check.value.modifiers.resourceModifierRules.length;
    return `wrote ${rules} resource modifier rule${rules === 1 ? "" : "s"} to ${file} (ConfigMap ${meta.namespace}/${meta.name}; reference it from the Restore's spec.resourceModifier)`;
}

export async function runPreflight(paths: string[], opts: PreflightOptions, io: Io = DEFAULT_IO): Promise<number> {
    const profile = opts.profile ?? "eks";
    if (!isProfileName(profile)) throw new CliError(`--profile "${profile}": use ${PROFILE_NAMES.join(", ")}`);
    const format = oneOf("--format", opts.format, FORMATS, "table");
    const failOn = oneOf("--fail-on", opts.failOn, FAIL_ON, "error");
    if (opts.exclusions && (format === "sarif" || format === "junit")) {
        throw new CliError("--exclusions prints with --format table or json");
    }
    let engine: EngineOptions = engineOptions(profile);
    const bar = progress(io.stderr, opts.progress !== false);
    const volumes = new VolumeTally();
    let report: ScanReport;
    try {
        const waivers = opts.waivers !== undefined ? new WaiverBook(loadWaivers(opts.waivers)) : undefined;
        const events = input(paths, opts, io);
        const live = opts.kubeconfig !== undefined || opts.context !== undefined;
        const clusters = await clusterApis({ backup: opts.backup, cluster: live ? { kubeconfig: opts.kubeconfig, context: opts.context } : undefined }, opts);
        if (clusters.apis) engine = { ...engine, apis: clusters.apis };
        report = await scan(volumes.tap(events), {
            engine,
            waivers,
            namespaces: opts.namespace,
            collectFixes: opts.modifiers !== undefined,
            listRefused: opts.exclusions === true,
            onObject: (n, o) => bar.tick(n, o),
        });
        if (clusters.apis) for (const f of prerequisites({ volumes, ...clusters })) report.findings.add(f);
    } catch (err) {
        if (err instanceof InputError) throw new CliError(err.message);
        throw err;
    } finally {
        bar.stop();
    }
    try {
        const lines = notes(report, opts);
        if (opts.modifiers !== undefined) lines.push(writeModifiers(report, opts.modifiers));
        for (const line of lines) io.stderr.write(`tke2eks: ${line}\n`);
        await writeAll(io.stdout, render(report, format, engine, failOn, opts, io));
        return exitCode(report, failOn);
    } finally {
        report.findings.close();
    }
}
