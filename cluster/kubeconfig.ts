/**
 * A Kubernetes client configuration from a kubeconfig file, a kubeconfig's content (as the
 * migration's commands receive it in an environment variable, so it never lands on disk or
 * in a command line) or the default places, with the context checked: one clear line when
 * something is wrong, never the client's stack trace.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";

export interface ClientConfigOptions {
    /** A kubeconfig file. */
    file?: string;
    /** A kubeconfig's content; used when no file is given. */
    content?: string;
    /** What to call inline content in messages (e.g. the environment variable's name). */
    contentName?: string;
    /** Default: the kubeconfig's current-context. */
    context?: string;
}

export interface ClientConfig {
    kc: KubeConfig;
    /** Where the kubeconfig came from, for messages. */
    where: string;
    context: string;
    server: string;
}

/** A kubeconfig that cannot be used; the message names it and says why. */
export class KubeconfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "KubeconfigError";
    }
}

function firstLine(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/**
 * Where the client library would look with no file and no content: without any, it falls back
 * to http://localhost:8080, a server nobody runs, and every request would be retried in vain.
 */
function defaultKubeconfigExists(env: NodeJS.ProcessEnv): boolean {
    const files = (env.KUBECONFIG ?? "").split(path.delimiter).filter((f) => f !== "");
    if (files.length > 0) return files.some((f) => fs.existsSync(f));
    // In a Pod the client uses the service account instead.
    return fs.existsSync(path.join(env.HOME || os.homedir(), ".kube", "config")) || env.KUBERNETES_SERVICE_HOST !== undefined;
}

export function loadClientConfig(opts: ClientConfigOptions, env: NodeJS.ProcessEnv = process.env): ClientConfig {
    const kc = new KubeConfig();
    const where = opts.file ?? (opts.content !== undefined ? (opts.contentName ?? "the given kubeconfig") : (env.KUBECONFIG || "~/.kube/config"));
    try {
        const text = opts.file !== undefined ? fs.readFileSync(opts.file, "utf8") : opts.content;
        // The client library reads an empty document as null and fails on its fields.
        if (text !== undefined && text.trim() === "") throw new Error("is empty");
        // From the file itself, so relative certificate paths resolve against its folder.
        if (opts.file !== undefined) kc.loadFromFile(opts.file);
        else if (text !== undefined) kc.loadFromString(text);
        else {
            if (!defaultKubeconfigExists(env)) {
                throw new KubeconfigError("no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config");
            }
            kc.loadFromDefault();
        }
    } catch (err) {
        if (err instanceof KubeconfigError) throw err;
        const e = err as NodeJS.ErrnoException;
        const why = e.code === "ENOENT" ? "no such file" : e.code === "EACCES" ? "permission denied" : e.code === "EISDIR" ? "is a folder, not a file" : firstLine(err);
        throw new KubeconfigError(`kubeconfig ${where}: ${why}`);
    }
    if (opts.context !== undefined) {
        if (!kc.getContextObject(opts.context)) {
            const known = kc.getContexts().map((c) => c.name);
            throw new KubeconfigError(`kubeconfig ${where}: no context "${opts.context}" (contexts: ${known.join(", ") || "none"})`);
        }
        kc.setCurrentContext(opts.context);
    }
    const context = kc.getCurrentContext();
    if (!context) throw new KubeconfigError(`kubeconfig ${where}: no current context; pass --context`);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeconfigError(`kubeconfig ${where}: context "${context}" names no cluster`);
    let url: URL | undefined;
    try {
        url = new URL(cluster.server);
    } catch {
        url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
        throw new KubeconfigError(`kubeconfig ${where}: cluster "${cluster.name}" has server ${JSON.stringify(cluster.server)}, not an http:// or https:// URL`);
    }
    // A plain-http server (what `kubectl proxy` serves) has no TLS to verify, but the client
    // library refuses it unless TLS verification is switched off; switching it off changes
    // nothing for http, and https clusters keep their checks.
    if (url.protocol === "http:" && !cluster.skipTLSVerify) {
        kc.clusters = kc.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c));
    }
    return { kc, where, context, server: cluster.server };
}
