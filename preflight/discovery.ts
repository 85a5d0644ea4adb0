/**
 * A cluster's API discovery, read-only: its Kubernetes version, every group with its versions
 * (preferred first) and the kinds each group version serves. Cluster B's tells what it will
 * accept; cluster A's which versions Velero backs up. One line on a bad kubeconfig, refused
 * credentials or an unreachable cluster.
 */
import { ApisApi, CoreApi, CoreV1Api, CustomObjectsApi, VersionApi, type V1APIResourceList } from "@kubernetes/client-node";
import { ClusterError } from "../cluster/clusterError";
import { API_TABLE, groupAndVersion, parseMinor } from "../rules/apiVersions";
import { withSession, type ClusterOptions } from "./cluster";
import type { GroupVersions, ServedApis } from "../rules/types";

export interface ServedKind {
    /** The resource's plural name (`ingresses`). */
    resource: string;
    namespaced: boolean;
}

export interface Discovery {
    context: string;
    server: string;
    /** `v1.26.1-tke.3`, when /version answers. */
    gitVersion?: string;
    minor?: number;
    groups: Map<string, GroupVersions>;
    /** Per `group/version` (`v1` for core), the kinds it serves. */
    kinds: Map<string, Map<string, ServedKind>>;
    /** Group versions whose resources could not be read (an aggregated API that is down): not judged. */
    unavailable: Set<string>;
}

function resourcesOf(list: V1APIResourceList): Map<string, ServedKind> {
    const out = new Map<string, ServedKind>();
    // Subresources (`pods/status`) share their parent's kind.
    for (const r of list.resources) if (!r.name.includes("/")) out.set(r.kind, { resource: r.name, namespaced: r.namespaced });
    return out;
}

/**
 * Every request obeys the scan's limits and is classified as every cluster-facing command's
 * are (cluster/session.ts): a refused credential or an unreachable server is one line.
 */
export async function discover(opts: ClusterOptions): Promise<Discovery> {
    return withSession(opts, async (session) => {
        const out: Discovery = { context: session.context, server: session.server, groups: new Map(), kinds: new Map(), unavailable: new Set() };
        const core = await session.call("read the core API versions (GET /api)", () => session.api(CoreApi).getAPIVersions());
        if (core.versions.includes("v1")) {
            out.groups.set("", { preferred: "v1", versions: ["v1"] });
            out.kinds.set("v1", resourcesOf(await session.call("read the core API's resources", () => session.api(CoreV1Api).getAPIResources())));
        }
        const groups = await session.call("read the API groups (GET /apis)", () => session.api(ApisApi).getAPIVersions());
        const custom = session.api(CustomObjectsApi);
        for (const g of groups.groups) {
            const versions = g.versions.map((v) => v.version);
            out.groups.set(g.name, { preferred: g.preferredVersion?.version ?? versions[0] ?? "", versions });
            for (const version of versions) {
                const gv = `${g.name}/${version}`;
                try {
                    // Once, not retried: an aggregated API whose server is down (metrics.k8s.io answering 503) must not stop the scan.
                    out.kinds.set(gv, resourcesOf(await custom.getAPIResources({ group: g.name, version })));
                } catch (err) {
                    const e = session.classify(err, `read the resources of ${gv}`);
                    if (e.failure === "deadline" || e.status === 401 || e.status === 403) throw e;
                    out.unavailable.add(gv);
                }
            }
        }
        try {
            out.gitVersion = (await session.api(VersionApi).getCode()).gitVersion;
            out.minor = parseMinor(out.gitVersion);
        } catch (err) {
            if (err instanceof ClusterError && err.failure === "deadline") throw err;
            // Some API servers hide /version from ordinary users: the version floors are then advisory.
        }
        return out;
    });
}

const TABLE_GROUPS = new Set(API_TABLE.map((r) => groupAndVersion(r.apiVersion)[0]));

/**
 * What B serves, by its discovery. A group B lacks is judged only when it is a built-in one
 * the removals table knows: a custom resource's group may arrive with its CRD in the same
 * restore (Velero restores CRDs first).
 */
export function servedByDiscovery(d: Discovery, name: string): ServedApis {
    return {
        describe: `${name} (context ${d.context}${d.gitVersion ? `, ${d.gitVersion}` : ""})`,
        group(group) {
            return d.groups.get(group) ?? (TABLE_GROUPS.has(group) ? { preferred: "", versions: [] } : undefined);
        },
        serves(group, version, kind) {
            const gv = group === "" ? version : `${group}/${version}`;
            return d.unavailable.has(gv) ? undefined : (d.kinds.get(gv)?.has(kind) ?? false);
        },
    };
}

/**
 * A's versions of a kind, as Velero backs it up: the versions of its group that serve the
 * kind, the group's preferred one if it does, else the first that does (discovery's order).
 */
export function sourceByDiscovery(d: Discovery): (group: string, kind: string) => GroupVersions | undefined {
    return (group, kind) => {
        const g = d.groups.get(group);
        if (!g) return undefined;
        const versions = g.versions.filter((v) => d.kinds.get(group === "" ? v : `${group}/${v}`)?.has(kind));
        if (versions.length === 0) return undefined;
        return { preferred: versions.includes(g.preferred) ? g.preferred : versions[0], versions };
    };
}
