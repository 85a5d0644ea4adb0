/**
 * A Kubernetes client configuration from a kubeconfig file, a kubeconfig's content (as the
 * migration's commands receive it in an environment variable, so it never lands on disk or
 * in a command line) or the default places, with the context checked: one clear line when
 * something is wrong, never the client's stack trace.
 */
import * as fs from "node:fs";
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

export function loadClientConfig(opts: ClientConfigOptions): ClientConfig {
    const kc = new KubeConfig();
    const where =
        opts.file ?? (opts.content !== undefined ? (opts.contentName ?? "the given kubeconfig") : (process.env.KUBECONFIG ?? "~/.kube/config"));
    try {
        if (opts.file !== undefined) {
            fs.accessSync(opts.file, fs.constants.R_OK);
            kc.loadFromFile(opts.file);
        } else if (opts.content !== undefined) {
            if (opts.content.trim() === "") throw new Error("is empty");
            kc.loadFromString(opts.content);
        } else {
            kc.loadFromDefault();
        }
    } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const why = e.code === "ENOENT" ? "no such file" : e.code === "EACCES" ? "permission denied" : firstLine(err);
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
    return { kc, where, context, server: cluster.server };
}
