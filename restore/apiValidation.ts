/**
 * Whether cluster B's API server accepts what the restore creates, for the kinds and fields
 * the restore fixes touch. The server first applies the v1 defaults, then validates;
 * both are modelled from Kubernetes' own code (kubernetes/kubernetes, read at 000f260):
 * `pkg/apis/core/v1/defaults.go` (SetDefaults_Service, SetDefaults_Pod) and
 * `pkg/apis/core/validation/validation.go` (ValidateService, validateServicePort,
 * validateServiceExternalTrafficPolicy, validateServiceInternalTrafficFieldsValue, and the
 * Pod's host-network port check). Only the checks a restore can trip are here; each
 * error names the field as the API server does.
 */
import { array, isRecord, record, str } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { isDnsLabel } from "../core/names";

export interface FieldError {
    /** `spec.ports[0].nodePort`, as the API server names it. */
    field: string;
    message: string;
}

const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
const PROTOCOLS = ["TCP", "UDP", "SCTP"];

/** SetDefaults_Service: what the server fills in before it validates a v1 Service. */
export function defaultService(svc: KubeObject): Record<string, unknown> {
    const s = { ...record(svc.spec) };
    s.sessionAffinity ??= "None";
    s.type ??= "ClusterIP";
    s.ports = array(s.ports).map((p) => (isRecord(p) ? { ...p, protocol: p.protocol ?? "TCP", targetPort: p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "" ? p.port : p.targetPort } : p));
    if (externallyAccessible(s) && (s.externalTrafficPolicy === undefined || s.externalTrafficPolicy === "")) s.externalTrafficPolicy = "Cluster";
    if (s.internalTrafficPolicy === undefined && ["NodePort", "LoadBalancer", "ClusterIP"].includes(String(s.type))) s.internalTrafficPolicy = "Cluster";
    if (s.type === "LoadBalancer") s.allocateLoadBalancerNodePorts ??= true;
    return s;
}

/** pkg/api/service: NodePort and LoadBalancer, or a ClusterIP Service with externalIPs. */
function externallyAccessible(s: Record<string, unknown>): boolean {
    return s.type === "LoadBalancer" || s.type === "NodePort" || (s.type === "ClusterIP" && array(s.externalIPs).length > 0);
}

function isHeadless(s: Record<string, unknown>): boolean {
    return s.clusterIP === "None";
}

