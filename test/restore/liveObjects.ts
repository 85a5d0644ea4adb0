/**
 * Objects as a live cluster A serves them and Velero backs them up: what `kubectl apply`
 * wrote plus what the API server and the controllers add (uid, resourceVersion,
 * managedFields, last-applied-configuration, status, Service defaults and auto-assigned
 * nodePorts, the ReplicaSets and Pods of Deployments, the Pods of StatefulSets and
 * DaemonSets with their hash labels and owner references).
 */
import { createHash } from "node:crypto";
import type { BackupItem } from "../preflight/backupTarball";
import { groupResourceOf } from "../../modifiers/groupResources";
import type { KubeObject } from "../../rules/types";

type Obj = Record<string, unknown>;

const GROUP_RESOURCES: Record<string, string> = {
    Namespace: "namespaces",
    PersistentVolumeClaim: "persistentvolumeclaims",
    PersistentVolume: "persistentvolumes",
    ConfigMap: "configmaps",
    Secret: "secrets",
    ServiceAccount: "serviceaccounts",
    Event: "events",
    ControllerRevision: "controllerrevisions.apps",
    VolumeSnapshot: "volumesnapshots.snapshot.storage.k8s.io",
    VolumeSnapshotContent: "volumesnapshotcontents.snapshot.storage.k8s.io",
    DataUpload: "datauploads.velero.io",
    APIService: "apiservices.apiregistration.k8s.io",
    Job: "jobs.batch",
    CronJob: "cronjobs.batch",
};

export function groupResourceFor(obj: KubeObject): string {
    const kind = String(obj.kind);
    const gr = GROUP_RESOURCES[kind] ?? groupResourceOf(String(obj.apiVersion), kind);
    if (!gr) throw new Error(`no group-resource for ${kind}`);
    return gr;
}

function hash(text: string, n = 10): string {
    return createHash("sha256").update(text).digest("hex").slice(0, n);
}

