/**
 * The API validation model's cases, one copy for the two specs that use them: the unit spec
 * (test/restore/apiValidation.spec.ts) holds the model to each case's expected errors, the
 * end-to-end spec (test/e2e/apiValidation.e2e.ts) sends each object to a real kube-apiserver
 * as a server-side dry run and holds the model to the server's verdict.
 *
 * SERVICE_CASES are TestValidateServiceCreate in kubernetes/kubernetes
 * pkg/apis/core/validation/validation_test.go (read at 000f260), each by its name and expected
 * error count, on the v1 object the restore sends (the server's v1 defaults apply first).
 * Cases about fields the model does not cover (names, annotations, IP families, source-range
 * syntax) are left out. FIELD_CASES are the fields the restore fixes touch (validation.go)
 * and the nodePort allocation a create runs first (alloc.go).
 * Every object is otherwise valid, so that a real server judges only the point in question.
 */
import type { FieldError } from "../../restore/apiValidation";
import type { KubeObject } from "../../rules/types";

type Spec = Record<string, unknown>;
type Port = Record<string, unknown>;

export interface ValidationCase {
    name: string;
    /** The resource the object is created as (core/v1). */
    resource: "services" | "pods";
    object: KubeObject;
    /**
     * How many errors the model finds: for SERVICE_CASES, validation's (validateService, as
     * Kubernetes' numErrs); for FIELD_CASES, the whole server's (apiValidation).
     */
    numErrs: number;
    /** The fields the errors name, sorted, where the case pins them. */
    fields?: string[];
    /** The errors in full, where the case pins the messages too. */
    errors?: FieldError[];
}

/** makeValidService's shape: one TCP port named p, ClusterIP, session affinity None. */
function service(spec: Spec = {}): KubeObject & { spec: Spec & { ports: Port[] } } {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "valid", namespace: "default" },
        spec: { selector: { key: "val" }, sessionAffinity: "None", type: "ClusterIP", internalTrafficPolicy: "Cluster", ports: [{ name: "p", protocol: "TCP", port: 8675, targetPort: 8675 }], ...spec },
    };
}

const port = (name: string, p: number, protocol: string, nodePort?: number): Port => ({ name, port: p, protocol, targetPort: p, ...(nodePort === undefined ? {} : { nodePort }) });
const nodePortType = (s: Spec) => Object.assign(s, { type: "NodePort", externalTrafficPolicy: "Cluster" });
const lbType = (s: Spec) => Object.assign(s, { type: "LoadBalancer", externalTrafficPolicy: "Cluster", allocateLoadBalancerNodePorts: true });

/** A TestValidateServiceCreate case: makeValidService, then the case's tweak. */
function k8s(name: string, tweak: (s: Spec & { ports: Port[] }) => void, numErrs: number): ValidationCase {
    const object = service();
    tweak(object.spec);
    return { name, resource: "services", object, numErrs };
}

