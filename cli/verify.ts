/**
 * `tke2eks verify --restore NAME`: what the backup held against what exists and is ready in
 * cluster B, per namespace (contract in DESIGN.md). Exit 0 when everything arrived and is
 * ready, 1 otherwise (or when B could not be read), 2 on bad input. Progress on stderr.
 */
import * as fs from "node:fs";
import { CONTEXT_ENV, KUBECONFIG_ENV } from "../cluster/commandEnv";
import { KubeconfigError, loadClientConfig, type ClientConfig } from "../cluster/kubeconfig";
import { verifyRestore, VerifyClusterError, VerifyInputError, type VerifyReport } from "../cluster/verify";
import { downloadResourceList } from "../cluster/verifyDownload";
import { reportJson, reportTable } from "../cluster/verifyReport";
import { parseResourceList, ResourceListError, type BackedUpObject } from "../cluster/verifyResourceList";
import { CliError } from "./errors";

export interface VerifyCliOptions {
    restore: string;
    kubeconfig?: string;
    context?: string;
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

function seconds(flag: string, value: string, min: number): number {
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min) throw new CliError(`${flag} ${value}: must be a number of seconds, at least ${min}`);
    return Number(value);
}

function checked(flag: string, value: string, pattern: RegExp, what: string): string {
    if (!pattern.test(value) || value.length > 253) throw new CliError(`${flag} ${JSON.stringify(value)}: must be ${what}`);
    return value;
}

/** --kubeconfig, else the content the stage's Command passes in TKE2EKS_KUBECONFIG, else the default places. */
function clientConfig(opts: VerifyCliOptions, env: NodeJS.ProcessEnv): ClientConfig {
    const content = opts.kubeconfig === undefined ? env[KUBECONFIG_ENV] : undefined;
    const context = opts.context ?? env[CONTEXT_ENV];
    try {
        return loadClientConfig({
            ...(opts.kubeconfig !== undefined ? { file: opts.kubeconfig } : {}),
            ...(content !== undefined ? { content, contentName: `from $${KUBECONFIG_ENV}` } : {}),
            ...(context ? { context } : {}),
        });
    } catch (err) {
        if (err instanceof KubeconfigError) throw new CliError(err.message);
        throw err;
    }
}

function resourceListFile(file: string): BackedUpObject[] {
    let data: Buffer;
    try {
        data = fs.readFileSync(file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new CliError(`--resource-list ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : (err as Error).message}`);
    }
    try {
        return parseResourceList(data, `--resource-list ${file}`);
    } catch (err) {
        if (err instanceof ResourceListError) throw new CliError(err.message);
        throw err;
    }
}

function progress(r: VerifyReport): string {
    const s = r.summary;
    return `[${r.waitedSeconds}s] ${s.ready}/${s.expected} ready, ${s.notReady} not ready, ${s.missing} missing\n`;
}

export async function runVerify(opts: VerifyCliOptions, io: VerifyIo = DEFAULT_IO): Promise<number> {
    const restore = checked("--restore", opts.restore, OBJECT_NAME, "a Restore's name (lowercase letters, digits, '-' and '.')");
    const veleroNamespace = checked("--velero-namespace", opts.veleroNamespace, DNS_LABEL, "a namespace name");
    const namespaces = opts.namespace.map((n) => checked("--namespace", n, DNS_LABEL, "a namespace name"));
    if (!FORMATS.includes(opts.format)) throw new CliError(`--format ${opts.format}: use ${FORMATS.join(" or ")}`);
    const timeoutMs = seconds("--timeout", opts.timeout, 0) * 1000;
    const intervalMs = seconds("--interval", opts.interval, 0.01) * 1000;
    // Read before anything else, so a bad file is bad input however B is doing.
    const fromFile = opts.resourceList === undefined ? undefined : resourceListFile(opts.resourceList);
    const { kc } = clientConfig(opts, io.env);
    const backedUp = async (backup: string): Promise<BackedUpObject[]> => {
        if (fromFile) return fromFile;
        const data = await downloadResourceList(kc, veleroNamespace, backup, { timeoutMs: Math.min(timeoutMs, DOWNLOAD_TIMEOUT_MS), intervalMs });
        try {
            return parseResourceList(data, `backup ${backup}'s resource list (from the bucket)`);
        } catch (err) {
            if (err instanceof ResourceListError) throw new VerifyClusterError(err.message);
            throw err;
        }
    };

    let report: VerifyReport;
    try {
        report = await verifyRestore(kc, { restore, veleroNamespace, namespaces, backedUp, timeoutMs, intervalMs, onPoll: (r) => io.stderr.write(progress(r)) });
    } catch (err) {
        if (err instanceof VerifyInputError) throw new CliError(err.message);
        if (err instanceof VerifyClusterError) {
            io.stderr.write(`tke2eks: ${err.message}\n`);
            return 1;
        }
        throw err;
    }
    io.stdout.write(opts.format === "json" ? reportJson(report) : reportTable(report));
    if (report.ok) return 0;
    if (opts.warnOnly) {
        io.stderr.write(`tke2eks: warning: ${report.summary.missing} missing, ${report.summary.notReady} not ready in cluster B (not failing: --warn-only)\n`);
        return 0;
    }
    return 1;
}
