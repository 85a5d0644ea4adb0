/**
 * `tke2eks verify --restore NAME`: what the backup held against what exists and is ready in
 * cluster B, per namespace (contract in the README's `tke2eks verify` section). Exit 0 when everything arrived and is
 * ready; 1 otherwise, or when B refused a request (401/403) or could not be read before the
 * deadline; 2 on bad input, including a server that cannot be B's API (wrong URL, DNS, TLS,
 * no core API: permanent failures classified in cluster/session.ts). Progress on stderr.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ClusterError } from "../cluster/clusterError";
import type { ClusterSession } from "../cluster/session";
import { readStatus, type VeleroStatus } from "../cluster/veleroStatus";
import type { VerifyReport } from "../cluster/verify";
import { expectedInB, restoreSpecOf, type BackedUpItem } from "../restore/expected";
import { VeleroRestoreModel } from "../restore/veleroModel";
import { reportJson, reportTable } from "../cluster/verifyReport";
import { readBackup } from "../preflight/backup";
import { formatOrigin } from "../preflight/types";
import { readVolumeInfo, readVolumeInfoFile, type VolumeInfoIndex } from "../restore/volumeInfo";
import { clusterSession, seconds, type ClusterCliOptions } from "./options";
import { UserError } from "../core/errors";
import { outputFormat } from "./output";
import { yamlOf } from "./yamlOutput";
import { isDnsLabel, isDnsSubdomain } from "../core/names";

export interface VerifyCliOptions extends ClusterCliOptions {
    restore: string;
    namespace: string[];
    /** A local copy of the backup's tarball; default: downloaded through B's Velero. */
    backup?: string;
    veleroNamespace: string;
    format: string;
    timeout: string;
    interval: string;
    /** Report problems but exit 0 (the complete stage's `tke2eks:verify.onFailure: warn`). */
    warnOnly?: boolean;
}

export interface VerifyIo {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
    env: NodeJS.ProcessEnv;
}

const DEFAULT_IO: VerifyIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };
const FORMATS = ["table", "json", "yaml"] as const;
/** Velero answers a DownloadRequest within seconds when its location is Available. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

function checked(flag: string, value: string, valid: (v: string) => boolean, what: string): string {
    if (!valid(value)) throw new UserError(`${flag} ${JSON.stringify(value)}: must be ${what}`);
    return value;
}

interface BackupContents {
    items: readonly BackedUpItem[];
    volumes?: VolumeInfoIndex;
}

/** Every item of a backup tarball (each once, as the preview reads it); an unreadable part is an error naming it. */
async function itemsOf(file: string, where: string): Promise<BackedUpItem[]> {
    // The list is made inside the read: a read started over (a repeated entry) starts a fresh one.
    return readBackup(file, undefined, async (events) => {
        const items: BackedUpItem[] = [];
        for await (const event of events) {
            if ("problem" in event) throw new UserError(`${where}: ${formatOrigin(event.problem.origin)}: ${event.problem.message}`);
            if ("item" in event && event.item.groupResource) items.push({ obj: event.item.obj, groupResource: event.item.groupResource });
        }
        return items;
    });
}

/** --backup: the tarball and the volume info beside it. */
async function backupFile(file: string): Promise<BackupContents> {
    const items = await itemsOf(file, `--backup ${file}`);
    return { items, volumes: (await readVolumeInfo(file)).volumes };
}

