/**
 * What Velero v1.18.2 does to an item between reading it from the backup and the resource
 * modifiers: metadata and status reset, then the built-in restore item actions that change
 * objects, then the PVC binding reset. Each works on a copy and cites the code it follows.
 */
import { array, isRecord, record, str, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { lastApplied, veleroKeepsNodePort } from "../rules/veleroNodePorts";
import type { RestoreSpec } from "./filters";

/** resetMetadata + resetStatus (restore.go:2102-2134), called at restore.go:1315. */
export function resetMetadataAndStatus(obj: KubeObject): KubeObject {
    const out: KubeObject = { ...obj };
    const meta = { ...record(obj.metadata) };
    for (const k of ["generateName", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences"]) delete meta[k];
    out.metadata = meta;
    delete out.status;
    return out;
}

/** healthCheckNodePort kept only when set explicitly (service_action.go:82-146). */
function keepsHealthCheckNodePort(svc: KubeObject): boolean {
    const applied = lastApplied(svc);
    if (applied !== undefined && Number(record(applied.spec).healthCheckNodePort) > 0) return true;
    return array(record(svc.metadata).managedFields).some((e) => isRecord(e) && "f:healthCheckNodePort" in record(record(record(e).fieldsV1)["f:spec"]));
}

/** The Service action (pkg/restore/actions/service_action.go:51-80). */
export function serviceAction(svc: KubeObject, spec: RestoreSpec): KubeObject {
    const s = { ...record(svc.spec) };
    if (s.clusterIP !== "None") {
        delete s.clusterIP;
        delete s.clusterIPs;
    }
    if (spec.preserveNodePorts !== true) {
        if (s.type !== "ExternalName") {
            // Neither annotation nor managedFields: every nodePort was allocated, so none is kept.
            const keep = veleroKeepsNodePort(svc) ?? (() => false);
            s.ports = array(s.ports).map((p) => {
                if (!isRecord(p) || p.nodePort === undefined || keep(p)) return p;
                const rest = { ...p };
                delete rest.nodePort;
                return rest;
            });
        }
        if (s.type === "LoadBalancer" && s.externalTrafficPolicy === "Local" && Number(s.healthCheckNodePort) > 0 && !keepsHealthCheckNodePort(svc)) {
            delete s.healthCheckNodePort;
        }
    }
    if (array(s.ports).length === 0 && s.ports !== undefined) delete s.ports;
    return { ...svc, spec: s };
}

/** The Pod action (pkg/restore/actions/pod_action.go:46-96). */
export function podAction(pod: KubeObject): KubeObject {
    const s = { ...record(pod.spec) };
    delete s.nodeName;
    delete s.priority;
    const tokenPrefix = `${str(s.serviceAccountName) ?? ""}-token-`;
    const notToken = (v: unknown) => !(isRecord(v) && (str(v.name) ?? "").startsWith(tokenPrefix));
    if (s.volumes !== undefined) s.volumes = array(s.volumes).filter(notToken);
    for (const key of ["containers", "initContainers"]) {
        if (s[key] === undefined) continue;
        s[key] = array(s[key]).map((c) => (isRecord(c) && c.volumeMounts !== undefined ? { ...c, volumeMounts: array(c.volumeMounts).filter(notToken) } : c));
    }
    return { ...pod, spec: s };
}

/** The ServiceAccount action drops its first auto-created token secret (service_account_action.go:46-75). */
export function serviceAccountAction(sa: KubeObject): KubeObject {
    const prefix = `${str(record(sa.metadata).name) ?? ""}-token-`;
    const secrets = array(sa.secrets);
    const i = secrets.findLastIndex((s) => isRecord(s) && (str(s.name) ?? "").startsWith(prefix));
    return i < 0 ? sa : { ...sa, secrets: secrets.filter((_, j) => j !== i) };
}

/**
 * The Secret action (secret_action.go:57-107) on a service-account token secret it keeps (which
 * it skips is restore/veleroModel.ts's to say): the token goes, B's controller fills it anew.
 */
export function secretAction(secret: KubeObject): KubeObject {
    if (secret.type !== "kubernetes.io/service-account-token") return secret;
    const meta = record(secret.metadata);
    const annotations = { ...stringMap(meta.annotations) };
    delete annotations["kubernetes.io/service-account.uid"];
    const data = { ...record(secret.data) };
    delete data.token;
    delete data["ca.crt"];
    return { ...secret, metadata: { ...meta, annotations }, data };
}

/** The Job action drops the old controller-uid from selector and template (job_action.go:48-67). */
export function jobAction(job: KubeObject): KubeObject {
    const uids = ["batch.kubernetes.io/controller-uid", "controller-uid"];
    const s = { ...record(job.spec) };
    const selector = record(s.selector);
    if (isRecord(s.selector) && isRecord(selector.matchLabels)) {
        s.selector = { ...selector, matchLabels: Object.fromEntries(Object.entries(selector.matchLabels).filter(([k]) => !uids.includes(k))) };
    }
    const tpl = record(s.template);
    const tplMeta = record(tpl.metadata);
    if (isRecord(tplMeta.labels)) {
        s.template = { ...tpl, metadata: { ...tplMeta, labels: Object.fromEntries(Object.entries(tplMeta.labels).filter(([k]) => !uids.includes(k))) } };
    }
    return { ...job, spec: s };
}

const PVC_ANNOTATIONS = [
    "pv.kubernetes.io/bind-completed",
    "pv.kubernetes.io/bound-by-controller",
    "volume.kubernetes.io/storage-provisioner",
    "volume.beta.kubernetes.io/storage-provisioner",
    "volume.kubernetes.io/selected-node",
    "velero.io/volume-snapshot-name",
    "velero.io/data-upload-name",
];

/**
 * The PVC action (pvc_action.go:75-131) drops binding annotations; then restore.go:1441-1460
 * drops the claim's binding (resetVolumeBindingInfo, restore.go:2078-2100).
 */
export function pvcAction(pvc: KubeObject): KubeObject {
    const meta = record(pvc.metadata);
    const annotations = Object.fromEntries(Object.entries(stringMap(meta.annotations)).filter(([k]) => !PVC_ANNOTATIONS.includes(k)));
    const out: KubeObject = { ...pvc, metadata: { ...meta, annotations } };
    const spec = record(pvc.spec);
    if (str(spec.volumeName)) {
        const claimRef = isRecord(spec.claimRef) ? { ...spec.claimRef } : undefined;
        if (claimRef) {
            delete claimRef.uid;
            delete claimRef.resourceVersion;
        }
        out.spec = { ...spec, ...(claimRef ? { claimRef } : {}) };
    }
    return out;
}

/** Every built-in action that changes objects, applied as Velero picks them by resource (restore.go:1322-1360). */
export function runActions(groupResource: string, obj: KubeObject, spec: RestoreSpec): KubeObject {
    switch (groupResource) {
        case "services":
            return serviceAction(obj, spec);
        case "pods":
            return podAction(obj);
        case "serviceaccounts":
            return serviceAccountAction(obj);
        case "secrets":
            return secretAction(obj);
        case "jobs.batch":
            return jobAction(obj);
        case "persistentvolumeclaims":
            return pvcAction(obj);
        default:
            return obj;
    }
}
