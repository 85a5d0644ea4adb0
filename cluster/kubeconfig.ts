/**
 * A Kubernetes client configuration from a kubeconfig file, a kubeconfig's content (as the
 * migration's commands receive it in an environment variable, so it never lands on disk or
 * in a command line) or the default places. The reading and checking, and every message about
 * a bad kubeconfig, are cluster/kubeconfigFile.ts's; this module only hands the checked
 * kubeconfig to the client library.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { UserError } from "../core/errors";
import { checkKubeconfig, loadFailure, readGivenKubeconfig, type CheckOptions } from "./kubeconfigFile";

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

/** The client library's own loading, its failures worded as ours. */
function clientLoad(where: string, load: () => void): void {
    try {
        load();
    } catch (err) {
        throw new UserError(`kubeconfig ${where}: ${loadFailure(err)}`);
    }
}

export function loadClientConfig(opts: ClientConfigOptions, env: NodeJS.ProcessEnv = process.env): ClientConfig {
    const check: CheckOptions = { ...(opts.context !== undefined ? { context: opts.context } : {}), contextOption: "--context" };
    const kc = new KubeConfig();
    let checked: { where: string; context: string; cluster: string; server: string };
    const read = readGivenKubeconfig(opts);
    if (read !== undefined) {
        if ("problem" in read) throw new UserError(read.problem.message);
        const file = read.kubeconfig.file;
        clientLoad(read.where, () => {
            // The document as checked (JSON is YAML): the client works from exactly what was checked.
            kc.loadFromString(JSON.stringify(read.document));
            // Relative certificate paths are relative to the kubeconfig's folder, as the client's loadFromFile makes them.
            if (file !== undefined) kc.makePathsAbsolute(path.dirname(file));
        });
        checked = { where: read.where, context: read.kubeconfig.context, cluster: read.cluster, server: read.kubeconfig.server };
    } else {
        if (!defaultKubeconfigExists(env)) throw new UserError("no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config");
        const where = env.KUBECONFIG || "~/.kube/config";
        // The default places (several files in KUBECONFIG merged, a Pod's service account) are the client's to read; the checks are the same.
        clientLoad(where, () => kc.loadFromDefault());
        const result = checkKubeconfig(JSON.parse(kc.exportConfig()), where, check);
        if ("problem" in result) throw new UserError(result.problem.message);
        checked = { where, ...result };
    }
    kc.setCurrentContext(checked.context);
    // A plain-http server (what `kubectl proxy` serves) has no TLS to verify, but the client
    // library refuses it unless TLS verification is switched off; switching it off changes
    // nothing for http, and https clusters keep their checks.
    if (new URL(checked.server).protocol === "http:") {
        kc.clusters = kc.clusters.map((c) => (c.name === checked.cluster ? { ...c, skipTLSVerify: true } : c));
    }
    return { kc, where: checked.where, context: checked.context, server: checked.server };
}