export const SERVICE_CASES: ValidationCase[] = [
    k8s("duplicate nodeports", (s) => (nodePortType(s), s.ports.push(port("q", 1, "TCP", 1), port("r", 2, "TCP", 1))), 1),
    k8s("duplicate nodeports (different protocols)", (s) => (nodePortType(s), s.ports.push(port("q", 1, "TCP", 1), port("r", 2, "UDP", 1), port("s", 3, "SCTP", 1))), 0),
    k8s("invalid duplicate ports (with same protocol)", (s) => s.ports.push(port("q", 12345, "TCP"), port("r", 12345, "TCP")), 1),
    k8s("valid duplicate ports (with different protocols)", (s) => s.ports.push(port("q", 12345, "TCP"), port("r", 12345, "UDP"), port("s", 12345, "SCTP")), 0),
    k8s("valid type - cluster", (s) => (s.type = "ClusterIP"), 0),
    k8s("valid type - nodeport", (s) => nodePortType(s), 0),
    k8s("valid type - loadbalancer with allocateLoadBalancerNodePorts=true", (s) => lbType(s), 0),
    k8s("valid type loadbalancer with NodePort", (s) => (lbType(s), s.ports.push(port("q", 12345, "TCP", 12345))), 0),
    k8s("valid type=NodePort service with NodePort", (s) => (nodePortType(s), s.ports.push(port("q", 12345, "TCP", 12345))), 0),
    k8s("valid type=NodePort service without NodePort", (s) => (nodePortType(s), s.ports.push(port("q", 12345, "TCP"))), 0),
    k8s("valid cluster service without NodePort", (s) => s.ports.push(port("q", 12345, "TCP")), 0),
    k8s("invalid cluster service with NodePort", (s) => s.ports.push(port("q", 12345, "TCP", 12345)), 1),
    k8s("invalid public service with duplicate NodePort", (s) => (nodePortType(s), s.ports.push(port("p1", 1, "TCP", 1), port("p2", 2, "TCP", 1))), 1),
    k8s("valid LoadBalancer source range", (s) => (lbType(s), (s.loadBalancerSourceRanges = ["1.2.3.0/24", "5.6.0.0/16"])), 0),
    k8s("invalid source range for non LoadBalancer type service", (s) => (s.loadBalancerSourceRanges = ["1.2.3.0/24", "5.6.0.0/16"]), 1),
    k8s("valid ExternalName", (s) => Object.assign(s, { type: "ExternalName", externalName: "foo.bar.example.com" }), 0),
    k8s("invalid ExternalName clusterIP (valid IP)", (s) => Object.assign(s, { type: "ExternalName", clusterIP: "1.2.3.4", clusterIPs: ["1.2.3.4"], externalName: "foo.bar.example.com" }), 1),
    k8s("invalid ExternalName clusterIP (None)", (s) => Object.assign(s, { type: "ExternalName", clusterIP: "None", clusterIPs: ["None"], externalName: "foo.bar.example.com" }), 1),
    k8s("LoadBalancer type cannot have None ClusterIP", (s) => (lbType(s), Object.assign(s, { clusterIP: "None", clusterIPs: ["None"] })), 1),
    k8s("invalid node port with clusterIP None", (s) => (nodePortType(s), s.ports.push(port("q", 1, "TCP", 1)), Object.assign(s, { clusterIP: "None", clusterIPs: ["None"] })), 1),
    k8s("invalid externalTraffic field", (s) => Object.assign(s, { type: "LoadBalancer", allocateLoadBalancerNodePorts: true, externalTrafficPolicy: "invalid" }), 1),
    k8s("internalTrafficPolicy field nil when type is ExternalName", (s) => (delete s.internalTrafficPolicy, Object.assign(s, { type: "ExternalName", externalName: "foo.bar.com" })), 0),
    k8s("internalTrafficPolicy field is set when type is ExternalName", (s) => Object.assign(s, { type: "ExternalName", externalName: "foo.bar.com" }), 0),
    k8s("invalid internalTraffic field", (s) => (s.internalTrafficPolicy = "invalid"), 1),
    k8s("internalTrafficPolicy field set to Cluster", (s) => (s.internalTrafficPolicy = "Cluster"), 0),
    k8s("internalTrafficPolicy field set to Local", (s) => (s.internalTrafficPolicy = "Local"), 0),
];

function fieldCase(name: string, object: KubeObject, expected: string[] | FieldError[]): ValidationCase {
    const errors = expected.filter((e): e is FieldError => typeof e !== "string");
    const fields = expected.map((e) => (typeof e === "string" ? e : e.field)).sort();
    return { name, resource: object.kind === "Pod" ? "pods" : "services", object, numErrs: fields.length, fields, ...(errors.length ? { errors } : {}) };
}

/** A Pod on the host network with one container and these ports. */
const hostNetworkPod = (ports: Port[]): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "agent", namespace: "default" },
    spec: { hostNetwork: true, containers: [{ name: "c", image: "registry.example/agent:1", ports }] },
});

/** A DNS port 53 under this protocol, and the nodePort it asks for. */
const dns = (protocol: string, nodePort?: number): Port => port(`dns-${protocol.toLowerCase()}`, 53, protocol, nodePort);
const tcp80 = { name: "tcp", port: 80, protocol: "TCP", targetPort: 80 };