/** A Restore that ended PartiallyFailed or Failed: its phase and Velero's results, the first few on stderr. */
async function whyFailed(cluster: ClusterSession, status: VeleroStatus, intervalMs: number, io: VerifyIo): Promise<Partial<VerifyReport>> {
    const { explain, firstFew } = await import("../cluster/veleroResults.js");
    const extra = await explain(cluster, status, intervalMs);
    if (!extra.results && !extra.resultsError) return {};
    io.stderr.write(`tke2eks: Restore ${status.namespace}/${status.name} ended ${status.phase}; ${extra.results ? firstFew(extra.results) : `Velero's results not read: ${extra.resultsError ?? ""}`}\n`);
    return { restorePhase: status.phase, ...extra };
}

function progress(r: VerifyReport): string {
    const s = r.summary;
    return `[${r.waitedSeconds}s] ${s.ready}/${s.expected} ready, ${s.notReady} not ready, ${s.missing} missing\n`;
}

export async function runVerify(opts: VerifyCliOptions, io: VerifyIo = DEFAULT_IO): Promise<number> {
    const restore = checked("--restore", opts.restore, isDnsSubdomain, "a Restore's name (lowercase letters, digits, '-' and '.')");
    const veleroNamespace = checked("--velero-namespace", opts.veleroNamespace, isDnsLabel, "a namespace name");
    const namespaces = opts.namespace.map((n) => checked("--namespace", n, isDnsLabel, "a namespace name"));
    const format = outputFormat(opts.format, FORMATS, "table");
    const timeoutMs = seconds("--timeout", opts.timeout, 0) * 1000;
    const intervalMs = seconds("--interval", opts.interval, 0.01) * 1000;
    // Read before anything else, so a bad file is bad input however B is doing.
    const fromFile = opts.backup === undefined ? undefined : await backupFile(opts.backup);
    // The readiness loop starts no pass after --timeout; the pass under way then gets one more
    // --request-timeout to finish, so the report is of a whole pass. A request that stalls in it
    // still ends the command there (and inside the complete stage's Command, whose own limit
    // has 120 s of slack over --timeout: the default 30 s fits).
    const cluster = await clusterSession("verify", opts, io, timeoutMs / 1000, { ms: (requestMs) => requestMs, flag: "--timeout plus one --request-timeout for the last check" });
    const [{ verifyRestore }, { downloadVeleroFile }] = await Promise.all([import("../cluster/verify.js"), import("../cluster/verifyDownload.js")]);
    const backedUp = async (backup: string): Promise<BackupContents> => {
        if (fromFile) return fromFile;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-verify-"));
        try {
            const download = { timeoutMs: Math.min(timeoutMs, DOWNLOAD_TIMEOUT_MS), intervalMs };
            const tarball = path.join(dir, `${backup}.tar.gz`);
            await downloadVeleroFile(cluster, veleroNamespace, backup, "BackupContents", tarball, download);
            const info = path.join(dir, `${backup}-volumeinfo.json.gz`);
            const hasInfo = await downloadVeleroFile(cluster, veleroNamespace, backup, "BackupVolumeInfos", info, download);
            const from = `backup ${backup} (from the bucket)`;
            try {
                const items = await itemsOf(tarball, from);
                return { items, volumes: hasInfo ? await readVolumeInfoFile(info, `${from}'s volume info`) : undefined };
            } catch (err) {
                // What Velero wrote cannot be read: the check ran and failed (1), not bad input.
                throw err instanceof UserError ? new UserError(err.message, 1) : err;
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };

    let report: VerifyReport;
    let why: Partial<VerifyReport> = {};
    try {
        // The preview's model of Velero's choices, so verify expects what the preview predicted.
        const expect = async (spec: Record<string, unknown>, object: Record<string, unknown>) => {
            // Before the readiness wait, which may use all the time there is.
            why = await whyFailed(cluster, readStatus("Restore", veleroNamespace, restore, object), intervalMs, io);
            const model = restoreSpecOf(restore, spec);
            const contents = await backedUp(model.backupName);
            return expectedInB(contents.items, new VeleroRestoreModel({ spec: model, volumes: contents.volumes }));
        };
        report = { ...(await verifyRestore(cluster, { restore, veleroNamespace, namespaces, expect, timeoutMs, intervalMs, onPoll: (r) => io.stderr.write(progress(r)) })), ...why };
    } catch (err) {
        if (err instanceof ClusterError) {
            io.stderr.write(`tke2eks: ${err.message}\n`);
            // B answered but refused (the check could not be made), or time ran out: 1. A server that cannot be B's API: bad input.
            return err.failure === "deadline" || err.status === 401 || err.status === 403 ? 1 : 2;
        }
        if (err instanceof UserError && err.exitCode === 1) {
            io.stderr.write(`tke2eks: ${err.message}\n`);
            return 1;
        }
        throw err;
    } finally {
        cluster.close();
    }
    io.stdout.write(format === "json" ? reportJson(report) : format === "yaml" ? await yamlOf([reportJson(report)]) : reportTable(report));
    if (report.ok) return 0;
    if (opts.warnOnly) {
        io.stderr.write(`tke2eks: warning: ${report.summary.missing} missing, ${report.summary.notReady} not ready in cluster B (not failing: --warn-only)\n`);
        return 0;
    }
    return 1;
}
