import { array, isRecord, pointer } from "../objects";
import { containers, podTemplate } from "../podTemplates";
import type { RawFinding, Rule } from "../types";
import { POD_CONTROLLERS } from "../kinds";

const SOURCE = "EKS 集群其他说明, https://cloud.tencent.com/document/product/457/39815";

const HOST_NAMESPACES: Record<string, { why: string; fix: string }> = {
    hostNetwork: {
        why: "the serverless Pod's host is its own VM, so it gets that VM's network rather than a node's shared one; the platform accepts it, but it may not behave as on TKE",
        fix: "remove hostNetwork (and dnsPolicy ClusterFirstWithHostNet) and reach the Pod through a Service",
    },
    hostPID: {
        why: "the serverless Pod's host is its own VM, so there are no node or neighbour processes to see",
        fix: "remove hostPID; a tool that inspects node processes belongs on TKE nodes",
    },
    hostIPC: {
        why: "the serverless Pod's host is its own VM, so there is no node IPC namespace to share with other Pods",
        fix: "remove hostIPC and share memory inside the Pod (an emptyDir with medium: Memory)",
    },
};

/** Host namespaces and host ports assume a node shared by many Pods; serverless Pods have none. */
export const eksHostNetwork: Rule<"eks-host-network"> = {
    id: "eks-host-network",
    defaultLevel: "advisory",
    title: "No host namespaces or host ports",
    why: `serverless Pods run each in their own VM, with no node shared with other Pods (${SOURCE})`,
    fix: "drop hostNetwork, hostPID, hostIPC and hostPort, and reach the Pod through a Service",
    policy: { onTarget: POD_CONTROLLERS },
    check(obj) {
        const tpl = podTemplate(obj);
        if (!tpl) return [];
        const out: RawFinding[] = [];
        for (const [field, { why, fix }] of Object.entries(HOST_NAMESPACES)) {
            if (tpl.spec[field] !== true) continue;
            const path = `${tpl.specPath}${pointer(field)}`;
            out.push({ path, message: `${field}: true at ${path}: ${why} (${SOURCE})`, fix });
        }
        for (const c of containers(tpl)) {
            array(c.container.ports).forEach((p, i) => {
                if (!isRecord(p) || typeof p.hostPort !== "number" || p.hostPort === 0) return;
                const path = `${c.path}${pointer("ports", i, "hostPort")}`;
                out.push({
                    path,
                    message:
                        `container "${c.name}" hostPort ${p.hostPort} at ${path}: there is no node shared with other Pods to open it on, ` +
                        `and the serverless Pod has an IP of its own (${SOURCE})`,
                    fix: "remove the hostPort and reach the containerPort through a Service; the restore fix removes it",
                    autofix: [{ op: "unset", path }],
                });
            });
        }
        return out;
    },
};
