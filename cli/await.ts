/**
 * `tke2eks await backup|restore NAME` and `tke2eks inventory`: what the migration's Pulumi
 * Commands run. Progress goes to stderr, one line of JSON to stdout (the Command's stdout,
 * hence the stack's verification outputs). Exit 0 on success, 1 when the step failed or
 * timed out (with Velero's counts and how to inspect), 2 on bad usage or a bad kubeconfig.
 */
import { awaitVelero, MigrationStepError } from "../cluster/awaitVelero";
import { CONTEXT_ENV, KUBECONFIG_ENV } from "../cluster/commandEnv";
import { takeInventory } from "../cluster/inventory";
import { KubeconfigError, loadClientConfig, type ClientConfig } from "../cluster/kubeconfig";
import { AccessDeniedError, veleroReader } from "../cluster/veleroReader";
import type { VeleroOperation, VeleroStatus } from "../cluster/veleroStatus";
import { CliError } from "./errors";

export interface ClusterCliOptions {
    kubeconfig?: string;
    context?: string;
}

export interface AwaitCliOptions extends ClusterCliOptions {
    namespace: string;
    timeout: string;
    interval: string;
    allowPartiallyFailed?: boolean;
}

export interface InventoryCliOptions extends ClusterCliOptions {
    namespace: string[];
    restoreName: string;
}

export interface Io {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
    env: NodeJS.ProcessEnv;
}

const DEFAULT_IO: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

const KINDS: Record<string, VeleroOperation> = { backup: "Backup", restore: "Restore" };
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function seconds(flag: string, value: string, min: number): number {
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min) throw new CliError(`${flag} ${value}: must be a number of seconds, at least ${min}`);
    return Number(value);
}

function objectName(what: string, value: string): string {
    if (!OBJECT_NAME.test(value) || value.length > 253) throw new CliError(`${what} "${value}": must be a Kubernetes object name (lowercase letters, digits, '-' and '.')`);
    return value;
}

/** --kubeconfig, else the content the Command passes in TKE2EKS_KUBECONFIG, else the default places. */
function clientConfig(opts: ClusterCliOptions, env: NodeJS.ProcessEnv): ClientConfig {
    const content = opts.kubeconfig === undefined ? env[KUBECONFIG_ENV] : undefined;
    try {
        return loadClientConfig({
            ...(opts.kubeconfig !== undefined ? { file: opts.kubeconfig } : {}),
            ...(content !== undefined ? { content, contentName: `from $${KUBECONFIG_ENV}` } : {}),
            ...((opts.context ?? env[CONTEXT_ENV]) ? { context: opts.context ?? env[CONTEXT_ENV] } : {}),
        });
    } catch (err) {
        if (err instanceof KubeconfigError) throw new CliError(err.message);
        throw err;
    }
}

function describe(s: VeleroStatus | undefined, kind: VeleroOperation, where: string): string {
    if (!s) return `${kind} ${where}: not found yet`;
    return `${kind} ${where}: ${s.phase || "no phase yet"}, ${s.doneItems}/${s.totalItems} items, ${s.errors} errors, ${s.warnings} warnings`;
}

export async function runAwait(kindArg: string, nameArg: string, opts: AwaitCliOptions, io: Io = DEFAULT_IO): Promise<number> {
    const kind = KINDS[kindArg];
    if (!kind) throw new CliError(`await ${kindArg}: use backup or restore`);
    const name = objectName(`${kindArg} name`, nameArg);
    const namespace = objectName("--namespace", opts.namespace);
    const timeoutMs = seconds("--timeout", opts.timeout, 1) * 1000;
    const intervalMs = seconds("--interval", opts.interval, 0.01) * 1000;
    const { kc } = clientConfig(opts, io.env);

    const read = veleroReader(kc, kind, namespace, name);
    const started = Date.now();
    let lastError: string | undefined;
    const where = `${namespace}/${name}`;
    try {
        const status = await awaitVelero(
            async () => {
                try {
                    const obj = await read();
                    lastError = undefined;
                    return obj;
                } catch (err) {
                    if (err instanceof AccessDeniedError) throw err;
                    // The API server may blip during a long backup: note it and poll again.
                    lastError = err instanceof Error ? err.message.split("\n")[0] : String(err);
                    io.stderr.write(`tke2eks await: ${kind} ${where}: ${lastError} (will retry)\n`);
                    return undefined;
                }
            },
            kind,
            namespace,
            name,
            {
                timeoutMs,
                intervalMs,
                allowPartiallyFailed: opts.allowPartiallyFailed === true,
                onPoll: (s) => io.stderr.write(`[${Math.round((Date.now() - started) / 1000)}s] ${describe(s, kind, where)}\n`),
            },
        );
        io.stdout.write(JSON.stringify(status) + "\n");
        return 0;
    } catch (err) {
        if (err instanceof MigrationStepError) {
            io.stderr.write(`tke2eks: ${err.message}${!err.status && lastError ? `; last error: ${lastError}` : ""}\n`);
            if (err.status) io.stdout.write(JSON.stringify(err.status) + "\n");
            return 1;
        }
        if (err instanceof AccessDeniedError) {
            io.stderr.write(`tke2eks: ${err.message}\n`);
            return 1;
        }
        throw err;
    }
}

export async function runInventory(opts: InventoryCliOptions, io: Io = DEFAULT_IO): Promise<number> {
    const restoreName = objectName("--restore-name", opts.restoreName);
    const namespaces = opts.namespace.map((n) => objectName("--namespace", n));
    const { kc, server, context } = clientConfig(opts, io.env);
    try {
        const inventory = await takeInventory(kc, restoreName, namespaces);
        io.stdout.write(JSON.stringify(inventory) + "\n");
        return 0;
    } catch (err) {
        const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
        io.stderr.write(`tke2eks: cannot count the restored objects on cluster ${server} (context ${context}): ${message}\n`);
        return 1;
    }
}
