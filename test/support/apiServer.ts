/**
 * A small API server on the loopback address that speaks the Kubernetes discovery and list
 * protocol (APIVersions, APIGroupList, APIResourceList, /version, typed lists with
 * limit/continue pagination, 401/403/404 as Status), and a kubeconfig to reach it with.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

export interface ServedResource {
    name: string;
    kind: string;
    namespaced: boolean;
}

export type Obj = { metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

export interface ApiServerSpec {
    /** Served resources per group version path (`/api/v1`, `/apis/apps/v1`), in the group's discovery order (preferred first). */
    discovery: Record<string, ServedResource[]>;
    /** Lists by collection path (`/api/v1/pods`): the list's kind and its items (as the API server writes them, without kind). */
    data?: Record<string, { kind: string; items: Obj[] }>;
    /** Collection paths that answer 403. */
    forbidden?: string[];
    /** `gitVersion` for /version. */
    gitVersion?: string;
    /** Answer everything with this status (401: bad credentials). */
    status?: number;
    /** Group version paths listed in /apis whose own discovery answers 503 (an aggregated API that is down). */
    unavailable?: string[];
}

export interface ApiServer {
    url: string;
    requests: { path: string; query: URLSearchParams; auth?: string }[];
    close(): Promise<void>;
}

function groupList(discovery: ApiServerSpec["discovery"], unavailable: string[]) {
    const groups = new Map<string, string[]>();
    for (const p of [...Object.keys(discovery), ...unavailable]) {
        const m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
        if (m) groups.set(m[1], [...(groups.get(m[1]) ?? []), m[2]]);
    }
    return {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: [...groups].map(([name, versions]) => ({
            name,
            versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
            preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
        })),
    };
}

export async function apiServer(spec: ApiServerSpec): Promise<ApiServer> {
    const requests: ApiServer["requests"] = [];
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://x");
        requests.push({ path: url.pathname, query: url.searchParams, auth: req.headers.authorization });
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        };
        const status = (code: number, reason: string) => send(code, { kind: "Status", apiVersion: "v1", status: "Failure", reason, code });
        if (spec.status) return status(spec.status, "Unauthorized");
        if (url.pathname === "/version") return spec.gitVersion ? send(200, { major: "1", minor: spec.gitVersion.split(".")[1], gitVersion: spec.gitVersion }) : status(404, "NotFound");
        if (url.pathname === "/api") return send(200, { kind: "APIVersions", versions: spec.discovery["/api/v1"] ? ["v1"] : [], serverAddressByClientCIDRs: [] });
        if (url.pathname === "/apis") return send(200, groupList(spec.discovery, spec.unavailable ?? []));
        if (spec.unavailable?.includes(url.pathname)) return status(503, "ServiceUnavailable");
        const discovery = spec.discovery[url.pathname];
        if (discovery) {
            return send(200, { kind: "APIResourceList", apiVersion: "v1", groupVersion: url.pathname.replace(/^\/apis?\//, ""), resources: discovery.map((r) => ({ ...r, singularName: "", verbs: ["get", "list"] })) });
        }
        // Every namespace a scan names exists here (preflight checks them before listing).
        const namespace = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(url.pathname);
        if (namespace && !spec.data?.["/api/v1/namespaces"]) return send(200, { kind: "Namespace", apiVersion: "v1", metadata: { name: namespace[1] } });
        // /api/v1/namespaces/<ns>/pods → the pods of that namespace; /apis/<g>/<v>/<resource>/<name> → one object.
        const m = /^(\/apis?\/.+?)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?$/.exec(url.pathname);
        if (!m || !spec.discovery[m[1]]?.some((r) => r.name === m[3])) return status(404, "NotFound");
        if (spec.forbidden?.includes(`${m[1]}/${m[3]}`)) return status(403, "Forbidden");
        const list = spec.data?.[`${m[1]}/${m[3]}`];
        const groupVersion = m[1].replace(/^\/apis?\//, "");
        const all = (list?.items ?? []).filter((o) => !m[2] || o.metadata.namespace === m[2]);
        if (m[4] !== undefined) {
            const one = all.find((o) => o.metadata.name === m[4]);
            return one ? send(200, one) : status(404, "NotFound");
        }
        const limit = Number(url.searchParams.get("limit") ?? all.length) || all.length;
        const start = Number(url.searchParams.get("continue") ?? 0);
        const next = start + limit < all.length ? String(start + limit) : undefined;
        return send(200, {
            kind: list?.kind ?? "List",
            apiVersion: groupVersion,
            metadata: next ? { continue: next, resourceVersion: "1" } : { resourceVersion: "1" },
            items: all.slice(start, start + limit),
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A kubeconfig file for the server, with contexts `tke-a` and `elsewhere` (the current one). */
export function kubeconfigFor(dir: string, server: string): string {
    const file = path.join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(
        file,
        `apiVersion: v1
kind: Config
clusters:
  - name: tke
    cluster: {server: "${server}", insecure-skip-tls-verify: true}
users:
  - name: reader
    user: {token: read-only-token}
contexts:
  - name: tke-a
    context: {cluster: tke, user: reader}
  - name: elsewhere
    context: {cluster: tke, user: reader}
current-context: elsewhere
`,
    );
    return file;
}
