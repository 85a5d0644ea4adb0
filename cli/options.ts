/** Command-line values shared by several commands, checked with one clear line. */
import { CONTEXT_ENV, KUBECONFIG_ENV } from "../cluster/commandEnv";
import type { ClientConfigOptions } from "../cluster/kubeconfig";
import { readGivenKubeconfig } from "../cluster/kubeconfigFile";
import { DEFAULT_REQUEST_TIMEOUT } from "../cluster/limits";
import type { ClusterSession } from "../cluster/session";
import { UserError } from "../core/errors";
import { printable } from "../core/printable";

/** Go's duration units (time.ParseDuration, src/time/format.go), as kubectl's and velero's flags take them. */
const GO_UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, "μs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const GO_PART = "(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)";
const GO_DURATION = new RegExp(`^(?:${GO_PART})+$`);

/** A Go duration (`30s`, `10m`, `1h30m`, `1.5h`), in seconds; undefined when it is none. */
function goDuration(value: string): number | undefined {
    if (!GO_DURATION.test(value)) return undefined;
    let total = 0;
    for (const m of value.matchAll(new RegExp(GO_PART, "g"))) total += Number(m[1]) * GO_UNIT_SECONDS[m[2]];
    return total;
}

/** A time given on the command line: a Go duration, or plain seconds as before; at least `min` seconds. */
export function seconds(flag: string, value: string, min: number): number {
    const s = /^\d+(\.\d+)?$/.test(value) ? Number(value) : goDuration(value);
    if (s === undefined || s < min) throw new UserError(`${flag} ${value}: must be a duration like 30s, 10m or 1h30m (a plain number is seconds), at least ${min}s`);
    return s;
}

/** The flags every command that talks to a cluster takes. */
export interface ClusterCliOptions {
    kubeconfig?: string;
    context?: string;
    /** Seconds one API request may take. */
    requestTimeout?: string;
}

/** What a cluster command writes to and reads its kubeconfig from. */
export interface ClusterIo {
    stderr: NodeJS.WritableStream;
    env: NodeJS.ProcessEnv;
}

/** --kubeconfig, else the content the stage's Command passes in TKE2EKS_KUBECONFIG, else the default places. */
function clientSource(opts: ClusterCliOptions, env: NodeJS.ProcessEnv): ClientConfigOptions {
    const content = opts.kubeconfig === undefined ? env[KUBECONFIG_ENV] : undefined;
    const context = opts.context ?? env[CONTEXT_ENV];
    return {
        ...(opts.kubeconfig !== undefined ? { file: opts.kubeconfig } : {}),
        ...(content !== undefined ? { content, contentName: `from $${KUBECONFIG_ENV}` } : {}),
        ...(context ? { context } : {}),
    };
}

/**
 * A session with the command's limits: `--request-timeout` per request, `timeoutSeconds`
 * overall, plus `graceMs(requestMs)` when the command's own wait must be able to finish a
 * last round of requests after its `--timeout` (then `graceFlag` names it in messages).
 * Retries are reported on stderr as `tke2eks <command>: ...`.
 */
export async function clusterSession(
    command: string,
    opts: ClusterCliOptions,
    io: ClusterIo,
    timeoutSeconds: number,
    grace?: { ms: (requestMs: number) => number; flag: string },
): Promise<ClusterSession> {
    const requestMs = seconds("--request-timeout", opts.requestTimeout ?? String(DEFAULT_REQUEST_TIMEOUT), 0.1) * 1000;
    const source = clientSource(opts, io.env);
    // A kubeconfig given but missing or wrong is said before the Kubernetes client loads (most of
    // the command's start-up); loadClientConfig checks it again, with the same words, for the client.
    const read = readGivenKubeconfig(source);
    if (read !== undefined && "problem" in read) throw new UserError(read.problem.message);
    const [{ loadClientConfig }, { ClusterSession }] = await Promise.all([import("../cluster/kubeconfig.js"), import("../cluster/session.js")]);
    const client = loadClientConfig(source, io.env);
    const limits = grace ? { requestMs, deadlineMs: timeoutSeconds * 1000 + grace.ms(requestMs), deadlineFlag: grace.flag } : { requestMs, deadlineMs: timeoutSeconds * 1000 };
    return new ClusterSession(client, limits, (message) => io.stderr.write(`tke2eks ${command}: ${printable(message)}\n`));
}
