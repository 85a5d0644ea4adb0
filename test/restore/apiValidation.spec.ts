/**
 * The API validation model against Kubernetes' own test cases: TestValidateServiceCreate in
 * kubernetes/kubernetes pkg/apis/core/validation/validation_test.go (read at 000f260), each
 * case by its name and expected error count, on the v1 object the restore sends (the
 * server's v1 defaults apply first). Cases about fields the model does not cover (names,
 * annotations, IP families, source-range syntax) are left out.
 */
import { strict as assert } from "node:assert";
import { apiValidation, validateService } from "../../restore/apiValidation";

type Spec = Record<string, unknown>;
type Port = Record<string, unknown>;

/** makeValidService's shape: one TCP port named p, ClusterIP, session affinity None. */
function base(): { apiVersion: string; kind: string; metadata: Spec; spec: Spec & { ports: Port[] } } {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "valid", namespace: "default" },
        spec: { selector: { key: "val" }, sessionAffinity: "None", type: "ClusterIP", internalTrafficPolicy: "Cluster", ports: [{ name: "p", protocol: "TCP", port: 8675, targetPort: 8675 }] },
    };
}

const port = (name: string, p: number, protocol: string, nodePort?: number): Port => ({ name, port: p, protocol, targetPort: p, ...(nodePort === undefined ? {} : { nodePort }) });
const nodePortType = (s: Spec) => Object.assign(s, { type: "NodePort", externalTrafficPolicy: "Cluster" });
const lbType = (s: Spec) => Object.assign(s, { type: "LoadBalancer", externalTrafficPolicy: "Cluster", allocateLoadBalancerNodePorts: true });

const CASES: { name: string; tweak: (s: Spec & { ports: Port[] }) => void; numErrs: number }[] = [
    { name: "duplicate nodeports", tweak: (s) => (nodePortType(s), s.ports.push(port("q", 1, "TCP", 1), port("r", 2, "TCP", 1))), numErrs: 1 },
    { name: "duplicate nodeports (different protocols)", tweak: (s) => (nodePortType(s), s.ports.push(port("q", 1, "TCP", 1), port("r", 2, "UDP", 1), port("s", 3, "SCTP", 1))), numErrs: 0 },
    { name: "invalid duplicate ports (with same protocol)", tweak: (s) => s.ports.push(port("q", 12345, "TCP"), port("r", 12345, "TCP")), numErrs: 1 },
    { name: "valid duplicate ports (with different protocols)", tweak: (s) => s.ports.push(port("q", 12345, "TCP"), port("r", 12345, "UDP"), port("s", 12345, "SCTP")), numErrs: 0 },
    { name: "valid type - cluster", tweak: (s) => (s.type = "ClusterIP"), numErrs: 0 },
    { name: "valid type - nodeport", tweak: (s) => nodePortType(s), numErrs: 0 },
    { name: "valid type - loadbalancer with allocateLoadBalancerNodePorts=true", tweak: (s) => lbType(s), numErrs: 0 },
    { name: "valid type loadbalancer with NodePort", tweak: (s) => (lbType(s), s.ports.push(port("q", 12345, "TCP", 12345))), numErrs: 0 },
    { name: "valid type=NodePort service with NodePort", tweak: (s) => (nodePortType(s), s.ports.push(port("q", 12345, "TCP", 12345))), numErrs: 0 },
    { name: "valid type=NodePort service without NodePort", tweak: (s) => (nodePortType(s), s.ports.push(port("q", 12345, "TCP"))), numErrs: 0 },
    { name: "valid cluster service without NodePort", tweak: (s) => s.ports.push(port("q", 12345, "TCP")), numErrs: 0 },
    { name: "invalid cluster service with NodePort", tweak: (s) => s.ports.push(port("q", 12345, "TCP", 12345)), numErrs: 1 },
    { name: "invalid public service with duplicate NodePort", tweak: (s) => (nodePortType(s), s.ports.push(port("p1", 1, "TCP", 1), port("p2", 2, "TCP", 1))), numErrs: 1 },
    { name: "valid LoadBalancer source range", tweak: (s) => (lbType(s), (s.loadBalancerSourceRanges = ["1.2.3.0/24", "5.6.0.0/16"])), numErrs: 0 },
    { name: "invalid source range for non LoadBalancer type service", tweak: (s) => (s.loadBalancerSourceRanges = ["1.2.3.0/24", "5.6.0.0/16"]), numErrs: 1 },
    { name: "valid ExternalName", tweak: (s) => Object.assign(s, { type: "ExternalName", externalName: "foo.bar.example.com" }), numErrs: 0 },
    { name: "invalid ExternalName clusterIP (valid IP)", tweak: (s) => Object.assign(s, { type: "ExternalName", clusterIP: "1.2.3.4", clusterIPs: ["1.2.3.4"], externalName: "foo.bar.example.com" }), numErrs: 1 },
    { name: "invalid ExternalName clusterIP (None)", tweak: (s) => Object.assign(s, { type: "ExternalName", clusterIP: "None", clusterIPs: ["None"], externalName: "foo.bar.example.com" }), numErrs: 1 },
    { name: "LoadBalancer type cannot have None ClusterIP", tweak: (s) => (lbType(s), Object.assign(s, { clusterIP: "None", clusterIPs: ["None"] })), numErrs: 1 },
    { name: "invalid node port with clusterIP None", tweak: (s) => (nodePortType(s), s.ports.push(port("q", 1, "TCP", 1)), Object.assign(s, { clusterIP: "None", clusterIPs: ["None"] })), numErrs: 1 },
    { name: "invalid externalTraffic field", tweak: (s) => Object.assign(s, { type: "LoadBalancer", allocateLoadBalancerNodePorts: true, externalTrafficPolicy: "invalid" }), numErrs: 1 },
    { name: "internalTrafficPolicy field nil when type is ExternalName", tweak: (s) => (delete s.internalTrafficPolicy, Object.assign(s, { type: "ExternalName", externalName: "foo.bar.com" })), numErrs: 0 },
    { name: "internalTrafficPolicy field is set when type is ExternalName", tweak: (s) => Object.assign(s, { type: "ExternalName", externalName: "foo.bar.com" }), numErrs: 0 },
    { name: "invalid internalTraffic field", tweak: (s) => (s.internalTrafficPolicy = "invalid"), numErrs: 1 },
    { name: "internalTrafficPolicy field set to Cluster", tweak: (s) => (s.internalTrafficPolicy = "Cluster"), numErrs: 0 },
    { name: "internalTrafficPolicy field set to Local", tweak: (s) => (s.internalTrafficPolicy = "Local"), numErrs: 0 },
];

