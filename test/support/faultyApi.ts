/**
 * A Kubernetes API server on the loopback address that misbehaves the way real ones and the
 * things in front of them do: it stalls before the headers or in the middle of a body, resets
 * or drops connections, answers 404 / 429 / 500 / 503 or a web page, serves a partial
 * discovery. By default it is a small healthy cluster (core discovery, namespaces, lists); a
 * script per path overrides that, one reply per request, the last repeating.
 * Used by the tests of `await`, `inventory`, the live preflight and the sync gate.
 */
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Reply =
    | { status: number; body?: unknown; contentType?: string }
    /** Accept the request and never answer (a stuck server, a host that drops packets). */
    | { fault: "stall-headers" }
    /** Send the headers and half the body, then nothing more. */
    | { fault: "stall-body"; body: unknown }
    /** Send 200 with a Content-Length and part of the body, then close the connection (a proxy dropping mid-answer). */
    | { fault: "cut-body"; body: unknown }
    /** Reset the connection (TCP RST). */
    | { fault: "reset" }
    /** Close the connection without an answer. */
    | { fault: "drop" };

export const status = (code: number, reason: string, message = reason): Reply => ({
    status: code,
    body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code },
});
export const NOT_FOUND = status(404, "NotFound", "the server could not find the requested resource");
export const HTML = (code: number): Reply => ({ status: code, contentType: "text/html", body: `<html><body><h1>${code}</h1>nginx</body></html>` });

/** Discovery of a healthy cluster: group version → resources. */
export const DISCOVERY: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
    "/api/v1": [
        { name: "namespaces", kind: "Namespace", namespaced: false },
        { name: "pods", kind: "Pod", namespaced: true },
        { name: "services", kind: "Service", namespaced: true },
        { name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
    ],
    "/apis/apps/v1": [
        { name: "deployments", kind: "Deployment", namespaced: true },
        { name: "statefulsets", kind: "StatefulSet", namespaced: true },
    ],
};

export interface Item {
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    [k: string]: unknown;
}

export interface FaultyApi {
    url: string;
    /** Paths requested, in order (query strings dropped). */
    requests: string[];
    /** Replaces the replies for a path (exact, without query). */
    script(path: string, replies: Reply[]): void;
    /** Drops every script: a healthy server again. */
    heal(): void;
    close(): Promise<void>;
}

function discoveryBody(path: string) {
    const resources = DISCOVERY[path];
    if (!resources) return undefined;
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: path.replace(/^\/apis?\//, ""), resources: resources.map((r) => ({ ...r, singularName: "", verbs: ["get", "list"] })) };
}

/** `objects`: items per list path of all namespaces, e.g. "/api/v1/pods"; namespaced paths filter them. */
export async function faultyApi(objects: Record<string, Item[]> = {}, namespaces: string[] = ["shop"]): Promise<FaultyApi> {
    const requests: string[] = [];
    const scripts = new Map<string, { replies: Reply[]; served: number }>();
    const sockets = new Set<Socket>();

    const healthy = (path: string): Reply => {
        if (path === "/api") return { status: 200, body: { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] } };
        const discovery = discoveryBody(path);
        if (discovery) return { status: 200, body: discovery };
        const ns = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
        if (ns) return namespaces.includes(ns[1]) ? { status: 200, body: { kind: "Namespace", apiVersion: "v1", metadata: { name: ns[1] } } } : status(404, "NotFound", `namespaces "${ns[1]}" not found`);
        if (path === "/api/v1/namespaces") return { status: 200, body: { kind: "NamespaceList", apiVersion: "v1", metadata: {}, items: namespaces.map((name) => ({ metadata: { name } })) } };
        const list = /^(\/apis?\/.+?)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(path);
        if (list && DISCOVERY[list[1]]?.some((r) => r.name === list[3])) {
            const items = (objects[`${list[1]}/${list[3]}`] ?? []).filter((o) => !list[2] || o.metadata.namespace === list[2]);
            return { status: 200, body: { kind: "List", apiVersion: list[1].replace(/^\/apis?\//, ""), metadata: { resourceVersion: "1" }, items } };
        }
        return NOT_FOUND;
    };

    const server = http.createServer((req, res) => {
        const path = new URL(req.url ?? "/", "http://x").pathname;
        requests.push(path);
        const script = scripts.get(path);
        const reply = script ? script.replies[Math.min(script.served++, script.replies.length - 1)] : healthy(path);
        if ("fault" in reply) {
            switch (reply.fault) {
                case "stall-headers":
                    return;
                case "stall-body": {
                    const text = JSON.stringify(reply.body);
                    res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
                    res.write(text.slice(0, Math.floor(text.length / 2)));
                    return;
                }
                case "cut-body": {
                    const text = JSON.stringify(reply.body);
                    res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
                    res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.end());
                    return;
                }
                case "reset":
                    req.socket.resetAndDestroy();
                    return;
                case "drop":
                    req.socket.destroy();
                    return;
            }
        }
        const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status, { "content-type": reply.contentType ?? "application/json" });
        res.end(text);
    });
    server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        script: (path, replies) => scripts.set(path, { replies, served: 0 }),
        heal: () => scripts.clear(),
        // Stalled requests hold their sockets open: end them so the server can close.
        close: () =>
            new Promise((resolve) => {
                for (const s of sockets) s.destroy();
                server.close(() => resolve());
            }),
    };
}

/** A kubeconfig for the server, as `kubectl proxy` users write it: plain http, no TLS flags. */
export function kubeconfigFor(server: string, context = "eks-b"): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "  - name: b",
        `    cluster: {server: "${server}"}`,
        "contexts:",
        `  - name: ${context}`,
        "    context: {cluster: b, user: admin}",
        `current-context: ${context}`,
        "users:",
        "  - name: admin",
        "    user: {token: s3cr3t-token}",
    ].join("\n");
}

/** Runs `fn` and returns its result with how long it took, in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const start = performance.now();
    const value = await fn();
    return { value, ms: performance.now() - start };
}
