/**
 * What preflight knows of the two clusters' APIs before it scans: cluster B from its
 * discovery (`--target-kubeconfig` / `--target-context`) or from the removals table at
 * `--target-version`; cluster A from the backup's version folders or A's discovery, else
 * each object's own apiVersion. Both feed `k8s-api-versions` and B's prerequisites.
 */
import { OLDEST_MINOR, parseMinor, servedAtMinor } from "../rules/apiVersions";
import type { ApiContext } from "../rules/types";
import type { ClusterOptions } from "./cluster";
import type { TargetState } from "./prerequisites";
import type { S3Options } from "../s3/client";
import { UserError } from "../core/errors";

export interface TargetOptions extends Pick<ClusterOptions, "limits" | "onRetry"> {
    /** `1.N`: cluster B's Kubernetes version, judged by the removals table. */
    targetVersion?: string;
    targetKubeconfig?: string;
    targetContext?: string;
}

export interface SourceOptions {
    backup?: string;
    /** How to reach the bucket when `backup` is `s3://BUCKET/KEY`. */
    s3?: S3Options;
    /** Cluster A, when the scan is of the live cluster. */
    cluster?: ClusterOptions;
}

export interface ClusterApis {
    /** Undefined when nothing names cluster B: the API-version check then stays silent. */
    apis?: ApiContext;
    targetMinor?: number;
    sourceMinor?: number;
    /** Cluster B itself, when its kubeconfig was given. */
    target?: TargetState;
}

/** `--target-version`: `1.N` with N ≥ 16; one line naming the value otherwise. */
export function targetMinorOf(version: string): number {
    const minor = parseMinor(version);
    if (minor === undefined || minor < OLDEST_MINOR) throw new UserError(`--target-version "${version}": use 1.N with N ≥ ${OLDEST_MINOR}, e.g. 1.26`);
    return minor;
}

export async function clusterApis(source: SourceOptions, t: TargetOptions): Promise<ClusterApis> {
    const live = t.targetKubeconfig !== undefined || t.targetContext !== undefined;
    if (live && t.targetVersion !== undefined) throw new UserError("give --target-version or --target-kubeconfig/--target-context, not both: cluster B's own discovery says its version");
    if (!live && t.targetVersion === undefined) return {};
    const out: ClusterApis = {};
    let target;
    if (live) {
        const b: ClusterOptions = {
            ...(t.targetKubeconfig !== undefined ? { kubeconfig: t.targetKubeconfig } : {}),
            ...(t.targetContext !== undefined ? { context: t.targetContext } : {}),
            ...(t.limits ? { limits: t.limits } : {}),
            ...(t.onRetry ? { onRetry: t.onRetry } : {}),
        };
        // Only a scan that talks to a cluster loads the Kubernetes client.
        const [{ discover, servedByDiscovery }, { readTargetState }] = await Promise.all([import("./discovery.js"), import("./targetState.js")]);
        const d = await discover(b);
        out.target = await readTargetState(b, d);
        out.targetMinor = d.minor;
        target = servedByDiscovery(d, "cluster B");
    } else {
        out.targetMinor = targetMinorOf(t.targetVersion!);
        target = servedAtMinor(out.targetMinor);
    }
    const apis: ApiContext = { target };
    if (source.backup !== undefined) {
        const versions = await (await import("./backup.js")).readBackupVersions(source.backup, source.s3);
        apis.source = (group, kind) => versions.of(group, kind);
    } else if (source.cluster) {
        const { discover, sourceByDiscovery } = await import("./discovery.js");
        const a = await discover(source.cluster);
        out.sourceMinor = a.minor;
        apis.source = sourceByDiscovery(a);
    }
    out.apis = apis;
    return out;
}
