/**
 * Reads a kubeconfig (a file, or its content given inline) and checks the context it will be
 * used with: the one place that words what is wrong with a kubeconfig. Plain YAML on purpose,
 * no Kubernetes client: `tke2eks plan` checks its stack's kubeconfigs through here and must not
 * pay for loading the client; cluster/kubeconfig.ts builds the client's configuration from
 * what this module has checked. js-yaml, as the client parses kubeconfigs with it (so the
 * cluster commands load no second YAML library, and both read a file alike).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { load } from "js-yaml";
import { array, isRecord, record, str } from "../rules/objects";

/** Where a kubeconfig comes from: a file (relative to `baseDir`, default the working directory) or its content. */
export type KubeconfigSource = { file: string; baseDir?: string } | { content: string; name: string };

export interface Kubeconfig {
    /** The kubeconfig text, as read. */
    content: string;
    /** Absolute path it was read from; undefined when given inline. */
    file?: string;
    /** The context in use: the one asked for, else the kubeconfig's current-context. */
    context: string;
    /** API server of that context's cluster (an http:// or https:// URL), to tell two clusters apart. */
    server: string;
}

export interface KubeconfigProblem {
    /** Which setting to change: the kubeconfig itself, or the context chosen in it. */
    field: "kubeconfig" | "context";
    /** One line naming the kubeconfig, the value and what is allowed. */
    message: string;
}

export interface KubeconfigChecked {
    kubeconfig: Kubeconfig;
    /** How messages name this kubeconfig: its path, or the inline content's name. */
    where: string;
    /** The parsed document, for building a client from exactly what was checked. */
    document: Record<string, unknown>;
    /** The cluster entry's name. */
    cluster: string;
}

export interface CheckOptions {
    /** The context to use; default: the kubeconfig's current-context. */
    context?: string;
    /** What sets the context, for the message when none is set (e.g. `--context`). */
    contextOption: string;
}

/** What messages call a kubeconfig given inline in the stack config or to the scanner. */
export const INLINE_KUBECONFIG = "(inline)";

/** Inline content has a line break or starts like YAML/JSON; anything else is a path. */
export function isInlineKubeconfig(value: string): boolean {
    const v = value.trimStart();
    return value.includes("\n") || v.startsWith("{") || v.startsWith("apiVersion:");
}

/** A value that is a kubeconfig's path or its content, as the stack config and the Kubernetes provider take it. */
export function kubeconfigSource(value: string, baseDir: string): KubeconfigSource {
    return isInlineKubeconfig(value) ? { content: value, name: INLINE_KUBECONFIG } : { file: value.trim(), baseDir };
}

function resolvePath(file: string, baseDir: string | undefined): string {
    const expanded = file === "~" || file.startsWith("~/") ? path.join(os.homedir(), file.slice(1)) : file;
    return path.resolve(baseDir ?? process.cwd(), expanded);
}

/** Why a kubeconfig could not be loaded: a file's errno code in words, else the error's first line. */
export function loadFailure(err: unknown): string {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EISDIR") return "is a folder, not a file";
    if (code === "EACCES") return "permission denied";
    return code === undefined ? firstLine(err) : `cannot be read (${code})`;
}

