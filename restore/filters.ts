/**
 * What Velero v1.18.2 leaves out of a restore before any action runs: its non-restorable
 * resources, the Restore's resource and namespace filters, cluster-scoped items when only
 * some namespaces are restored, the label selector, completed and mirror Pods. Each check
 * returns why the item is skipped, or undefined.
 */
import { record, str, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import type { LabelSelector } from "../modifiers/veleroFormat";
import { globToRegExp } from "../modifiers/glob";
import { selectorMatches } from "./ownership";

/** The Restore's spec fields the model reads (as restore/manifests.ts writes them). */
export interface RestoreSpec {
    backupName: string;
    includedNamespaces?: string[];
    excludedNamespaces?: string[];
    includedResources?: string[];
    excludedResources?: string[];
    namespaceMapping?: Record<string, string>;
    labelSelector?: LabelSelector;
    includeClusterResources?: boolean;
    preserveNodePorts?: boolean;
    restorePVs?: boolean;
    /** What Velero does with an object B already has that differs from the backup's (none: keep B's, warn). */
    existingResourcePolicy?: string;
}

/** Added to every Restore's excludes (pkg/controller/restore_controller.go:67-90, 307-313). */
export const NON_RESTORABLE = [
    "nodes",
    "events",
    "events.events.k8s.io",
    "backups.velero.io",
    "restores.velero.io",
    "resticrepositories.velero.io",
    "csinodes.storage.k8s.io",
    "volumeattachments.storage.k8s.io",
    "backuprepositories.velero.io",
];

/** Never filtered by namespace or selector (restore.go:86-89). */
const MUST_HAVE = new Set(["datauploads.velero.io", "volumesnapshotcontents.snapshot.storage.k8s.io"]);

/**
 * Where Kubernetes' own API serves a plural outside the core group: Velero resolves a bare
 * name through B's discovery to one group-resource (pkg/util/collections/includes_excludes.go:276-283,
 * ResourceFor), the core group first, then the built-in groups. Without B's discovery the
 * model uses this table; a name it does not hold (a custom resource) matches that plural in
 * any group, as discovery would find its one group.
 */
const CORE = new Set("bindings componentstatuses configmaps endpoints events limitranges namespaces nodes persistentvolumeclaims persistentvolumes pods podtemplates replicationcontrollers resourcequotas secrets serviceaccounts services".split(" "));
const BUILT_IN: Record<string, string> = {
    deployments: "apps", replicasets: "apps", statefulsets: "apps", daemonsets: "apps", controllerrevisions: "apps",
    jobs: "batch", cronjobs: "batch", horizontalpodautoscalers: "autoscaling", poddisruptionbudgets: "policy",
    ingresses: "networking.k8s.io", ingressclasses: "networking.k8s.io", networkpolicies: "networking.k8s.io",
    roles: "rbac.authorization.k8s.io", rolebindings: "rbac.authorization.k8s.io", clusterroles: "rbac.authorization.k8s.io", clusterrolebindings: "rbac.authorization.k8s.io",
    storageclasses: "storage.k8s.io", csidrivers: "storage.k8s.io", csinodes: "storage.k8s.io", volumeattachments: "storage.k8s.io",
    customresourcedefinitions: "apiextensions.k8s.io", apiservices: "apiregistration.k8s.io", endpointslices: "discovery.k8s.io",
    priorityclasses: "scheduling.k8s.io", leases: "coordination.k8s.io", runtimeclasses: "node.k8s.io",
    mutatingwebhookconfigurations: "admissionregistration.k8s.io", validatingwebhookconfigurations: "admissionregistration.k8s.io",
    certificatesigningrequests: "certificates.k8s.io",
};

/** One entry of a Velero include/exclude list as a test on a group-resource. */
function entryMatcher(entry: string, resources: boolean): (s: string) => boolean {
    // Velero's lists are gobwas globs without separators (includes_excludes.go:49).
    if (/[*?[{\\]/.test(entry)) {
        const re = globToRegExp(entry);
        return (s) => re.test(s);
    }
    if (!resources || entry.includes(".")) return (s) => s === entry;
    if (CORE.has(entry)) return (s) => s === entry;
    const group = BUILT_IN[entry];
    if (group) return (s) => s === `${entry}.${group}`;
    return (s) => s === entry || s.split(".")[0] === entry;
}

/**
 * Velero's IncludesExcludes (pkg/util/collections/includes_excludes.go:243-250): excludes
 * win; empty includes or `*` take everything. A bare resource name is resolved to one group,
 * as Velero does through discovery (entryMatcher).
 */
export class IncludesExcludes {
    private readonly include: ((s: string) => boolean)[];
    private readonly exclude: ((s: string) => boolean)[];

    constructor(
        private readonly includes: readonly string[] = [],
        private readonly excludes: readonly string[] = [],
        resources = false,
    ) {
        this.include = includes.map((e) => entryMatcher(e, resources));
        this.exclude = excludes.map((e) => entryMatcher(e, resources));
    }

    private matches(list: ((s: string) => boolean)[], s: string): boolean {
        return list.some((m) => m(s));
    }

    /** Verdicts per name: a backup has few resources and namespaces, and many objects. */
    private readonly verdicts = new Map<string, boolean>();

    shouldInclude(s: string): boolean {
        let verdict = this.verdicts.get(s);
        if (verdict === undefined) {
            verdict = !this.matches(this.exclude, s) && (this.includes.length === 0 || this.includes.includes("*") || this.matches(this.include, s));
            this.verdicts.set(s, verdict);
        }
        return verdict;
    }

    /** includes_excludes.go:266-268. */
    includeEverything(): boolean {
        return this.excludes.length === 0 && (this.includes.length === 0 || (this.includes.length === 1 && this.includes[0] === "*"));
    }
}

export class RestoreFilters {
    private readonly resources: IncludesExcludes;
    private readonly namespaces: IncludesExcludes;

    constructor(private readonly spec: RestoreSpec) {
        const excluded = [...(spec.excludedResources ?? [])];
        for (const r of NON_RESTORABLE) if (!excluded.includes(r)) excluded.push(r);
        this.resources = new IncludesExcludes(spec.includedResources, excluded, true);
        this.namespaces = new IncludesExcludes(spec.includedNamespaces, spec.excludedNamespaces);
    }

    /** The resource filter alone, as restoreItem checks it again for additional items (restore.go:1118-1123). */
    resourceIncluded(groupResource: string): boolean {
        return MUST_HAVE.has(groupResource) || this.resources.shouldInclude(groupResource);
    }

    /** The collection pass, restore.go:2250-2280 and 2349-2352, in that order. */
    collect(groupResource: string, obj: KubeObject): string | undefined {
        if (NON_RESTORABLE.includes(groupResource)) {
            return `Velero default: ${groupResource} are never restored (restore_controller.go:67)`;
        }
        const mustHave = MUST_HAVE.has(groupResource);
        if (!this.resources.shouldInclude(groupResource) && !mustHave) return `excluded: the Restore's resource filter leaves out ${groupResource} (restore.go:2250)`;
        const meta = record(obj.metadata);
        const namespace = str(meta.namespace) ?? "";
        if (groupResource === "namespaces") {
            // A namespace is created with the first item restored into it (restore.go:1138-1152).
            const name = str(meta.name) ?? "";
            return this.namespaces.shouldInclude(name) ? undefined : `excluded: the Restore's namespace filter leaves out ${name} (restore.go:1132)`;
        }
        if (namespace !== "" && !this.namespaces.shouldInclude(namespace) && !mustHave) {
            return `excluded: the Restore's namespace filter leaves out ${namespace} (restore.go:2265)`;
        }
        if (namespace === "" && this.spec.includeClusterResources === false) return "excluded: the Restore excludes cluster-scoped resources (restore.go:2270)";
        if (namespace === "" && this.spec.includeClusterResources !== true && !this.namespaces.includeEverything()) {
            return "excluded: cluster-scoped, and the Restore names only some namespaces (restore.go:2275)";
        }
        return undefined;
    }

    /** The label selector (restore.go:2349-2352); the caller says which label decided it. */
    selected(groupResource: string, obj: KubeObject): boolean {
        if (MUST_HAVE.has(groupResource) || !this.spec.labelSelector) return true;
        return selectorMatches(this.spec.labelSelector, stringMap(record(obj.metadata).labels));
    }
}

/** Completed Pods and Jobs (restore.go:1166-1173, isCompleted at 2154-2177). */
export function completed(groupResource: string, obj: KubeObject): string | undefined {
    if (groupResource === "pods") {
        const phase = str(record(obj.status).phase);
        if (phase === "Succeeded" || phase === "Failed") return `Velero default: the Pod has completed (phase ${phase}) (restore.go:2161)`;
    }
    if (groupResource === "jobs.batch" && str(record(obj.status).completionTime)) return "Velero default: the Job has completed (restore.go:2167)";
    return undefined;
}

/** Static Pods' mirrors belong to a node's kubelet (restore.go:1206-1209). */
export function mirrorPod(groupResource: string, obj: KubeObject): string | undefined {
    if (groupResource !== "pods") return undefined;
    return stringMap(record(obj.metadata).annotations)["kubernetes.io/config.mirror"] ? "Velero default: a mirror Pod of a static Pod (restore.go:1206)" : undefined;
}
