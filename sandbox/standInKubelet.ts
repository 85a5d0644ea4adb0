/**
 * The stand-in for kubelet and the scheduler, as kwok stands in for them: Node objects that
 * report Ready, Pending Pods bound to a node (a DaemonSet's Pod to the node its affinity names),
 * bound Pods marked Running and Ready (a Job's Pods Succeeded), deleted Pods removed. No
 * container runs: what the controllers and Velero see are real API objects with the server's
 * defaults, and the status a healthy kubelet would report. It also stands in for a CSI
 * external-provisioner: a claim of a StorageClass with a provisioner gets a PV made for it
 * (bound by the controller-manager's PV controller), as a dynamically provisioned disk would;
 * and for the cloud's load-balancer controller: a LoadBalancer Service gets an address.
 */
import type { KubeApi } from "./kubeApi";
import { array, record } from "../rules/objects";

type Obj = Record<string, unknown>;


/** The nodes each cluster gets: enough for a Deployment to spread and a DaemonSet to run twice. */
export function nodeNames(cluster: string, count = 2): string[] {
    return Array.from({ length: count }, (_, i) => `${cluster}-node-${i + 1}`);
}

function nodeObject(name: string, index: number): Obj {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "node.kubernetes.io/instance-type": "sandbox" } },
        spec: {},
        status: nodeStatus(index),
    };
}

function nodeStatus(index: number): Obj {
    const now = new Date().toISOString();
    const capacity = { cpu: "16", memory: "64Gi", pods: "110", "ephemeral-storage": "100Gi" };
    return {
        capacity,
        allocatable: capacity,
        addresses: [{ type: "InternalIP", address: `127.0.0.${index + 10}` }],
        conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "stand-in kubelet (tke2eks sandbox)", lastHeartbeatTime: now, lastTransitionTime: now }],
        nodeInfo: { kubeletVersion: "sandbox", containerRuntimeVersion: "none://", operatingSystem: "linux", architecture: "amd64", osImage: "tke2eks sandbox", kernelVersion: "", kubeProxyVersion: "", machineID: "", systemUUID: "", bootID: "" },
    };
}

/** The node a DaemonSet Pod is pinned to: the daemon controller names it by `metadata.name` field affinity. */
export function pinnedNode(pod: Obj): string | undefined {
    const terms = array(record(record(record(record(pod.spec).affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms);
    for (const term of terms) {
        for (const field of array(record(term).matchFields)) {
            const f = record(field);
            if (f.key === "metadata.name" && f.operator === "In" && typeof array(f.values)[0] === "string") return array(f.values)[0] as string;
        }
    }
    return undefined;
}

/** The PV an external-provisioner would create for a claim of `storageClass` (no disk behind it). */
export function provisionedVolume(claim: Obj, storageClass: Obj): Obj {
    const meta = record(claim.metadata);
    const spec = record(claim.spec);
    const provisioner = String(storageClass.provisioner);
    return {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: `pvc-${String(meta.uid)}`, annotations: { "pv.kubernetes.io/provisioned-by": provisioner } },
        spec: {
            capacity: { storage: record(record(spec.resources).requests).storage ?? "1Gi" },
            accessModes: spec.accessModes,
            volumeMode: spec.volumeMode ?? "Filesystem",
            persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? "Delete",
            storageClassName: spec.storageClassName,
            claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: meta.namespace, name: meta.name, uid: meta.uid },
            csi: { driver: provisioner, volumeHandle: `sandbox-${String(meta.uid)}`, fsType: "ext4" },
        },
    };
}

const isJobPod = (pod: Obj): boolean => array(record(pod.metadata).ownerReferences).some((o) => record(o).kind === "Job");

/** The status a kubelet reports for a Pod whose containers all started (or, for a Job, all exited 0). */
export function runningStatus(pod: Obj, node: { name: string; ip: string }, podIp: string): Obj {
    const now = new Date().toISOString();
    const done = isJobPod(pod);
    const containers = array(record(pod.spec).containers).map(record);
    const condition = (type: string, status: boolean) => ({ type, status: status ? "True" : "False", lastProbeTime: null, lastTransitionTime: now, ...(status ? {} : { reason: "PodCompleted" }) });
    return {
        phase: done ? "Succeeded" : "Running",
        hostIP: node.ip,
        hostIPs: [{ ip: node.ip }],
        podIP: podIp,
        podIPs: [{ ip: podIp }],
        startTime: now,
        qosClass: record(pod.status).qosClass,
        conditions: [condition("PodScheduled", true), condition("Initialized", true), condition("ContainersReady", !done), condition("Ready", !done)],
        containerStatuses: containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: `sandbox://${String(c.image)}`,
            containerID: `sandbox://${String(c.name)}`,
            ready: !done,
            started: !done,
            restartCount: 0,
            state: done ? { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now } } : { running: { startedAt: now } },
        })),
    };
}

