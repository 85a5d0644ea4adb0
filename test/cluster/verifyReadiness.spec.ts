/** When a restored object counts as ready, judged from its status as the API server returns it. */
import { strict as assert } from "node:assert";
import { readinessOf } from "../../cluster/verifyReadiness";

const deployment = (replicas: number | undefined, status: Record<string, unknown>, generation = 2) => ({ metadata: { name: "web", generation }, spec: replicas === undefined ? {} : { replicas }, status });

describe("verify: readiness", () => {
    it("Deployments: all replicas updated and available, on the latest generation; 0 replicas is ready", () => {
        assert.deepEqual(readinessOf("apps", "Deployment", deployment(2, { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 })), { ready: true });
        assert.deepEqual(readinessOf("apps", "Deployment", deployment(0, { observedGeneration: 2 })), { ready: true });
        // spec.replicas defaults to 1.
        assert.equal(readinessOf("apps", "Deployment", deployment(undefined, { observedGeneration: 2 })).ready, false);
        // A rollout in progress: old replicas available, new ones not yet.
        assert.deepEqual(readinessOf("apps", "Deployment", deployment(2, { observedGeneration: 2, updatedReplicas: 1, availableReplicas: 2 })), { ready: false, reason: "2/2 replicas available" });
        // The controller has not seen the latest spec: its counts are stale.
        assert.equal(readinessOf("apps", "Deployment", deployment(2, { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 })).ready, false);
        const failing = readinessOf("apps", "Deployment", deployment(1, { observedGeneration: 2, conditions: [{ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: 'pods "web-1" is forbidden: exceeded quota' }, { type: "Available", status: "True" }] }));
        assert.deepEqual(failing, { ready: false, reason: '0/1 replicas available; ReplicaFailure: FailedCreate: pods "web-1" is forbidden: exceeded quota' });
    });

    it("StatefulSets: all replicas ready", () => {
        assert.deepEqual(readinessOf("apps", "StatefulSet", { metadata: { generation: 1 }, spec: { replicas: 3 }, status: { observedGeneration: 1, readyReplicas: 3 } }), { ready: true });
        assert.deepEqual(readinessOf("apps", "StatefulSet", { metadata: { generation: 1 }, spec: { replicas: 3 }, status: { observedGeneration: 1, readyReplicas: 2 } }), { ready: false, reason: "2/3 replicas ready" });
    });

    it("PVCs Bound; LoadBalancer Services with an IP or a hostname, other Services at once; other kinds once they exist", () => {
        assert.deepEqual(readinessOf("", "PersistentVolumeClaim", { status: { phase: "Bound" } }), { ready: true });
        assert.deepEqual(readinessOf("", "PersistentVolumeClaim", { status: { phase: "Lost" } }), { ready: false, reason: "phase Lost (not Bound)" });
        assert.deepEqual(readinessOf("", "Service", { spec: { type: "LoadBalancer" }, status: { loadBalancer: { ingress: [{ hostname: "lb-1.clb.tencentclb.com" }] } } }), { ready: true });
        assert.equal(readinessOf("", "Service", { spec: { type: "LoadBalancer" }, status: { loadBalancer: { ingress: [{}] } } }).ready, false);
        assert.deepEqual(readinessOf("", "Service", { spec: { type: "ClusterIP" }, status: { loadBalancer: {} } }), { ready: true });
        assert.deepEqual(readinessOf("batch", "CronJob", { spec: { schedule: "0 0 * * *" } }), { ready: true });
        // A kind named like ours in another group is not judged as ours.
        assert.deepEqual(readinessOf("example.com", "Deployment", { spec: { replicas: 5 }, status: {} }), { ready: true });
    });
});
