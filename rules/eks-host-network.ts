import { array, isRecord, pointer } from "./objects";
import { containers, podTemplate } from "./podTemplates";
import type { RawFinding, Rule } from "./types";

const HOST_NAMESPACES: Record<string, string> = {
    hostNetwork: "the serverless Pod's host is its own VM, so it gets that VM's network rather than a node's; the platform accepts it, but it may not behave as on TKE (and dnsPolicy ClusterFirstWithHostNet with it)",
    hostPID: "the serverless Pod's host is its own VM, so there are no node processes to see",
    hostIPC: "the serverless Pod's host is its own VM, so there is no node IPC namespace to share",
};

/** Host namespaces and host ports assume a node shared by many Pods; serverless Pods have none. */
export const eksHostNetwork: Rule = {
    id: "eks-host-network",
    defaultLevel: "advisory",
    title: "No host namespaces or host ports",
    why: "serverless Pods run each in their own VM with no node shared with other Pods (EKS 集群其他说明, doc 39815)",
    fix: "drop the host namespace and reach the Pod through a Service",
    check(obj) {
        const tpl = podTemplate(obj);
        if (!tpl) return [];
        const out: RawFinding[] = [];
        for (const [field, why] of Object.entries(HOST_NAMESPACES)) {
            if (tpl.spec[field] !== true) continue;
            const path = `${tpl.specPath}${pointer(field)}`;
            out.push({ path, message: `${field}: true at ${path}: ${why}; ${this.why}`, fix: `remove ${field}; ${this.fix}` });
        }
        for (const c of containers(tpl)) {
            array(c.container.ports).forEach((p, i) => {
                if (!isRecord(p) || typeof p.hostPort !== "number" || p.hostPort === 0) return;
                const path = `${c.path}${pointer("ports", i, "hostPort")}`;
                out.push({
                    path,
                    message: `container "${c.name}" hostPort ${p.hostPort} at ${path}: there is no shared node to expose it on; the Pod has its own IP; ${this.why}`,
                    fix: "remove the hostPort and reach the containerPort through a Service; the restore fix removes it",
                    autofix: [{ op: "remove", path }],
                });
            });
        }
        return out;
    },
};
