/**
 * `tke2eks verify --restore NAME`: what the backup held against what exists and is ready in
 * cluster B, per namespace (contract in the README's `tke2eks verify` section). Exit 0 when everything arrived and is
 * ready; 1 otherwise, or when B refused a request (401/403) or could not be read before the
 * deadline; 2 on bad input, including a server that cannot be B's API (wrong URL, DNS, TLS,
 * no core API: permanent failures classified in cluster/session.ts). Progress on stderr.
 */
import * as fs from "node:fs";
import { ClusterError } from "../cluster/clusterError";
import type { VerifyReport } from "../cluster/verify";
import { reportJson, reportTable } from "../cluster/verifyReport";
import { parseResourceList, type BackedUpObject } from "../cluster/verifyResourceList";
import { clusterSession, seconds, type ClusterCliOptions } from "./options";
import { UserError } from "../core/errors";
import { maxEntryBytes, tooBig } from "../core/limits";

export interface VerifyCliOptions extends ClusterCliOptions {
    restore: string;
    namespace: string[];
    resourceList?: string;
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
const FORMATS = ["table", "json"];
/** Velero answers a DownloadRequest within seconds when its location is Available. */
const DOWNLOAD_TIMEOUT_MS = 60_000;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checked(flag: string, value: string, pattern: RegExp, what: string): string {
    if (!pattern.test(value) || value.length > 253) throw new UserError(`${flag} ${JSON.stringify(value)}: must be ${what}`);
    return value;
}

function resourceListFile(file: string): BackedUpObject[] {
    let data: Buffer;
    const max = maxEntryBytes();
    try {
        if (fs.statSync(file).size > max) throw tooBig(`--resource-list ${file}`, max);
        data = fs.readFileSync(file);
    } catch (err) {
        if (err instanceof UserError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        throw new UserError(`--resource-list ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : (err as Error).message}`);
    }
    return parseResourceList(data, `--resource-list ${file}`);
}

function progress(r: VerifyReport): string {
    const s = r.summary;
    return `[${r.waitedSeconds}s] ${s.ready}/${s.expected} ready, ${s.notReady} not ready, ${s.missing} missing\n`;
}

export async function runVerify(opts: VerifyCliOptions, io: VerifyIo = DEFAULT_IO): Promise<number> {
    const restore = checked("--restore", opts.restore, OBJECT_NAME, "a Restore's name (lowercase letters, digits, '-' and '.')");
    const veleroNamespace = checked("--velero-namespace", opts.veleroNamespace, DNS_LABEL, "a namespace name");
    const namespaces = opts.namespace.map((n) => checked("--namespace", n, DNS_LABEL, "a namespace name"));
    if (!FORMATS.includes(opts.format)) throw new UserError(`--format ${opts.format}: use ${FORMATS.join(" or ")}`);
    const timeoutMs = seconds("--timeout", opts.timeout, 0) * 1000;
    const intervalMs = seconds("--interval", opts.interval, 0.01) * 1000;
    // Read before anything else, so a bad file is bad input however B is doing.
    const fromFile = opts.resourceList === undefined ? undefined : resourceListFile(opts.resourceList);
    // The readiness loop starts no pass after --timeout; the pass under way then gets one more
    // --request-timeout to finish, so the report is of a whole pass. A request that stalls in it
    // still ends the command there (and inside the complete stage's Command, whose own limit
    // has 120 s of slack over --timeout: the default 30 s fits).
    const cluster = await clusterSession("verify", opts, io, timeoutMs / 1000, { ms: (requestMs) => requestMs, flag: "--timeout plus one --request-timeout for the last check" });
    const [{ verifyRestore }, { downloadResourceList }] = await Promise.all([import("../cluster/verify"), import("../cluster/verifyDownload")]);
    const backedUp = async (backup: string): Promise<BackedUpObject[]> => {
        if (fromFile) return fromFile;
        const data = await downloadResourceList(cluster, veleroNamespace, backup, { timeoutMs: Math.min(timeoutMs, DOWNLOAD_TIMEOUT_MS), intervalMs });
        try {
            return parseResourceList(data, `backup ${backup}'s resource list (from the bucket)`);
        } catch (err) {
            // What Velero wrote cannot be read: the check ran and failed (1), not bad input.
            if (err instanceof UserError) throw new UserError(err.message, 1);
            throw err;
        }
    };

    let report: VerifyReport;
    try {
        report = await verifyRestore(cluster, { restore, veleroNamespace, namespaces, backedUp, timeoutMs, intervalMs, onPoll: (r) => io.stderr.write(progress(r)) });
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
    io.stdout.write(opts.format === "json" ? reportJson(report) : reportTable(report));
    if (report.ok) return 0;
    if (opts.warnOnly) {
        io.stderr.write(`tke2eks: warning: ${report.summary.missing} missing, ${report.summary.notReady} not ready in cluster B (not failing: --warn-only)\n`);
        return 0;
    }
    return 1;
}