export const FIELD_CASES: ValidationCase[] = [
    fieldCase("externalTrafficPolicy on a ClusterIP Service", service({ externalTrafficPolicy: "Cluster" }), [
        { field: "spec.externalTrafficPolicy", message: 'Invalid value: "Cluster": may only be set for externally-accessible services' },
    ]),
    fieldCase("externalTrafficPolicy on a ClusterIP Service with externalIPs (externally accessible)", service({ externalTrafficPolicy: "Local", externalIPs: ["203.0.113.7"] }), []),
    // The v1 default fills externalTrafficPolicy in for NodePort and LoadBalancer (SetDefaults_Service).
    fieldCase("NodePort without externalTrafficPolicy (defaulted to Cluster)", service({ type: "NodePort" }), []),
    // A port without a protocol is TCP (SetDefaults_Service, pkg/apis/core/v1/defaults.go).
    fieldCase("a port without a protocol collides with TCP 80", service({ ports: [tcp80, { name: "default", port: 80, targetPort: 80 }] }), [{ field: "spec.ports[1]", message: "Duplicate value: TCP/80" }]),
    fieldCase("UDP 80 beside TCP 80", service({ ports: [tcp80, { name: "udp", port: 80, protocol: "UDP", targetPort: 80 }] }), []),
    fieldCase("a port without a protocol beside UDP 53", service({ ports: [{ name: "udp", port: 53, protocol: "UDP" }, { name: "default", port: 53 }] }), []),
    fieldCase("healthCheckNodePort on LoadBalancer with externalTrafficPolicy Local", service({ type: "LoadBalancer", externalTrafficPolicy: "Local", healthCheckNodePort: 32000 }), []),
    fieldCase("healthCheckNodePort on ClusterIP", service({ healthCheckNodePort: 32000 }), ["spec.healthCheckNodePort"]),
    fieldCase("healthCheckNodePort on NodePort with externalTrafficPolicy Local", service({ type: "NodePort", externalTrafficPolicy: "Local", healthCheckNodePort: 32000 }), ["spec.healthCheckNodePort"]),
    fieldCase("LoadBalancer-only fields on a ClusterIP Service", service({ allocateLoadBalancerNodePorts: true, loadBalancerClass: "tke", loadBalancerSourceRanges: ["10.0.0.0/8"] }), [
        "spec.LoadBalancerSourceRanges",
        "spec.allocateLoadBalancerNodePorts",
        "spec.loadBalancerClass",
    ]),
    fieldCase("an unknown type", service({ type: "NodeBalancer" }), ["spec.type"]),
    fieldCase("no ports", service({ ports: [] }), ["spec.ports"]),
    fieldCase("no ports, headless", service({ ports: [], clusterIP: "None" }), []),
    fieldCase("several ports without names", service({ ports: [{ port: 80 }, { port: 81 }] }), ["spec.ports[0].name", "spec.ports[1].name"]),
    fieldCase("a port out of range (and the targetPort defaulted from it)", service({ ports: [{ port: 65536 }] }), ["spec.ports[0].port", "spec.ports[0].targetPort"]),
    fieldCase("a targetPort out of range", service({ ports: [{ port: 80, targetPort: 0x10000 }] }), [{ field: "spec.ports[0].targetPort", message: "Invalid value: 65536: must be between 1 and 65535, inclusive" }]),
    // initNodePorts: ports with one number share a nodePort; other numbers may not take it, whatever the protocol.
    fieldCase("one nodePort for TCP and UDP of one port number", service({ type: "NodePort", ports: [dns("TCP", 30053), dns("UDP", 30053)] }), []),
    fieldCase("one port number, two nodePorts", service({ type: "NodePort", ports: [dns("TCP", 30053), dns("UDP", 30054)] }), []),
    fieldCase("one nodePort for two port numbers under two protocols", service({ type: "NodePort", ports: [dns("TCP", 30053), { ...dns("UDP", 30053), name: "metrics", port: 9153 }] }), [
        { field: "spec.ports[1].nodePort", message: "Invalid value: 30053: provided port is already allocated" },
    ]),
    // findRequestedNodePort: a port without one takes the nodePort a later port of its number asks for.
    fieldCase(
        "a nodePort a later port of another number asks for, already shared by the first",
        service({ type: "NodePort", ports: [dns("TCP"), dns("UDP", 30053), { ...dns("TCP", 30053), name: "metrics", port: 9153 }] }),
        [{ field: "spec.ports[2].nodePort", message: "Invalid value: 30053: provided port is already allocated" }],
    ),
    fieldCase(
        "explicit nodePorts are allocated even when a LoadBalancer allocates none",
        service({ type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports: [dns("TCP", 30053), { ...dns("UDP", 30053), name: "metrics", port: 9153 }] }),
        ["spec.ports[1].nodePort"],
    ),
    // The server defaults a host-network Pod's hostPort to its containerPort (defaultHostNetworkPorts).
    fieldCase("a host-network Pod without hostPort", hostNetworkPod([{ containerPort: 9100 }]), []),
    fieldCase("a host-network Pod whose hostPort differs from its containerPort", hostNetworkPod([{ containerPort: 9100, hostPort: 9101 }]), ["spec.containers[0].ports[0].hostPort"]),
];
