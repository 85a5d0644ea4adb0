/**
 * `tke2eks await backup|restore NAME` and `tke2eks inventory`: what the migration's Pulumi
 * Commands run. Progress goes to stderr (a terminal, and the Command's log in Pulumi), one
 * line of JSON to stdout (the Command's stdout, hence the stack's verification outputs).
 * A Backup or Restore that ended PartiallyFailed or Failed comes with Velero's results (every
 * error and warning, by namespace and object: cluster/veleroResults.ts) in the JSON's `results`,
 * the table, and the failure message's first few.
 * Exit codes: await 0 finished, 1 the step failed, will never finish (being deleted, deleted,
 * its location missing or Unavailable) or timed out; inventory 0 counted, 1 timed out; both
 * 2 on bad usage, a bad kubeconfig, a cluster that cannot answer (permanent failures,
 * classified in cluster/session.ts) or nothing to count.
 */
import { awaitVelero, MigrationStepError } from "../cluster/awaitVelero";
import { DEFAULT_INVENTORY_TIMEOUT } from "../cluster/limits";
import { ClusterError } from "../cluster/clusterError";
import { progressOf, type VeleroOperation, type VeleroStatus } from "../cluster/veleroStatus";
import type { Explained } from "../cluster/veleroResults";
import { clusterSession, seconds, type ClusterCliOptions } from "./options";
import { UserError } from "../core/errors";
import { outputFormat } from "./output";
import { yamlOf } from "./yamlOutput";
import { isDnsSubdomain } from "../core/names";
import { printable } from "../core/printable";

export interface AwaitCliOptions extends ClusterCliOptions {
    namespace: string;
    timeout: string;
    interval: string;
    allowPartiallyFailed?: boolean;
    /** The sync gate: the BackupStorageLocation the Backup syncs from; fail at once when Unavailable. */
    location?: string;
    /** json (default: one line, the Command's stdout) or table. */
    format?: string;
}

export interface InventoryCliOptions extends ClusterCliOptions {
    namespace: string[];
    restoreName: string;
    timeout?: string;
    allowEmpty?: boolean;
    format?: string;
}

export interface Io {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
    env: NodeJS.ProcessEnv;
}

const DEFAULT_IO: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

const KINDS: Record<string, VeleroOperation> = { backup: "Backup", restore: "Restore" };

function objectName(what: string, value: string): string {
    if (!isDnsSubdomain(value)) throw new UserError(`${what} "${value}": must be a Kubernetes object name (lowercase letters, digits, '-' and '.')`);
    return value;
}

function describe(s: VeleroStatus | undefined, kind: VeleroOperation, where: string): string {
    if (!s) return `${kind} ${where}: not found yet`;
    return `${kind} ${where}: ${s.phase || "no phase yet"}, ${progressOf(s)}, ${s.errors} errors, ${s.warnings} warnings`;
}

/** A line when anything changed, else one a minute that says the wait goes on: a 4-hour wait logs tens of lines, not thousands. */
const UNCHANGED_LINE_SECONDS = 60;

export function progressLines(write: (line: string) => void, elapsed: () => number): (line: string) => void {
    let last: { line: string; at: number } | undefined;
    return (line) => {
        const at = elapsed();
        if (last?.line === line && at - last.at < UNCHANGED_LINE_SECONDS) return;
        last = { line, at };
        write(`[${at}s] ${line}\n`);
    };
}

const FORMATS = ["json", "yaml", "table"] as const;
/** The status (and results) on stdout, as JSON (or the same in YAML) or a table. */
async function report(io: Io, format: string, status: VeleroStatus, extra: Explained & { waitedSeconds?: number }): Promise<void> {
    if (format !== "table") {
        const json = JSON.stringify({ ...status, ...extra }) + "\n";
        io.stdout.write(format === "yaml" ? await yamlOf([json]) : json);
        return;
    }
    const { resultsTable } = await import("../cluster/veleroResults.js");
    const head = `${status.kind} ${status.namespace}/${status.name}: ${status.phase || "no phase"}, ${progressOf(status)}, ${status.errors} errors, ${status.warnings} warnings\n`;
    const body = extra.results ? resultsTable(extra.results) : extra.resultsError ? `results not read: ${extra.resultsError}\n` : "";
    io.stdout.write(printable(head + body));
}

/** The failure message, naming the first few of Velero's errors. */
async function withFirstFew(message: string, extra: Explained): Promise<string> {
    if (!extra.results) return extra.resultsError ? `${message} (Velero's results not read: ${extra.resultsError})` : message;
    const { firstFew } = await import("../cluster/veleroResults.js");
    return `${message}; ${firstFew(extra.results)}`;
}

