import { apiVersionOf, array, groupOf, isRecord, kindOf, pointer, record } from "../objects";
import type { FixEdit, KubeObject, RawFinding, Rule } from "../types";
import { veleroKeepsNodePort } from "../veleroNodePorts";
import { SERVICES } from "../kinds";

interface NodePort {
    index: number;
    port: Record<string, unknown>;
    nodePort: number;
    path: string;
}

function nodePorts(svc: KubeObject): NodePort[] {
    const out: NodePort[] = [];
    array(record(svc.spec).ports).forEach((p, index) => {
        if (!isRecord(p) || typeof p.nodePort !== "number" || p.nodePort <= 0) return;
        out.push({ index, port: p, nodePort: p.nodePort, path: pointer("spec", "ports", index, "nodePort") });
    });
    return out;
}

/**
 * The nodePorts a Velero restore keeps, found the way Velero's Service restore action finds
 * them: named in `last-applied-configuration`, else owned in `managedFields`; a live object
 * with neither gets every nodePort re-allocated. A manifest (not read from a cluster) keeps
 * what it says. Only these reach B, so only these are worth a finding on a LoadBalancer.
 */
function explicitNodePorts(svc: KubeObject): NodePort[] {
    const all = nodePorts(svc);
    const keep = veleroKeepsNodePort(svc);
    if (keep) return all.filter((np) => keep(np.port));
    const live = ["uid", "resourceVersion", "creationTimestamp"].some((k) => record(svc.metadata)[k] !== undefined);
    return live ? [] : all;
}

/**
 * Fields the API server refuses on a ClusterIP Service (pkg/apis/core/validation,
 * ValidateService): healthCheckNodePort needs a LoadBalancer with the Local policy, and these
 * are LoadBalancer-only. externalTrafficPolicy is handled apart: allowed with externalIPs.
 */
const NOT_ON_CLUSTER_IP = ["healthCheckNodePort", "loadBalancerIP", "loadBalancerSourceRanges", "loadBalancerClass", "allocateLoadBalancerNodePorts"];

/**
 * NodePort → `target`, declared whatever the object carries: the API server defaulted
 * externalTrafficPolicy on every NodePort Service in A, and Velero's Service action may
 * already have dropped a nodePort (service_action.go:66), so every field is cleared, not
 * removed. A LoadBalancer keeps what it may have; its nodePorts go, as for the advisory below.
 */
function nodePortFix(svc: KubeObject, target: "ClusterIP" | "LoadBalancer"): FixEdit[] {
    const spec = record(svc.spec);
    const edits: FixEdit[] = [{ op: "set", path: "/spec/type", value: target }];
    array(spec.ports).forEach((p, i) => isRecord(p) && edits.push({ op: "unset", path: pointer("spec", "ports", i, "nodePort") }));
    if (target === "ClusterIP") {
        // The API server refuses externalTrafficPolicy on a ClusterIP Service without externalIPs.
        if (array(spec.externalIPs).length === 0) edits.push({ op: "unset", path: "/spec/externalTrafficPolicy" });
        for (const field of NOT_ON_CLUSTER_IP) edits.push({ op: "unset", path: pointer("spec", field) });
    }
    return edits;
}

/** Node ports need nodes; the serverless cluster has none. */
export const eksNoNodeportService: Rule<"eks-no-nodeport-service"> = {
    id: "eks-no-nodeport-service",
    defaultLevel: "mandatory",
    title: "No NodePort Services",
    why: "the serverless cluster has no nodes to open a node port on (迁移限制: EKS 不支持部署 NodePort 类型的服务)",
    fix: "use a ClusterIP Service for traffic inside the cluster, or a LoadBalancer Service (CLB) for traffic from outside",
    policy: { onTarget: SERVICES, fixes: ["nodePortServiceType"] },
    check(obj, { fixes }) {
        // Core Services only: Knative's serving.knative.dev Service is another thing.
        if (kindOf(obj) !== "Service" || groupOf(apiVersionOf(obj)) !== "") return [];
        const spec = record(obj.spec);
        const explicit = explicitNodePorts(obj);
        if (spec.type === "NodePort") {
            const target = fixes.nodePortServiceType;
            return [
                {
                    path: "/spec/type",
                    message: `Service type NodePort at /spec/type cannot be created: ${this.why}`,
                    fix: `${this.fix}; the restore fix makes it ${target} and drops its nodePorts${target === "ClusterIP" ? " and the fields a ClusterIP Service may not have" : ""}`,
                    autofix: nodePortFix(obj, target),
                },
            ];
        }
        if (spec.type !== "LoadBalancer") return [];
        return explicit.map(
            (np): RawFinding => ({
                path: np.path,
                message:
                    `LoadBalancer Service sets nodePort ${np.nodePort} at ${np.path}: the serverless cluster's load balancer sends traffic ` +
                    `straight to the Pods and has no nodes to open the port on, while Velero restores an explicit nodePort as is ` +
                    `(迁移限制: EKS 不支持部署 NodePort 类型的服务)`,
                fix: "remove the nodePort and let the load balancer target the Pods",
                autofix: [{ op: "unset", path: np.path }],
                advisory: true,
            }),
        );
    },
};