describe("API validation of Services (Kubernetes' TestValidateServiceCreate cases)", () => {
    for (const c of CASES) {
        it(`${c.name}: ${c.numErrs} error${c.numErrs === 1 ? "" : "s"}`, () => {
            const svc = base();
            c.tweak(svc.spec);
            const errs = validateService(svc);
            assert.equal(errs.length, c.numErrs, JSON.stringify(errs));
        });
    }
});

describe("API validation of the fields the restore fixes touch (validation.go)", () => {
    const svc = (spec: Spec) => ({ ...base(), spec: { ...base().spec, ...spec } });

    it("externalTrafficPolicy: only on externally-accessible Services, which a ClusterIP Service with externalIPs is", () => {
        assert.deepEqual(validateService(svc({ externalTrafficPolicy: "Cluster" })), [
            { field: "spec.externalTrafficPolicy", message: 'Invalid value: "Cluster": may only be set for externally-accessible services' },
        ]);
        assert.deepEqual(validateService(svc({ externalTrafficPolicy: "Local", externalIPs: ["203.0.113.7"] })), []);
        // The v1 default fills it in for NodePort and LoadBalancer (SetDefaults_Service).
        assert.deepEqual(validateService(svc({ type: "NodePort" })), []);
    });

    it("a port without a protocol is TCP (SetDefaults_Service, pkg/apis/core/v1/defaults.go): it collides with TCP 80, not with UDP 80", () => {
        const ports = (second: Port) => svc({ ports: [{ name: "tcp", port: 80, protocol: "TCP", targetPort: 80 }, second] });
        assert.deepEqual(validateService(ports({ name: "default", port: 80, targetPort: 80 })), [{ field: "spec.ports[1]", message: "Duplicate value: TCP/80" }]);
        assert.deepEqual(validateService(ports({ name: "udp", port: 80, protocol: "UDP", targetPort: 80 })), []);
        assert.deepEqual(validateService(svc({ ports: [{ name: "udp", port: 53, protocol: "UDP" }, { name: "default", port: 53 }] })), []);
    });

    it("healthCheckNodePort: only on LoadBalancer with externalTrafficPolicy Local", () => {
        assert.deepEqual(validateService(svc({ type: "LoadBalancer", externalTrafficPolicy: "Local", healthCheckNodePort: 32000 })), []);
        assert.equal(validateService(svc({ healthCheckNodePort: 32000 }))[0].field, "spec.healthCheckNodePort");
        assert.equal(validateService(svc({ type: "NodePort", externalTrafficPolicy: "Local", healthCheckNodePort: 32000 }))[0].field, "spec.healthCheckNodePort");
    });

    it("LoadBalancer-only fields on a ClusterIP Service: allocateLoadBalancerNodePorts, loadBalancerClass, loadBalancerSourceRanges", () => {
        const fields = validateService(svc({ allocateLoadBalancerNodePorts: true, loadBalancerClass: "tke", loadBalancerSourceRanges: ["10.0.0.0/8"] })).map((e) => e.field);
        assert.deepEqual(fields.sort(), ["spec.LoadBalancerSourceRanges", "spec.allocateLoadBalancerNodePorts", "spec.loadBalancerClass"]);
    });

    it("type, ports: required unless headless or ExternalName; names required when several; port range", () => {
        assert.deepEqual(validateService(svc({ type: "NodeBalancer" })).map((e) => e.field), ["spec.type"]);
        assert.deepEqual(validateService(svc({ ports: [] })).map((e) => e.field), ["spec.ports"]);
        assert.deepEqual(validateService(svc({ ports: [], clusterIP: "None" })), []);
        assert.deepEqual(validateService(svc({ ports: [{ port: 80 }, { port: 81 }] })).map((e) => e.field), ["spec.ports[0].name", "spec.ports[1].name"]);
        assert.deepEqual(validateService(svc({ ports: [{ port: 65536 }] })).map((e) => e.field), ["spec.ports[0].port"]);
    });

    it("Pods on the host network: a hostPort must equal its containerPort; removing it lets the default put it back", () => {
        const pod = (ports: Port[]) => ({ apiVersion: "v1", kind: "Pod", spec: { hostNetwork: true, containers: [{ name: "c", ports }] } });
        assert.deepEqual(apiValidation("pods", pod([{ containerPort: 9100 }])), []);
        assert.deepEqual(apiValidation("pods", pod([{ containerPort: 9100, hostPort: 9101 }])).map((e) => e.field), ["spec.containers[0].ports[0].hostPort"]);
    });
});
