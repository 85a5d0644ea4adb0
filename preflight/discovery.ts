/**
 * A cluster's API discovery, read-only: its Kubernetes version, every group with its versions
 * (preferred first) and the kinds each group version serves. Cluster B's tells what it will
 * accept; cluster A's which versions Velero backs up. One line on a bad kubeconfig, refused
 * credentials or an unreachable cluster.
 */
import { ApiException, ApisApi, CoreApi, CoreV1Api, CustomObjectsApi, VersionApi, type V1APIResourceList } from "@kubernetes/client-node";
import { API_TABLE, groupAndVersion, parseMinor, type GroupVersions, type ServedApis } from "../rules/apiVersions";
import { loadConfig, type ClusterOptions } from "./cluster";
import { InputError } from "./types";

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

export async function discover(opts: ClusterOptions): Promise<Discovery> {
    const { kc, context } = loadConfig(opts);
    const server = kc.getCurrentCluster()?.server ?? "?";
    const refused = (err: unknown) => err instanceof ApiException && err.code === 401;
    const failure = (what: string, err: unknown): InputError => {
        if (refused(err)) return new InputError(`cluster ${server} (context ${context}) refused the credentials: 401 Unauthorized`);
        const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
        return new InputError(`cannot read ${what} of cluster ${server} (context ${context}): ${message}`);
    };
    const step = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
        try {
            return await call();
        } catch (err) {
            throw failure(what, err);
        }
    };
    const out: Discovery = { context, server, groups: new Map(), kinds: new Map(), unavailable: new Set() };
    const core = await step("the core API versions", () => kc.makeApiClient(CoreApi).getAPIVersions());
    if (core.versions.includes("v1")) {
        out.groups.set("", { preferred: "v1", versions: ["v1"] });
        out.kinds.set("v1", resourcesOf(await step("the core API's resources", () => kc.makeApiClient(CoreV1Api).getAPIResources())));
    }
    const groups = await step("the API groups", () => kc.makeApiClient(ApisApi).getAPIVersions());
    const custom = kc.makeApiClient(CustomObjectsApi);
    for (const g of groups.groups) {
        const versions = g.versions.map((v) => v.version);
        out.groups.set(g.name, { preferred: g.preferredVersion?.version ?? versions[0] ?? "", versions });
        for (const version of versions) {
            const gv = `${g.name}/${version}`;
            try {
                out.kinds.set(gv, resourcesOf(await custom.getAPIResources({ group: g.name, version })));
            } catch (err) {
                if (refused(err)) throw failure(gv, err);
                // An aggregated API whose server is down (metrics.k8s.io answering 503) must not stop the scan.
                out.unavailable.add(gv);
            }
        }
    }
    try {
        out.gitVersion = (await kc.makeApiClient(VersionApi).getCode()).gitVersion;
        out.minor = parseMinor(out.gitVersion);
    } catch {
        // Some API servers hide /version from ordinary users: the version floors are then advisory.
    }
    return out;
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
