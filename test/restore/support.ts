/** Shared by the restore-preview specs: running the command in-process, and a busy namespace as cluster A serves it. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { runRestorePreview, type RestorePreviewOptions } from "../../cli/restorePreview";
import { served, servedService, servedWorkload } from "./liveObjects";

type Obj = Record<string, unknown>;

export interface PreviewJson {
    backup: string;
    veleroVersion: string;
    summary: Record<string, number>;
    objects: { apiVersion: string; kind: string; namespace?: string; name: string; outcome: string; reasons: string[]; restoredAs?: Obj; volumeData?: string }[];
}

export async function preview(opts: RestorePreviewOptions, tty = false): Promise<{ code: number; stdout: string }> {
    const out = new PassThrough() as PassThrough & { isTTY?: boolean };
    out.isTTY = tty;
    const chunks: string[] = [];
    out.on("data", (c: Buffer) => chunks.push(c.toString()));
    const code = await runRestorePreview(opts, { stdout: out });
    return { code, stdout: chunks.join("") };
}

const container = (name: string, port: number, extra: Obj = {}) => ({ name, image: `ccr.ccs.tencentyun.com/shop/${name}:1.0.0`, ports: [{ containerPort: port, name: "http", protocol: "TCP", ...extra }] });

function bare(name: string, spec: Obj, meta: Obj = {}, status: Obj = { phase: "Running" }): Obj {
    return served({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "shop", ...meta }, spec: { serviceAccountName: "default", nodeName: "10.0.1.40", ...spec } }, { status });
}

/** A busy namespace: one object for every path through the pipeline. */
export function shopCluster(): Obj[] {
    const fixedIp = { "tke.cloud.tencent.com/networks": "tke-route-eni", "tke.cloud.tencent.com/vpc-ip-claim-delete-policy": "Never" };
    return [
        served({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { "kubernetes.io/metadata.name": "shop" } } }, { status: { phase: "Active" } }),
        ...servedWorkload({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
            spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" }, annotations: fixedIp }, spec: { containers: [container("web", 8080)] } } },
        }),
        // Applied without a nodePort: the API server picked one, and defaulted externalTrafficPolicy.
        servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] } }, 0),
        // Applied with a nodePort: Velero keeps it, the fix removes it.
        servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "admin", namespace: "shop" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "http", port: 81, targetPort: "http", nodePort: 30081 }] } }, 1),
        servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "edge", namespace: "shop" }, spec: { type: "LoadBalancer", externalTrafficPolicy: "Local", selector: { app: "web" }, ports: [{ name: "https", port: 443, targetPort: 8443 }] } }, 2),
        servedService({ apiVersion: "v1", kind: "Service", metadata: { name: "orders", namespace: "shop" }, spec: { clusterIP: "None", selector: { app: "orders" }, ports: [{ port: 7000 }] } }, 3),
        ...servedWorkload({
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { name: "orders", namespace: "shop", annotations: { "tke.cloud.tencent.com/enable-static-ip": "true" } },
            spec: { serviceName: "orders", replicas: 1, selector: { matchLabels: { app: "orders" } }, template: { metadata: { labels: { app: "orders" } }, spec: { containers: [container("orders", 7000)] } } },
        }),
        ...servedWorkload({
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            metadata: { name: "log-agent", namespace: "shop" },
            spec: { selector: { matchLabels: { app: "log-agent" } }, template: { metadata: { labels: { app: "log-agent" } }, spec: { containers: [container("log-agent", 2020)] } } },
        }),
        bare("debug", { containers: [container("debug", 8080, { hostPort: 8080 })] }),
        bare("metrics", { containers: [container("metrics", 9100)] }),
        bare("migrate-db", { containers: [container("migrate", 8080)], restartPolicy: "Never" }, {}, { phase: "Succeeded" }),
        bare("static-proxy-10.0.1.40", { containers: [container("proxy", 8081)] }, { annotations: { "kubernetes.io/config.mirror": "4d1c5c2c" } }),
        served(
            {
                apiVersion: "v1",
                kind: "Pod",
                metadata: { name: "report-x7k2p", namespace: "shop", labels: { "job-name": "report", "controller-uid": "0b7c", "batch.kubernetes.io/job-name": "report" }, ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "report", uid: "0b7c", controller: true }] },
                spec: { serviceAccountName: "default", nodeName: "10.0.1.41", restartPolicy: "Never", containers: [container("report", 8080)] },
            },
            { status: { phase: "Running" } },
        ),
        served({ apiVersion: "v1", kind: "Event", metadata: { name: "web.17c2a", namespace: "shop" }, reason: "Scheduled", involvedObject: { kind: "Pod", name: "web" } }),
        served({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web-config", namespace: "shop" }, data: { "app.properties": "log.level=info\n" } }),
        served({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "web", namespace: "shop" }, secrets: [{ name: "web-token-8x2pq" }] }),
        served({ apiVersion: "v1", kind: "Secret", metadata: { name: "default-token-4kq9z", namespace: "shop", annotations: { "kubernetes.io/service-account.name": "default" } }, type: "kubernetes.io/service-account-token", data: { token: "dG9rZW4=" } }),
        served(
            { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "shop", annotations: { "pv.kubernetes.io/bind-completed": "yes" } }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, storageClassName: "cbs-csi", volumeName: "pvc-1a2b" } },
            { status: { phase: "Bound" } },
        ),
        served({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pvc-1a2b" }, spec: { capacity: { storage: "10Gi" }, csi: { driver: "com.tencent.cloud.csi.cbs", volumeHandle: "disk-1a2b" }, claimRef: { namespace: "shop", name: "data" } } }, { status: { phase: "Bound" } }),
    ];
}

export function tmpdir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-restore-"));
}