function validPort(n: unknown): boolean {
    return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** ValidateService's checks on the fields a restore changes (validation.go, ValidateService and helpers). */
export function validateService(svc: KubeObject): FieldError[] {
    const s = defaultService(svc);
    const errs: FieldError[] = [];
    const type = str(s.type) ?? "";
    const ports = array(s.ports);
    if (ports.length === 0 && !isHeadless(s) && type !== "ExternalName") errs.push({ field: "spec.ports", message: "Required value" });
    if (type === "LoadBalancer" && isHeadless(s)) errs.push({ field: "spec.clusterIPs[0]", message: "may not be set to 'None' for LoadBalancer services" });
    if (type === "NodePort" && isHeadless(s)) errs.push({ field: "spec.clusterIPs[0]", message: "may not be set to 'None' for NodePort services" });
    if (type === "ExternalName") {
        if (array(s.clusterIPs).length > 0) errs.push({ field: "spec.clusterIPs", message: "may not be set for ExternalName services" });
        if (array(s.ipFamilies).length > 0) errs.push({ field: "spec.ipFamilies", message: "may not be set for ExternalName services" });
        if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null) errs.push({ field: "spec.ipFamilyPolicy", message: "may not be set for ExternalName services" });
        if (!str(s.externalName)) errs.push({ field: "spec.externalName", message: "Required value" });
    }
    // validateServicePort: a name on every port when there are several, unique DNS labels; port range; protocol.
    const names = new Set<string>();
    ports.forEach((raw, i) => {
        const p = record(raw);
        const at = `spec.ports[${i}]`;
        const name = str(p.name) ?? "";
        if (ports.length > 1 && name === "") errs.push({ field: `${at}.name`, message: "Required value" });
        else if (name !== "") {
            if (!isDnsLabel(name)) errs.push({ field: `${at}.name`, message: `Invalid value: "${name}": must be a DNS label` });
            if (names.has(name)) errs.push({ field: `${at}.name`, message: `Duplicate value: "${name}"` });
            names.add(name);
        }
        if (!validPort(p.port)) errs.push({ field: `${at}.port`, message: `Invalid value: ${JSON.stringify(p.port)}: must be between 1 and 65535, inclusive` });
        // A numeric targetPort (defaulted from port) has the same range (v1.37.2 validation.go:7233, ValidatePortNumOrName).
        if (typeof p.targetPort === "number" && !validPort(p.targetPort)) errs.push({ field: `${at}.targetPort`, message: `Invalid value: ${p.targetPort}: must be between 1 and 65535, inclusive` });
        if (!PROTOCOLS.includes(String(p.protocol))) errs.push({ field: `${at}.protocol`, message: `Unsupported value: ${JSON.stringify(p.protocol)}: supported values: "SCTP", "TCP", "UDP"` });
        if (type === "ClusterIP" && p.nodePort !== undefined && p.nodePort !== 0) errs.push({ field: `${at}.nodePort`, message: "Forbidden: may not be used when `type` is 'ClusterIP'" });
    });
    // Duplicate nodePorts and ports, by (protocol, number).
    const seenNodePorts = new Set<string>();
    const seenPorts = new Set<string>();
    ports.forEach((raw, i) => {
        const p = record(raw);
        if (p.nodePort !== undefined && p.nodePort !== 0) {
            const key = `${String(p.protocol)}/${String(p.nodePort)}`;
            if (seenNodePorts.has(key)) errs.push({ field: `spec.ports[${i}].nodePort`, message: `Duplicate value: ${String(p.nodePort)}` });
            seenNodePorts.add(key);
        }
        const key = `${String(p.protocol)}/${String(p.port)}`;
        if (seenPorts.has(key)) errs.push({ field: `spec.ports[${i}]`, message: `Duplicate value: ${key}` });
        seenPorts.add(key);
    });
    if (type === "" || !SERVICE_TYPES.includes(type)) errs.push({ field: "spec.type", message: `Unsupported value: "${type}": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"` });
    // LoadBalancer-only fields.
    if (array(s.loadBalancerSourceRanges).length > 0 && type !== "LoadBalancer") {
        errs.push({ field: "spec.LoadBalancerSourceRanges", message: "Forbidden: may only be used when `type` is 'LoadBalancer'" });
    }
    if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts !== null && type !== "LoadBalancer") {
        errs.push({ field: "spec.allocateLoadBalancerNodePorts", message: "Forbidden: may only be used when `type` is 'LoadBalancer'" });
    }
    // validateLoadBalancerClassField (create).
    if (s.loadBalancerClass !== undefined && s.loadBalancerClass !== null && type !== "LoadBalancer") {
        errs.push({ field: "spec.loadBalancerClass", message: "Invalid value: may only be used when service type is 'LoadBalancer'" });
    }
    // validateServiceExternalTrafficPolicy.
    const etp = s.externalTrafficPolicy;
    if (!externallyAccessible(s)) {
        if (etp !== undefined && etp !== "") errs.push({ field: "spec.externalTrafficPolicy", message: `Invalid value: "${String(etp)}": may only be set for externally-accessible services` });
    } else if (etp !== "Cluster" && etp !== "Local") {
        errs.push({ field: "spec.externalTrafficPolicy", message: `Unsupported value: "${String(etp)}": supported values: "Cluster", "Local"` });
    }
    const needsHealthCheck = type === "LoadBalancer" && etp === "Local";
    const hc = s.healthCheckNodePort;
    if (!needsHealthCheck && hc !== undefined && hc !== 0) {
        errs.push({ field: "spec.healthCheckNodePort", message: `Invalid value: ${String(hc)}: may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'` });
    }
    // validateServiceInternalTrafficFieldsValue.
    if (s.internalTrafficPolicy !== undefined && s.internalTrafficPolicy !== "Cluster" && s.internalTrafficPolicy !== "Local") {
        errs.push({ field: "spec.internalTrafficPolicy", message: `Unsupported value: "${String(s.internalTrafficPolicy)}": supported values: "Cluster", "Local"` });
    }
    return errs;
}

