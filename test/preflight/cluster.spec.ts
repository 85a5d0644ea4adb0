/**
 * The live-cluster input against a small API server on the loopback address that speaks the
 * Kubernetes discovery and list protocol (APIResourceList, limit/continue pagination, 403,
 * 404), reached through a real kubeconfig by the official client.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readCluster, type ClusterOptions } from "../../preflight/cluster";
import { type ScanEvent } from "../../preflight/types";
import { apiServer as loopback, kubeconfigFor as kubeconfig, type ApiServer as Server, type Obj, type ServedResource } from "../support/apiServer";
import { UserError } from "../../core/errors";

const apiServer = (opts: { status?: number } = {}) => loopback({ discovery: DISCOVERY, data: DATA, forbidden: ["/apis/apps/v1/daemonsets"], ...opts });

/** Served resources per group version; absent group versions answer 404. */
const DISCOVERY: Record<string, ServedResource[]> = {
    "/api/v1": [
        { name: "pods", kind: "Pod", namespaced: true },
        { name: "services", kind: "Service", namespaced: true },
        { name: "replicationcontrollers", kind: "ReplicationController", namespaced: true },
        { name: "podtemplates", kind: "PodTemplate", namespaced: true },
    ],
    "/apis/apps/v1": [
        { name: "deployments", kind: "Deployment", namespaced: true },
        { name: "statefulsets", kind: "StatefulSet", namespaced: true },
        { name: "replicasets", kind: "ReplicaSet", namespaced: true },
        { name: "daemonsets", kind: "DaemonSet", namespaced: true },
    ],
    // A TKE 1.20 cluster: Jobs in batch/v1, CronJobs only in batch/v1beta1.
    "/apis/batch/v1": [{ name: "jobs", kind: "Job", namespaced: true }],
    "/apis/batch/v1beta1": [{ name: "cronjobs", kind: "CronJob", namespaced: true }],
    "/apis/autoscaling/v1": [{ name: "horizontalpodautoscalers", kind: "HorizontalPodAutoscaler", namespaced: true }],
    "/apis/snapshot.storage.k8s.io/v1": [{ name: "volumesnapshotclasses", kind: "VolumeSnapshotClass", namespaced: false }],
};

const pods: Obj[] = [1, 2, 3, 4, 5].map((i) => ({
    metadata: { name: `web-${i}`, namespace: i <= 3 ? "shop" : "other", creationTimestamp: "2024-05-01T10:00:00Z" },
    spec: { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 9100 }], livenessProbe: { exec: { command: ["true"] } } }] },
}));
const DATA: Record<string, { kind: string; items: Obj[] }> = {
    "/api/v1/pods": { kind: "PodList", items: pods },
    "/api/v1/services": { kind: "ServiceList", items: [{ metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] } }] },
    "/apis/batch/v1beta1/cronjobs": { kind: "CronJobList", items: [{ metadata: { name: "nightly", namespace: "shop" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: {} } } }] },
    "/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses": { kind: "VolumeSnapshotClassList", items: [{ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "cbs" }, driver: "com.tencent.cloud.csi.cbs", deletionPolicy: "Delete", futureField: 1 } as unknown as Obj] },
};

async function collect(opts: ClusterOptions): Promise<ScanEvent[]> {
    const out: ScanEvent[] = [];
    for await (const e of readCluster(opts)) out.push(e);
    return out;
}

function items(events: ScanEvent[]) {
    return events.flatMap((e) => ("item" in e ? [e.item] : []));
}

