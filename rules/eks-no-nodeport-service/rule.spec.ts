import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { applyFixes, check } from "../../test/support/rules";

const RULE = "eks-no-nodeport-service";

function service(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
    return { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop", ...metadata }, spec: { selector: { app: "web" }, ...spec } };
}

const nodePortService = () =>
    service({
        type: "NodePort",
        externalTrafficPolicy: "Cluster",
        ports: [
            { name: "http", port: 80, targetPort: 8080, nodePort: 30080 },
            { name: "metrics", port: 9090, targetPort: 9090 },
            { name: "grpc", port: 9000, targetPort: 9000, nodePort: 30900 },
        ],
    });

const CLUSTER_IP_CLEARS = ["healthCheckNodePort", "loadBalancerIP", "loadBalancerSourceRanges", "loadBalancerClass", "allocateLoadBalancerNodePorts"].map((f) => ({ op: "unset", path: `/spec/${f}` }));

/** What Velero's Service restore action does before the resource modifiers run. */
function veleroDropsAutoNodePorts(svc: KubeObject, keep: (port: Record<string, unknown>) => boolean): KubeObject {
    const out = structuredClone(svc) as { spec: { ports: Record<string, unknown>[] } };
    for (const p of out.spec.ports) if (!keep(p)) delete p.nodePort;
    return out as unknown as KubeObject;
}

describe(RULE, () => {
    describe("NodePort Services", () => {
        it("refuses type NodePort at /spec/type, as an error citing the guide", () => {
            for (const profile of ["eks", "tke-serverless"] as const) {
                const findings = check(RULE, nodePortService(), { profile });
                assert.equal(findings.length, 1);
                const [f] = findings;
                assert.equal(f.path, "/spec/type");
                assert.equal(f.severity, "error");
                assert.match(f.message, /NodePort at \/spec\/type/);
                assert.match(f.message, /迁移限制: EKS 不支持部署 NodePort 类型的服务/);
                assert.match(f.fix, /ClusterIP/);
                assert.match(f.fix, /LoadBalancer/);
            }
        });

        it("autofix: ClusterIP, and every field a ClusterIP Service may not have cleared, carried or not; the result passes", () => {
            const svc = nodePortService();
            const [f] = check(RULE, svc);
            assert.deepEqual(f.autofix, [
                { op: "set", path: "/spec/type", value: "ClusterIP" },
                { op: "unset", path: "/spec/ports/0/nodePort" },
                { op: "unset", path: "/spec/ports/1/nodePort" },
                { op: "unset", path: "/spec/ports/2/nodePort" },
                { op: "unset", path: "/spec/externalTrafficPolicy" },
                ...CLUSTER_IP_CLEARS,
            ]);
            const fixed = applyFixes(svc, [f]);
            const spec = fixed.spec as { type: string; ports: Record<string, unknown>[]; externalTrafficPolicy?: string };
            assert.equal(spec.type, "ClusterIP");
            assert.ok(spec.ports.every((p) => !("nodePort" in p)));
            assert.equal(spec.externalTrafficPolicy, undefined);
            assert.deepEqual(check(RULE, fixed), []);
        });

        it("autofix honours fixes.nodePortServiceType: LoadBalancer keeps externalTrafficPolicy", () => {
            const svc = nodePortService();
            const [f] = check(RULE, svc, { fixes: { nodePortServiceType: "LoadBalancer" } });
            assert.deepEqual(f.autofix?.[0], { op: "set", path: "/spec/type", value: "LoadBalancer" });
            const fixed = applyFixes(svc, [f]);
            assert.equal((fixed.spec as Record<string, unknown>).type, "LoadBalancer");
            assert.equal((fixed.spec as Record<string, unknown>).externalTrafficPolicy, "Cluster");
            // No explicit nodePort is left for the LoadBalancer check to flag.
            assert.deepEqual(check(RULE, fixed), []);
        });

        it("keeps externalTrafficPolicy on a ClusterIP with externalIPs (still externally reachable)", () => {
            const svc = service({ type: "NodePort", externalTrafficPolicy: "Local", externalIPs: ["10.0.0.8"], ports: [{ port: 80 }] });
            const [f] = check(RULE, svc);
            assert.deepEqual(f.autofix, [{ op: "set", path: "/spec/type", value: "ClusterIP" }, { op: "unset", path: "/spec/ports/0/nodePort" }, ...CLUSTER_IP_CLEARS]);
        });

        it("a live Service: clears every nodePort, whichever Velero's own action kept, so the fix applies after it", () => {
            // Applied with kubectl: "http" was written with its nodePort, "grpc" was not.
            const lastApplied = JSON.stringify({
                apiVersion: "v1",
                kind: "Service",
                spec: { type: "NodePort", ports: [{ name: "http", port: 80, nodePort: 30080 }, { name: "grpc", port: 9000 }] },
            });
            const svc = nodePortService();
            Object.assign(svc.metadata as object, { uid: "u-1", annotations: { "kubectl.kubernetes.io/last-applied-configuration": lastApplied } });
            const [f] = check(RULE, svc);
            assert.deepEqual(
                f.autofix?.filter((op) => op.path.includes("/ports/")),
                [0, 1, 2].map((i) => ({ op: "unset", path: `/spec/ports/${i}/nodePort` })),
            );
            for (const keep of [(p: Record<string, unknown>) => p.name === "http", () => false]) {
                const fixed = applyFixes(veleroDropsAutoNodePorts(svc, keep), [f]);
                assert.deepEqual(check(RULE, fixed), []);
                assert.ok((fixed.spec as { ports: Record<string, unknown>[] }).ports.every((p) => !("nodePort" in p)));
            }
        });

        it("reports a NodePort Service without any nodePort (the API server would allocate one)", () => {
            const [f] = check(RULE, service({ type: "NodePort", ports: [{ port: 8080 }] }));
            assert.deepEqual(f.autofix, [
                { op: "set", path: "/spec/type", value: "ClusterIP" },
                { op: "unset", path: "/spec/ports/0/nodePort" },
                { op: "unset", path: "/spec/externalTrafficPolicy" },
                ...CLUSTER_IP_CLEARS,
            ]);
        });
    });

    describe("LoadBalancer Services with explicit nodePorts", () => {
        it("one advisory finding per explicit nodePort, with its own path and removal", () => {
            const svc = service({
                type: "LoadBalancer",
                ports: [
                    { name: "http", port: 80, nodePort: 30080 },
                    { name: "https", port: 443 },
                    { name: "admin", port: 8443, nodePort: 31443 },
                ],
            });
            const findings = check(RULE, svc);
            assert.deepEqual(
                findings.map((f) => [f.path, f.severity]),
                [
                    ["/spec/ports/0/nodePort", "warning"],
                    ["/spec/ports/2/nodePort", "warning"],
                ],
            );
            assert.match(findings[0].message, /nodePort 30080 at \/spec\/ports\/0\/nodePort/);
            assert.match(findings[0].message, /迁移限制/);
            assert.deepEqual(findings[1].autofix, [{ op: "unset", path: "/spec/ports/2/nodePort" }]);
            assert.deepEqual(check(RULE, applyFixes(svc, findings)), []);
        });

        it("a live Service: nodePorts owned in managedFields are explicit, allocated ones are not", () => {
            const svc = service(
                {
                    type: "LoadBalancer",
                    ports: [
                        { name: "http", port: 80, protocol: "TCP", nodePort: 30080 },
                        { name: "dns", port: 53, protocol: "UDP", nodePort: 30053 },
                    ],
                },
                {
                    uid: "u-2",
                    resourceVersion: "77",
                    managedFields: [
                        {
                            manager: "kubectl",
                            operation: "Apply",
                            fieldsType: "FieldsV1",
                            fieldsV1: {
                                "f:spec": {
                                    "f:ports": {
                                        'k:{"port":53,"protocol":"UDP"}': { ".": {}, "f:nodePort": {}, "f:port": {}, "f:protocol": {} },
                                        'k:{"port":80,"protocol":"TCP"}': { ".": {}, "f:port": {}, "f:protocol": {} },
                                    },
                                },
                            },
                        },
                    ],
                },
            );
            assert.deepEqual(
                check(RULE, svc).map((f) => f.path),
                ["/spec/ports/1/nodePort"],
            );
        });

        it("a live Service with neither last-applied nor managedFields: Velero re-allocates every nodePort, nothing to report", () => {
            const svc = service({ type: "LoadBalancer", ports: [{ port: 80, nodePort: 30080 }] }, { uid: "u-3", creationTimestamp: "2024-05-02T08:11:09Z" });
            assert.deepEqual(check(RULE, svc), []);
        });

        it("unnamed ports match last-applied by nodePort value, as Velero does", () => {
            const lastApplied = JSON.stringify({ spec: { ports: [{ port: 80, nodePort: 30080 }] } });
            const svc = service(
                { type: "LoadBalancer", ports: [{ port: 80, nodePort: 30080 }, { port: 81, nodePort: 30081 }] },
                { annotations: { "kubectl.kubernetes.io/last-applied-configuration": lastApplied } },
            );
            assert.deepEqual(
                check(RULE, svc).map((f) => f.path),
                ["/spec/ports/0/nodePort"],
            );
        });
    });

    it("says in the fix what the restore makes of a NodePort Service, for either target type", () => {
        const why = "the serverless cluster has no nodes to open a node port on (迁移限制: EKS 不支持部署 NodePort 类型的服务)";
        const base = "use a ClusterIP Service for traffic inside the cluster, or a LoadBalancer Service (CLB) for traffic from outside";
        const lines = (target: "ClusterIP" | "LoadBalancer") => check(RULE, nodePortService(), { fixes: { nodePortServiceType: target } }).map((f) => [f.path, f.message, f.fix]);
        assert.deepEqual(lines("ClusterIP"), [["/spec/type", `Service type NodePort at /spec/type cannot be created: ${why}`, `${base}; the restore fix makes it ClusterIP and drops its nodePorts and the fields a ClusterIP Service may not have`]]);
        assert.deepEqual(lines("LoadBalancer"), [["/spec/type", `Service type NodePort at /spec/type cannot be created: ${why}`, `${base}; the restore fix makes it LoadBalancer and drops its nodePorts`]]);
    });

    it("reports a LoadBalancer's nodePort in one line, never a zero one or one a live object lets Velero re-allocate", () => {
        const lb = (metadata: Record<string, unknown> = {}) => service({ type: "LoadBalancer", ports: [{ port: 80, nodePort: 0 }, { port: 443, nodePort: 30443 }] }, metadata);
        assert.deepEqual(
            check(RULE, lb()).map((f) => [f.path, f.message, f.fix, f.severity]),
            [
                [
                    "/spec/ports/1/nodePort",
                    "LoadBalancer Service sets nodePort 30443 at /spec/ports/1/nodePort: the serverless cluster's load balancer sends traffic straight to the Pods and has no nodes to open the port on, while Velero restores an explicit nodePort as is (迁移限制: EKS 不支持部署 NodePort 类型的服务)",
                    "remove the nodePort and let the load balancer target the Pods",
                    "warning",
                ],
            ],
        );
        // Read from a cluster (any of these fields) without last-applied-configuration or managedFields: Velero drops every nodePort.
        for (const live of [{ uid: "u" }, { resourceVersion: "1" }, { creationTimestamp: "2026-01-01T00:00:00Z" }]) assert.deepEqual(check(RULE, lb(live)), [], JSON.stringify(live));
        assert.deepEqual(check(RULE, service({ type: "ClusterIP", ports: [{ port: 80, nodePort: 30080 }] })), [], "no nodePort finding outside LoadBalancers");
    });

    it("leaves ClusterIP, ExternalName, headless and non-core Services alone", () => {
        assert.deepEqual(check(RULE, service({ ports: [{ port: 80 }] })), []);
        assert.deepEqual(check(RULE, service({ type: "ExternalName", externalName: "db.example.com" })), []);
        assert.deepEqual(check(RULE, service({ clusterIP: "None", ports: [{ port: 80 }] })), []);
        const knative = { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: "hello" }, spec: { type: "NodePort" } };
        assert.deepEqual(check(RULE, knative), []);
    });

    it("does not throw on odd shapes", () => {
        const odd: KubeObject[] = [
            { apiVersion: "v1", kind: "Service" },
            { apiVersion: "v1", kind: "Service", spec: null },
            { apiVersion: "v1", kind: "Service", spec: { type: "NodePort", ports: "80" } },
            { apiVersion: "v1", kind: "Service", spec: { type: "LoadBalancer", ports: [null, 3, { nodePort: "30080" }] } },
            { apiVersion: "v1", kind: "Service", metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{" } }, spec: { type: "LoadBalancer", ports: [{ nodePort: 30080 }] } },
            { apiVersion: "v1", kind: "Service", metadata: { managedFields: [null, { fieldsV1: { "f:spec": { "f:ports": [] } } }] }, spec: { type: "LoadBalancer", ports: [{ nodePort: 30080 }] } },
        ];
        for (const o of odd) assert.doesNotThrow(() => check(RULE, o));
        assert.equal(check(RULE, odd[2]).length, 1);
    });
});