function uid(seed: string): string {
    const h = hash(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

let resourceVersion = 100000;

/** What the API server adds to every object, and kubectl's record of what was applied. */
export function served(applied: Obj, extra: Obj = {}): Obj {
    const meta = { ...((applied.metadata as Obj | undefined) ?? {}) };
    const id = `${String(applied.kind)}/${String(meta.namespace ?? "")}/${String(meta.name)}`;
    const lastApplied = JSON.stringify(applied);
    return {
        ...applied,
        ...extra,
        metadata: {
            ...meta,
            annotations: { ...((meta.annotations as Obj | undefined) ?? {}), "kubectl.kubernetes.io/last-applied-configuration": lastApplied },
            uid: uid(id),
            resourceVersion: String(resourceVersion++),
            creationTimestamp: "2025-03-14T08:21:09Z",
            generation: 1,
            managedFields: [{ manager: "kubectl-client-side-apply", operation: "Update", apiVersion: String(applied.apiVersion), time: "2025-03-14T08:21:09Z", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:annotations": {} } } }],
            ...((extra.metadata as Obj | undefined) ?? {}),
        },
    };
}

/** A controller-made object: no last-applied-configuration, an owner reference. */
function owned(obj: Obj, owner: Obj): Obj {
    const meta = obj.metadata as Obj;
    const ownerMeta = owner.metadata as Obj;
    return {
        ...obj,
        metadata: {
            ...meta,
            uid: uid(`${String(obj.kind)}/${String(meta.namespace)}/${String(meta.name)}`),
            resourceVersion: String(resourceVersion++),
            creationTimestamp: "2025-03-14T08:21:10Z",
            ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: ownerMeta.name, uid: ownerMeta.uid, controller: true, blockOwnerDeletion: true }],
            managedFields: [{ manager: "kube-controller-manager", operation: "Update", apiVersion: obj.apiVersion, time: "2025-03-14T08:21:10Z", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:ownerReferences": {} } } }],
        },
    };
}

/**
 * A Service as the API server stores it: clusterIP(s), IP families, session affinity,
 * internal traffic policy, and on NodePort/LoadBalancer an externalTrafficPolicy and a
 * nodePort for every port that did not ask for one.
 */
export function servedService(applied: Obj, n = 0): Obj {
    const spec = { ...(applied.spec as Obj) };
    const external = spec.type === "NodePort" || spec.type === "LoadBalancer";
    const headless = spec.clusterIP === "None";
    const ip = headless ? "None" : `10.96.12.${10 + n}`;
    const ports = ((spec.ports as Obj[] | undefined) ?? []).map((p, i) => ({
        protocol: "TCP",
        targetPort: p.port,
        ...p,
        ...(external && p.nodePort === undefined ? { nodePort: 31000 + n * 10 + i } : {}),
    }));
    const defaults: Obj = {
        clusterIP: ip,
        clusterIPs: [ip],
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        sessionAffinity: "None",
        internalTrafficPolicy: "Cluster",
        type: "ClusterIP",
    };
    if (external) defaults.externalTrafficPolicy = "Cluster";
    if (spec.type === "LoadBalancer") defaults.allocateLoadBalancerNodePorts = true;
    const status = spec.type === "LoadBalancer" ? { loadBalancer: { ingress: [{ ip: `203.0.113.${10 + n}` }] } } : { loadBalancer: {} };
    return served(applied, { spec: { ...defaults, ...spec, ports }, status });
}

function podFrom(template: Obj, name: string, namespace: string, labels: Obj, node: string): Obj {
    const tmeta = (template.metadata as Obj | undefined) ?? {};
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels: { ...((tmeta.labels as Obj | undefined) ?? {}), ...labels }, ...(tmeta.annotations ? { annotations: tmeta.annotations } : {}) },
        spec: { ...(template.spec as Obj), nodeName: node, priority: 0, serviceAccountName: "default" },
        status: { phase: "Running", podIP: "172.16.0.20", hostIP: "10.0.1.23", qosClass: "Burstable" },
    };
}

/** A workload with what its controllers made from it. */
export function servedWorkload(applied: Obj): Obj[] {
    const obj = served(applied, { status: { observedGeneration: 1, replicas: (applied.spec as Obj).replicas ?? 1 } });
    const meta = obj.metadata as Obj;
    const ns = String(meta.namespace);
    const name = String(meta.name);
    const spec = applied.spec as Obj;
    const template = spec.template as Obj;
    const replicas = Number(spec.replicas ?? 1);
    const out: Obj[] = [obj];
    if (applied.kind === "Deployment") {
        const podHash = hash(JSON.stringify(template), 10);
        const rsName = `${name}-${podHash}`;
        const tlabels = ((template.metadata as Obj).labels ?? {}) as Obj;
        const rs = owned(
            {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                metadata: { name: rsName, namespace: ns, labels: { ...tlabels, "pod-template-hash": podHash }, annotations: { "deployment.kubernetes.io/revision": "1" } },
                spec: { replicas, selector: { matchLabels: { ...((spec.selector as Obj).matchLabels as Obj), "pod-template-hash": podHash } }, template: { ...template, metadata: { ...(template.metadata as Obj), labels: { ...tlabels, "pod-template-hash": podHash } } } },
                status: { replicas, readyReplicas: replicas },
            },
            obj,
        );
        out.push(rs);
        for (let i = 0; i < replicas; i++) out.push(owned(podFrom(template, `${rsName}-${hash(`${rsName}${i}`, 5)}`, ns, { "pod-template-hash": podHash }, `10.0.1.${20 + i}`), rs));
    } else if (applied.kind === "StatefulSet") {
        const rev = `${name}-${hash(JSON.stringify(template), 10)}`;
        for (let i = 0; i < replicas; i++) {
            out.push(owned(podFrom(template, `${name}-${i}`, ns, { "controller-revision-hash": rev, "statefulset.kubernetes.io/pod-name": `${name}-${i}` }, `10.0.1.${30 + i}`), obj));
        }
    } else if (applied.kind === "DaemonSet") {
        const rev = hash(JSON.stringify(template), 10);
        out.push(owned({ apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: `${name}-${rev}`, namespace: ns, labels: { ...(((template.metadata as Obj).labels ?? {}) as Obj), "controller-revision-hash": rev } }, revision: 1, data: {} }, obj));
        for (const node of ["10.0.1.21", "10.0.1.22"]) {
            out.push(owned(podFrom(template, `${name}-${hash(node, 5)}`, ns, { "controller-revision-hash": rev, "pod-template-generation": "1" }, node), obj));
        }
    }
    return out;
}

/** Every applied manifest as the cluster serves it, workloads with their children. */
export function servedCluster(applied: readonly Obj[]): Obj[] {
    let services = 0;
    return applied.flatMap((a) => {
        switch (a.kind) {
            case "Service":
                return [servedService(a, services++)];
            case "Deployment":
            case "StatefulSet":
            case "DaemonSet":
                return servedWorkload(a);
            case "Namespace":
                return [served({ ...a, metadata: { ...(a.metadata as Obj), labels: { "kubernetes.io/metadata.name": (a.metadata as Obj).name } } }, { status: { phase: "Active" } })];
            case "PersistentVolumeClaim":
                return [served(a, { spec: { ...(a.spec as Obj), volumeName: `pvc-${hash(String((a.metadata as Obj).name), 8)}` }, status: { phase: "Bound" } })];
            default:
                return [served(a)];
        }
    });
}

export function backupItems(objects: readonly Obj[]): BackupItem[] {
    return objects.map((obj) => ({ groupResource: groupResourceFor(obj), obj, versions: { preferred: String(obj.apiVersion).split("/").pop() ?? "v1" } }));
}