describe("preflight: live cluster input", () => {
    let dir: string;
    let server: Server;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-cluster-"));
        server = await apiServer();
    });
    after(async () => {
        await server.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => {
        server.requests.length = 0;
    });

    it("lists every kind the rules judge, read-only and paginated, in all namespaces", async () => {
        const events = await collect({ kubeconfig: kubeconfig(dir, server.url), context: "tke-a", pageSize: 2 });
        const got = items(events);
        assert.deepEqual(
            got.map((i) => `${i.groupResource} ${String(i.obj.apiVersion)} ${String(i.obj.kind)} ${String((i.obj.metadata as { name: string }).name)}`),
            [
                ...pods.map((p) => `pods v1 Pod ${p.metadata.name}`),
                "services v1 Service web",
                "cronjobs.batch batch/v1beta1 CronJob nightly",
                "volumesnapshotclasses.snapshot.storage.k8s.io snapshot.storage.k8s.io/v1 VolumeSnapshotClass cbs",
            ],
        );
        assert.ok(got.every((i) => i.origin.cluster === "tke-a"));
        const podCalls = server.requests.filter((r) => r.path === "/api/v1/pods");
        assert.deepEqual(podCalls.map((r) => [r.query.get("limit"), r.query.get("continue")]), [["2", null], ["2", "2"], ["2", "4"]]);
        assert.ok(server.requests.every((r) => r.auth === "Bearer read-only-token"), "the kubeconfig's credentials are used");
        // Typed models come back as the API's JSON: field names, timestamps; raw custom resources keep every field.
        const pod = got[0].obj as { metadata: { creationTimestamp: string }; spec: { containers: { livenessProbe: unknown }[] } };
        assert.equal(pod.metadata.creationTimestamp, "2024-05-01T10:00:00Z");
        assert.deepEqual(pod.spec.containers[0].livenessProbe, { exec: { command: ["true"] } });
        assert.equal((got[got.length - 1].obj as { futureField?: number }).futureField, 1);
        const problems = events.flatMap((e) => ("problem" in e ? [e.problem.message] : []));
        assert.deepEqual(problems, ["not allowed to list daemonsets.apps (403 Forbidden); those objects were not scanned"]);
    });

    it("lists only the selected namespaces, and no cluster-scoped kinds", async () => {
        const got = items(await collect({ kubeconfig: kubeconfig(dir, server.url), context: "tke-a", namespaces: ["other"] }));
        assert.deepEqual(got.map((i) => String((i.obj.metadata as { name: string }).name)), ["web-4", "web-5"]);
        assert.ok(server.requests.some((r) => r.path === "/api/v1/namespaces/other/pods"));
        assert.ok(!server.requests.some((r) => r.path.includes("volumesnapshotclasses")));
    });

    it("uses the kubeconfig's current context when none is given", async () => {
        const got = items(await collect({ kubeconfig: kubeconfig(dir, server.url) }));
        assert.equal(got[0].origin.cluster, "elsewhere");
    });

    it("fails with one line on a bad kubeconfig, a wrong context, refused credentials or an unreachable cluster", async () => {
        const expect = (opts: ClusterOptions, pattern: RegExp) =>
            assert.rejects(collect(opts), (err: unknown) => err instanceof UserError && pattern.test(err.message) && !err.message.includes("\n"));
        await expect({ kubeconfig: path.join(dir, "missing") }, /^kubeconfig .*missing: no such file$/);
        const garbage = path.join(dir, "garbage");
        fs.writeFileSync(garbage, "clusters: [unclosed\n");
        await expect({ kubeconfig: garbage }, /^kubeconfig .*garbage: /);
        await expect({ kubeconfig: kubeconfig(dir, server.url), context: "prod" }, /no context "prod" \(contexts: tke-a, elsewhere\)/);

        const refusing = await apiServer({ status: 401 });
        try {
            await expect({ kubeconfig: kubeconfig(dir, refusing.url), context: "tke-a" }, /^cluster http:\/\/127\.0\.0\.1:\d+ \(context tke-a\) refused the credentials \(401 Unauthorized\) to discover the core API \(GET \/api\)$/);
        } finally {
            await refusing.close();
        }

        const gone = await apiServer();
        const url = gone.url;
        await gone.close();
        await expect({ kubeconfig: kubeconfig(dir, url), context: "tke-a" }, new RegExp(`^cannot discover the core API \\(GET /api\\) on cluster ${url.replace(/[.]/g, "\\.")} \\(context tke-a\\): connection refused`));
    });
});