export class StandInKubelet {
    private readonly nodes: string[];
    private next = 0;
    private ipCounter = 0;
    private stopped = false;
    private loop: Promise<void> | undefined;

    constructor(
        private readonly api: KubeApi,
        cluster: string,
        private readonly log: (line: string) => void = () => {},
    ) {
        this.nodes = nodeNames(cluster);
    }

    /** Registers the nodes, then keeps the Pods moving until `stop`. */
    async start(): Promise<void> {
        for (const [i, name] of this.nodes.entries()) {
            const existing = await this.api.request("GET", `/api/v1/nodes/${name}`);
            if (existing.status === 404) await this.api.must("POST", "/api/v1/nodes", nodeObject(name, i));
            // Status is a subresource: the create above drops it.
            await this.api.must("PATCH", `/api/v1/nodes/${name}/status`, { status: nodeStatus(i) }, "application/merge-patch+json");
        }
        this.loop = this.run();
    }

    async stop(): Promise<void> {
        this.stopped = true;
        await this.loop;
    }

    private async run(): Promise<void> {
        while (!this.stopped) {
            try {
                await this.tick();
            } catch (err) {
                // A missed round is retried on the next one; the server may be restarting.
                this.log(`stand-in kubelet: ${(err as Error).message}`);
            }
            await new Promise((r) => setTimeout(r, 300));
        }
    }

    /** One round: provision the claims waiting for a volume, then every Pod: remove the deleted, bind the pending, start the bound. */
    async tick(): Promise<void> {
        await this.provision();
        await this.balance();
        const pods = array(record(await this.api.must("GET", "/api/v1/pods")).items).map(record);
        for (const pod of pods) {
            const meta = record(pod.metadata);
            const at = `/api/v1/namespaces/${String(meta.namespace)}/pods/${String(meta.name)}`;
            const spec = record(pod.spec);
            const status = record(pod.status);
            if (meta.deletionTimestamp) {
                // What kubelet does once the containers are gone: the final delete, no grace left.
                await this.api.request("DELETE", at, { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0 });
            } else if (!spec.nodeName) {
                const node = pinnedNode(pod) ?? this.nodes[this.next++ % this.nodes.length];
                await this.api.request("POST", `${at}/binding`, { apiVersion: "v1", kind: "Binding", metadata: { name: meta.name }, target: { apiVersion: "v1", kind: "Node", name: node } });
            } else if (status.phase === "Pending" || status.phase === undefined) {
                const index = Math.max(0, this.nodes.indexOf(String(spec.nodeName)));
                const ip = `10.244.${index}.${(this.ipCounter++ % 250) + 2}`;
                const node = { name: String(spec.nodeName), ip: `127.0.0.${index + 10}` };
                await this.api.request("PATCH", `${at}/status`, { status: runningStatus(pod, node, spec.hostNetwork === true ? node.ip : ip) }, "application/merge-patch+json");
            }
        }
    }

    /** What the cloud's controller reports once the load balancer exists: an address in status (nothing answers on it). */
    private async balance(): Promise<void> {
        const services = array(record(await this.api.must("GET", "/api/v1/services")).items).map(record);
        for (const svc of services) {
            if (record(svc.spec).type !== "LoadBalancer" || array(record(record(svc.status).loadBalancer).ingress).length > 0) continue;
            const meta = record(svc.metadata);
            const status = { loadBalancer: { ingress: [{ ip: `127.0.1.${(this.ipCounter++ % 250) + 2}`, ipMode: "VIP" }] } };
            await this.api.request("PATCH", `/api/v1/namespaces/${String(meta.namespace)}/services/${String(meta.name)}/status`, { status }, "application/merge-patch+json");
        }
    }

    private async provision(): Promise<void> {
        const claims = array(record(await this.api.must("GET", "/api/v1/persistentvolumeclaims")).items)
            .map(record)
            .filter((c) => record(c.status).phase === "Pending" && !record(c.spec).volumeName && typeof record(c.spec).storageClassName === "string");
        if (claims.length === 0) return;
        const classes = new Map(array(record(await this.api.must("GET", "/apis/storage.k8s.io/v1/storageclasses")).items).map((c) => [String(record(record(c).metadata).name), record(c)]));
        for (const claim of claims) {
            const storageClass = classes.get(String(record(claim.spec).storageClassName));
            if (!storageClass || storageClass.provisioner === "kubernetes.io/no-provisioner") continue;
            const pv = provisionedVolume(claim, storageClass);
            const answer = await this.api.request("POST", "/api/v1/persistentvolumes", pv);
            // 409: made on an earlier round, the PV controller has not bound it yet.
            if (answer.status !== 201 && answer.status !== 409) this.log(`stand-in provisioner: PV for ${String(record(claim.metadata).namespace)}/${String(record(claim.metadata).name)}: HTTP ${answer.status}`);
        }
    }
}