/**
 * The nodePort allocation a Service create runs before validation (kubernetes v1.37.2
 * pkg/registry/core/service/storage/alloc.go, initNodePorts lines 517-568; the generic store
 * calls BeginCreate, the allocation, before BeforeCreate, the validation: k8s.io/apiserver
 * v0.37.2 pkg/registry/generic/registry/store.go lines 558-569). Ports with the same port
 * number share one nodePort; a nodePort that a port with another number already took is
 * refused, even under another protocol, which validation alone allows (a real server's dry
 * run refused TestValidateServiceCreate's "duplicate nodeports (different protocols)").
 * The first refusal ends the create. Ports other Services in B hold, and B's
 * --service-node-port-range, are B's state and not modelled.
 */
function allocateNodePorts(s: Record<string, unknown>): FieldError[] {
    const allocates = s.type === "NodePort" || (s.type === "LoadBalancer" && s.allocateLoadBalancerNodePorts === true);
    if (s.type !== "NodePort" && s.type !== "LoadBalancer") return [];
    const ports = array(s.ports).map(record);
    const requested = (p: Record<string, unknown>) => (typeof p.nodePort === "number" ? p.nodePort : 0);
    /** Service port number → the nodePort its ports share (0: one the allocator picks). */
    const shared = new Map<unknown, number>();
    const taken = new Set<number>();
    for (const [i, p] of ports.entries()) {
        const want = requested(p);
        if (want === 0 && !allocates) continue;
        const had = shared.get(p.port);
        let asked = want === had ? 0 : want;
        if (had === undefined) {
            // findRequestedNodePort: the first nodePort a port with this number asks for (none: the allocator picks a free one).
            asked = requested(ports.find((q) => q.port === p.port && requested(q) !== 0) ?? {});
            shared.set(p.port, asked);
        }
        if (asked === 0) continue;
        if (taken.has(asked)) return [{ field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${asked}: provided port is already allocated` }];
        taken.add(asked);
    }
    return [];
}

/**
 * A Pod on the host network: the server defaults each hostPort to its containerPort
 * (defaults.go, defaultHostNetworkPorts) and refuses one that differs (validation.go,
 * validateHostNetwork: "must match `containerPort` when `hostNetwork` is true").
 */
export function validatePodHostPorts(pod: KubeObject): FieldError[] {
    const spec = record(pod.spec);
    if (spec.hostNetwork !== true) return [];
    const errs: FieldError[] = [];
    for (const key of ["containers", "initContainers"]) {
        array(spec[key]).forEach((c, i) => {
            array(record(c).ports).forEach((p, j) => {
                const port = record(p);
                if (port.hostPort !== undefined && port.hostPort !== 0 && port.hostPort !== port.containerPort) {
                    errs.push({ field: `spec.${key}[${i}].ports[${j}].hostPort`, message: `Invalid value: ${String(port.hostPort)}: must match \`containerPort\` when \`hostNetwork\` is true` });
                }
            });
        });
    }
    return errs;
}

/** The API server's verdict on one object about to be created in B. */
export function apiValidation(groupResource: string, obj: KubeObject): FieldError[] {
    if (groupResource === "services") {
        const refused = allocateNodePorts(defaultService(obj));
        return refused.length > 0 ? refused : validateService(obj);
    }
    if (groupResource === "pods") return validatePodHostPorts(obj);
    return [];
}