/** A permanent failure: one line and exit 2 (the deadline is the caller's to map). */
function stopped(err: unknown, io: Io): number {
    if (err instanceof ClusterError && err.failure !== "deadline") {
        io.stderr.write(`tke2eks: ${printable(err.message)}\n`);
        return 2;
    }
    throw err;
}

export async function runAwait(kindArg: string, nameArg: string, opts: AwaitCliOptions, io: Io = DEFAULT_IO): Promise<number> {
    const kind = KINDS[kindArg];
    if (!kind) throw new UserError(`await ${kindArg}: use backup or restore`);
    const name = objectName(`${kindArg} name`, nameArg);
    const namespace = objectName("--namespace", opts.namespace);
    const timeoutMs = seconds("--timeout", opts.timeout, 1) * 1000;
    const intervalMs = seconds("--interval", opts.interval, 0.01) * 1000;
    const location = opts.location === undefined ? undefined : objectName("--location", opts.location);
    const format = outputFormat(opts.format, FORMATS, "json");
    const cluster = await clusterSession("await", opts, io, timeoutMs / 1000);
    const { locationReader, veleroReader } = await import("../cluster/veleroReader.js");
    const where = `${namespace}/${name}`;
    const progress = progressLines((line) => io.stderr.write(printable(line)), () => cluster.elapsedSeconds());
    try {
        await cluster.checkCoreApi();
        const status = await awaitVelero(veleroReader(cluster, kind, namespace, name), kind, namespace, name, {
            timeoutMs,
            deadline: Date.now() + cluster.remainingMs(),
            intervalMs,
            allowPartiallyFailed: opts.allowPartiallyFailed === true,
            sleep: (ms) => cluster.sleep(ms),
            onPoll: (s) => progress(describe(s, kind, where)),
            ...(location ? { location: { name: location, read: locationReader(cluster, namespace, location) } } : {}),
        });
        // How long the wait took: the sync gate's measured wait is a stack output.
        const waitedSeconds = cluster.elapsedSeconds();
        const { explain } = await import("../cluster/veleroResults.js");
        const extra = await explain(cluster, status, intervalMs);
        if (extra.results || extra.resultsError) io.stderr.write(`tke2eks: warning: ${printable(await withFirstFew(`${kind} ${where} ${status.phase} (allowed)`, extra))}\n`);
        await report(io, format, status, { ...extra, waitedSeconds });
        return 0;
    } catch (err) {
        if (err instanceof MigrationStepError) {
            const { explain } = await import("../cluster/veleroResults.js");
            const extra = await explain(cluster, err.status, intervalMs);
            io.stderr.write(`tke2eks: ${printable(await withFirstFew(err.message, extra))}\n`);
            if (err.status) await report(io, format, err.status, extra);
            return 1;
        }
        if (err instanceof ClusterError && err.failure === "deadline") {
            io.stderr.write(`tke2eks: timed out waiting for ${kind} ${where}: ${printable(err.message)}\n`);
            return 1;
        }
        return stopped(err, io);
    } finally {
        cluster.close();
    }
}

/** The counts are the stack's verification output, so JSON (or the same in YAML) and no table. */
const INVENTORY_FORMATS = ["json", "yaml"] as const;

export async function runInventory(opts: InventoryCliOptions, io: Io = DEFAULT_IO): Promise<number> {
    const restoreName = objectName("--restore-name", opts.restoreName);
    const namespaces = opts.namespace.map((n) => objectName("--namespace", n));
    const timeout = seconds("--timeout", opts.timeout ?? String(DEFAULT_INVENTORY_TIMEOUT), 1);
    const format = outputFormat(opts.format, INVENTORY_FORMATS, "json");
    const cluster = await clusterSession("inventory", opts, io, timeout);
    const { takeInventory } = await import("../cluster/inventory.js");
    try {
        await cluster.checkCoreApi();
        const inventory = await takeInventory(cluster, restoreName, namespaces);
        if (Object.keys(inventory.namespaces).length === 0 && opts.allowEmpty !== true) {
            io.stderr.write(
                `tke2eks: nothing to count: no namespace on ${cluster.where} carries velero.io/restore-name=${restoreName} ` +
                    `(the Restore created none, or has not run); name them with --namespace, or pass --allow-empty\n`,
            );
            return 2;
        }
        const json = JSON.stringify(inventory) + "\n";
        io.stdout.write(format === "yaml" ? await yamlOf([json]) : json);
        return 0;
    } catch (err) {
        if (err instanceof ClusterError && err.failure === "deadline") {
            io.stderr.write(`tke2eks: cannot count the restored objects: ${printable(err.message)}\n`);
            return 1;
        }
        return stopped(err, io);
    } finally {
        cluster.close();
    }
}
