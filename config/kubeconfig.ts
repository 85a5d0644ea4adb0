/**
 * Reads a cluster's kubeconfig (a file path or the file's content, as the Kubernetes provider
 * accepts) and checks the context before any resource is touched. Plain YAML parsing on
 * purpose: `plan` must not pay for loading the Kubernetes client.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { array, isRecord, record, str } from "../rules/objects";

export interface Kubeconfig {
    /** The kubeconfig text the provider gets. */
    content: string;
    /** Absolute path it was read from; undefined when given inline. */
    file?: string;
    /** The context the provider uses (the given one, else the file's current-context). */
    context: string;
    /** API server of that context's cluster, to tell two clusters apart. */
    server?: string;
}

export interface KubeconfigProblem {
    field: "kubeconfig" | "context";
    message: string;
}

/** Inline content has a line break or starts like YAML/JSON; anything else is a path. */
export function isInlineKubeconfig(value: string): boolean {
    const v = value.trimStart();
    return value.includes("\n") || v.startsWith("{") || v.startsWith("apiVersion:");
}

function resolvePath(value: string, projectDir: string): string {
    const expanded = value === "~" || value.startsWith("~/") ? path.join(os.homedir(), value.slice(1)) : value;
    return path.resolve(projectDir, expanded);
}

function named(list: unknown, name: string): Record<string, unknown> | undefined {
    return array(list).filter(isRecord).find((e) => e.name === name);
}

/** Loads and checks one kubeconfig; relative paths are relative to the project directory. */
export function loadKubeconfig(value: string, context: string | undefined, projectDir: string): { kubeconfig: Kubeconfig } | { problem: KubeconfigProblem } {
    let content = value;
    let file: string | undefined;
    if (!isInlineKubeconfig(value)) {
        file = resolvePath(value.trim(), projectDir);
        try {
            content = fs.readFileSync(file, "utf8");
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? String(err)})`;
            return { problem: { field: "kubeconfig", message: `${why}: ${file}` } };
        }
    }
    const where = file ?? "the inline kubeconfig";
    if (content.trim() === "") return { problem: { field: "kubeconfig", message: `${where} is empty` } };

    let doc: unknown;
    try {
        doc = parse(content);
    } catch (err) {
        const first = (err instanceof Error ? err.message : String(err)).split("\n")[0];
        return { problem: { field: "kubeconfig", message: `${where} is not valid YAML: ${first}` } };
    }
    if (!isRecord(doc) || doc.kind !== "Config" || !Array.isArray(doc.contexts)) {
        return { problem: { field: "kubeconfig", message: `${where} is not a kubeconfig (expected kind: Config with a contexts list)` } };
    }

    const contexts = array(doc.contexts).filter(isRecord).map((c) => str(c.name)).filter((n): n is string => !!n);
    const chosen = context ?? str(doc["current-context"]);
    if (!chosen) {
        return { problem: { field: "context", message: `not set and ${where} has no current-context; choose one of: ${contexts.join(", ") || "(none)"}` } };
    }
    const ctx = named(doc.contexts, chosen);
    if (!ctx) {
        const which = context ? `"${chosen}"` : `current-context "${chosen}"`;
        return { problem: { field: "context", message: `${which} is not in ${where}; contexts: ${contexts.join(", ") || "(none)"}` } };
    }
    const clusterName = str(record(ctx.context).cluster);
    const cluster = clusterName ? named(doc.clusters, clusterName) : undefined;
    if (!cluster) {
        return { problem: { field: "kubeconfig", message: `context "${chosen}" in ${where} names cluster "${clusterName ?? ""}", which the file does not define` } };
    }
    const server = str(record(cluster.cluster).server);

    const kubeconfig: Kubeconfig = { content, context: chosen };
    if (file) kubeconfig.file = file;
    if (server) kubeconfig.server = server;
    return { kubeconfig };
}
