/**
 * `tke2eks cutover scale-down|scale-back -n NS...`: the cut-over's quiet source and its
 * rollback on cluster A (cluster/quiesce.ts). Progress on stderr; the replica counts kept (what
 * a rollback gives back) on stdout, as one line of JSON (default) or a table. Exit 0 when the
 * Pods are gone (scale-down) or ready again (scale-back); 1 when --timeout passed first, a kept
 * count is not a number or a namespace does not exist; 2 on bad usage, a bad kubeconfig or a
 * cluster that cannot answer.
 */
import { ClusterError } from "../cluster/clusterError";
import type { QuiesceReport } from "../cluster/quiesce";
import { clusterSession, seconds, type ClusterCliOptions } from "./options";
import { UserError } from "../core/errors";
import { outputFormat } from "./output";
import { yamlOf } from "./yamlOutput";
import { isDnsLabel } from "../core/names";
import { printable } from "../core/printable";

export interface CutoverCliOptions extends ClusterCliOptions {
    namespace: string[];
    timeout: string;
    interval: string;
    format: string;
}

interface Io {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
    env: NodeJS.ProcessEnv;
}

const DEFAULT_IO: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
const ACTIONS = ["scale-down", "scale-back"];
const FORMATS = ["json", "yaml", "table"] as const;

function table(action: string, r: QuiesceReport): string {
    const lines = [`${action === "scale-down" ? "Scaled to zero" : "Given back"} (replicas before the cut-over), after ${r.waitedSeconds}s:`];
    for (const [namespace, workloads] of Object.entries(r.replicas)) {
        lines.push(`  ${namespace}`);
        for (const [w, n] of Object.entries(workloads)) lines.push(`    ${w}  ${n}`);
    }
    if (Object.keys(r.replicas).length === 0) lines.push("  nothing");
    for (const w of r.waitingFor) lines.push(`  still waiting: ${w}`);
    return lines.join("\n") + "\n";
}

export async function runCutover(action: string, opts: CutoverCliOptions, io: Io = DEFAULT_IO): Promise<number> {
    if (!ACTIONS.includes(action)) throw new UserError(`cutover ${action}: use ${ACTIONS.join(" or ")}`);
    if (opts.namespace.length === 0) throw new UserError(`cutover ${action}: name the migrated namespaces with --namespace (repeatable)`);
    const namespaces = opts.namespace.map((n) => {
        if (!isDnsLabel(n)) throw new UserError(`--namespace ${JSON.stringify(n)}: must be a namespace name (lowercase letters, digits and '-')`);
        return n;
    });
    const format = outputFormat(opts.format, FORMATS, "json");
    const timeoutMs = seconds("--timeout", opts.timeout, 1) * 1000;
    const intervalMs = seconds("--interval", opts.interval, 0.01) * 1000;
    // The wait starts no check after --timeout; the one under way gets one more request's time.
    const cluster = await clusterSession("cutover", opts, io, timeoutMs / 1000, { ms: (requestMs) => requestMs * 4, flag: "--timeout plus the last check" });
    const { scaleBack, scaleDown } = await import("../cluster/quiesce.js");
    let report: QuiesceReport;
    try {
        await cluster.checkCoreApi();
        const onPoll = (r: QuiesceReport) => io.stderr.write(printable(`[${r.waitedSeconds}s] ${r.waitingFor.length === 0 ? "done" : `waiting for ${r.waitingFor.join("; ")}`}`) + "\n");
        report = await (action === "scale-down" ? scaleDown : scaleBack)(cluster, { namespaces, timeoutMs, intervalMs, onPoll });
    } catch (err) {
        if (err instanceof ClusterError) {
            io.stderr.write(`tke2eks: ${printable(err.message)}\n`);
            return err.failure === "deadline" ? 1 : 2;
        }
        if (err instanceof UserError && err.exitCode === 1) {
            io.stderr.write(`tke2eks: ${printable(err.message)}\n`);
            return 1;
        }
        throw err;
    } finally {
        cluster.close();
    }
    io.stdout.write(format === "table" ? printable(table(action, report)) : format === "yaml" ? await yamlOf([JSON.stringify(report)]) : JSON.stringify(report) + "\n");
    if (report.waitingFor.length === 0) return 0;
    io.stderr.write(`tke2eks: cutover ${action} timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${printable(report.waitingFor.join("; "))}\n`);
    return 1;
}