function firstLine(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

function names(list: unknown): string {
    const all = array(list)
        .filter(isRecord)
        .map((e) => str(e.name))
        .filter((n): n is string => !!n);
    return all.join(", ") || "none";
}

function named(list: unknown, name: string): Record<string, unknown> | undefined {
    return array(list)
        .filter(isRecord)
        .find((e) => e.name === name);
}

/** Reads and checks one kubeconfig. */
export function readKubeconfig(source: KubeconfigSource, opts: CheckOptions): KubeconfigChecked | { problem: KubeconfigProblem } {
    let content: string;
    let file: string | undefined;
    if ("file" in source) {
        file = resolvePath(source.file, source.baseDir);
        try {
            content = fs.readFileSync(file, "utf8");
        } catch (err) {
            return { problem: { field: "kubeconfig", message: `kubeconfig ${file}: ${loadFailure(err)}` } };
        }
    } else {
        content = source.content;
    }
    const where = file ?? (source as { name: string }).name;
    if (content.trim() === "") return { problem: { field: "kubeconfig", message: `kubeconfig ${where}: is empty` } };
    let doc: unknown;
    try {
        doc = load(content);
    } catch (err) {
        return { problem: { field: "kubeconfig", message: `kubeconfig ${where}: not valid YAML: ${firstLine(err)}` } };
    }
    const checked = checkKubeconfig(doc, where, opts);
    if ("problem" in checked) return checked;
    const kubeconfig: Kubeconfig = { content, context: checked.context, server: checked.server };
    if (file) kubeconfig.file = file;
    return { kubeconfig, where, document: checked.document, cluster: checked.cluster };
}

/**
 * The kubeconfig a command was given, as a file or as content (the file wins), read and checked
 * for the context asked for (`--context`); undefined when neither is given (the default places,
 * which the client library reads).
 */
export function readGivenKubeconfig(given: { file?: string; content?: string; contentName?: string; context?: string }): ReturnType<typeof readKubeconfig> | undefined {
    if (given.file === undefined && given.content === undefined) return undefined;
    const source: KubeconfigSource = given.file !== undefined ? { file: given.file } : { content: given.content ?? "", name: given.contentName ?? INLINE_KUBECONFIG };
    return readKubeconfig(source, { ...(given.context !== undefined ? { context: given.context } : {}), contextOption: "--context" });
}

/**
 * Checks a parsed kubeconfig: kind Config with a contexts list, the context (given, else
 * current-context) defined, its cluster and user defined, the cluster's server an http:// or
 * https:// URL (http for `kubectl proxy`, which serves no TLS).
 */
export function checkKubeconfig(
    doc: unknown,
    where: string,
    opts: CheckOptions,
): { document: Record<string, unknown>; context: string; cluster: string; server: string } | { problem: KubeconfigProblem } {
    const fail = (field: KubeconfigProblem["field"], why: string) => ({ problem: { field, message: `kubeconfig ${where}: ${why}` } });
    if (!isRecord(doc) || doc.kind !== "Config" || !Array.isArray(doc.contexts)) {
        return fail("kubeconfig", "not a kubeconfig (expected kind: Config with a contexts list)");
    }
    const current = str(doc["current-context"]);
    const chosen = opts.context ?? current;
    if (!chosen) return fail("context", `no current-context; set ${opts.contextOption} to one of: ${names(doc.contexts)}`);
    const ctx = named(doc.contexts, chosen);
    if (!ctx) {
        const which = opts.context !== undefined ? `no context "${chosen}"` : `current-context "${chosen}" is not one of its contexts`;
        return fail("context", `${which} (contexts: ${names(doc.contexts)})`);
    }
    const fields = record(ctx.context);
    const clusterName = str(fields.cluster);
    if (!clusterName) return fail("kubeconfig", `context "${chosen}" names no cluster`);
    const cluster = named(doc.clusters, clusterName);
    if (!cluster) return fail("kubeconfig", `context "${chosen}" names cluster "${clusterName}", which is not one of its clusters (clusters: ${names(doc.clusters)})`);
    const user = str(fields.user);
    // No user at all is how `kubectl proxy` kubeconfigs are written: the proxy holds the credentials.
    if (user && !named(doc.users, user)) return fail("kubeconfig", `context "${chosen}" names user "${user}", which is not one of its users (users: ${names(doc.users)})`);
    const server = record(cluster.cluster).server;
    if (!isHttpUrl(server)) {
        return fail("kubeconfig", `cluster "${clusterName}" has server ${JSON.stringify(server ?? null)}, not an http:// or https:// URL`);
    }
    return { document: doc, context: chosen, cluster: clusterName, server };
}

function isHttpUrl(v: unknown): v is string {
    if (typeof v !== "string") return false;
    try {
        const { protocol } = new URL(v);
        return protocol === "https:" || protocol === "http:";
    } catch {
        return false;
    }
}
