/**
 * A small Kubernetes API server on the loopback address for `tke2eks verify`: discovery
 * (APIVersions, APIResourceList per group version, APIGroupList), list calls with limit/continue, a get of
 * the Restore, and scripted failures. Objects are kept as a live API server returns them.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

type Obj = { metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

interface ResourceInfo {
    name: string;
    kind: string;
    namespaced: boolean;
}

/** What B serves: batch/v1 only (a 1.25+ serverless cluster), no velero kinds but the Restore. */
export const DISCOVERY: Record<string, ResourceInfo[]> = {
    "/api/v1": [
        { name: "namespaces", kind: "Namespace", namespaced: false },
        { name: "pods", kind: "Pod", namespaced: true },
        { name: "services", kind: "Service", namespaced: true },
        { name: "configmaps", kind: "ConfigMap", namespaced: true },
        { name: "secrets", kind: "Secret", namespaced: true },
        { name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true },
        { name: "persistentvolumes", kind: "PersistentVolume", namespaced: false },
        { name: "events", kind: "Event", namespaced: true },
    ],
    "/apis/apps/v1": [
        { name: "deployments", kind: "Deployment", namespaced: true },
        { name: "statefulsets", kind: "StatefulSet", namespaced: true },
        { name: "replicasets", kind: "ReplicaSet", namespaced: true },
        { name: "daemonsets", kind: "DaemonSet", namespaced: true },
    ],
    "/apis/batch/v1": [
        { name: "jobs", kind: "Job", namespaced: true },
        { name: "cronjobs", kind: "CronJob", namespaced: true },
    ],
    "/apis/velero.io/v1": [
        { name: "restores", kind: "Restore", namespaced: true },
        { name: "downloadrequests", kind: "DownloadRequest", namespaced: true },
    ],
};

const GROUPS = {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [
        { name: "apps", versions: [{ groupVersion: "apps/v1", version: "v1" }], preferredVersion: { groupVersion: "apps/v1", version: "v1" } },
        { name: "batch", versions: [{ groupVersion: "batch/v1", version: "v1" }], preferredVersion: { groupVersion: "batch/v1", version: "v1" } },
        { name: "velero.io", versions: [{ groupVersion: "velero.io/v1", version: "v1" }], preferredVersion: { groupVersion: "velero.io/v1", version: "v1" } },
    ],
};

export interface Api {
    url: string;
    /** Paths requested, in order. */
    requests: string[];
    /** Objects by collection path, e.g. /apis/apps/v1/namespaces/shop/deployments; a function sees how often it was listed. */
    collections: Record<string, Obj[] | ((served: number) => Obj[])>;
    /** Forced answers by path (e.g. 403). */
    refuse: Record<string, number>;
    /** Answers by path served once each, in order, before the path behaves (e.g. [500]). */
    flaky: Record<string, number[]>;
    /** What POST adds to a collection: the object as created (e.g. Velero's status filled in); absent: 404. */
    onCreate: Record<string, (body: Obj) => Obj>;
    /** Raw bytes by path (the bucket behind a signed URL). */
    files: Record<string, Buffer>;
    close(): Promise<void>;
}

const STATUS = (code: number, reason: string) => ({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason, code });

export async function verifyApi(): Promise<Api> {
    const api: Omit<Api, "url" | "close"> = { requests: [], collections: {}, refuse: {}, flaky: {}, onCreate: {}, files: {} };
    const served: Record<string, number> = {};
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://x");
        const p = url.pathname;
        api.requests.push(p + url.search);
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        };
        const flaky = api.flaky[p]?.shift();
        if (flaky) return send(flaky, STATUS(flaky, "InternalError"));
        if (api.refuse[p]) return send(api.refuse[p], STATUS(api.refuse[p], api.refuse[p] === 401 ? "Unauthorized" : "Forbidden"));
        if (api.files[p]) {
            res.writeHead(200, { "content-type": "application/octet-stream" });
            return res.end(api.files[p]);
        }
        if (req.method === "POST") {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => {
                const create = api.onCreate[p];
                if (!create) return send(404, STATUS(404, "NotFound"));
                const obj = create(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Obj);
                const list = api.collections[p];
                api.collections[p] = [...(Array.isArray(list) ? list : []), obj];
                send(201, obj);
            });
            return;
        }
        if (p === "/api") return send(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
        if (p === "/apis") return send(200, GROUPS);
        const discovery = DISCOVERY[p];
        if (discovery) {
            return send(200, { kind: "APIResourceList", apiVersion: "v1", groupVersion: p.replace(/^\/apis?\//, ""), resources: discovery.map((r) => ({ ...r, singularName: "", verbs: ["get", "list"] })) });
        }
        // A single object: its collection holds it.
        const one = /^(.*)\/([^/]+)$/.exec(p);
        const collection = api.collections[p] ?? undefined;
        if (collection === undefined && one && api.collections[one[1]]) {
            const list = api.collections[one[1]];
            const items = typeof list === "function" ? list(served[one[1]] ?? 0) : list;
            const found = items.find((o) => o.metadata.name === one[2]);
            return found ? send(200, found) : send(404, STATUS(404, "NotFound"));
        }
        const known = Object.keys(DISCOVERY).some((gv) => p.startsWith(gv + "/"));
        if (!known) return send(404, STATUS(404, "NotFound"));
        const n = served[p] ?? 0;
        served[p] = n + 1;
        const all = collection === undefined ? [] : typeof collection === "function" ? collection(n) : collection;
        const limit = Number(url.searchParams.get("limit") ?? all.length);
        const start = Number(url.searchParams.get("continue") ?? 0);
        const next = start + limit < all.length ? String(start + limit) : undefined;
        return send(200, { kind: "List", apiVersion: "v1", metadata: { resourceVersion: "42", ...(next ? { continue: next } : {}) }, items: all.slice(start, start + limit) });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return Object.assign(api, { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

export function kubeconfig(server: string): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "  - name: b",
        `    cluster: {server: "${server}", insecure-skip-tls-verify: true}`,
        "contexts:",
        "  - name: eks-b",
        "    context: {cluster: b, user: admin}",
        "current-context: eks-b",
        "users:",
        "  - name: admin",
        "    user: {token: s3cr3t-token}",
    ].join("\n");
}
