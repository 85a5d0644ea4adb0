import { containers, podTemplate, resourceEntries, workloadAnnotations } from "../podTemplates";
import type { RawFinding, Rule } from "../types";
import { POD_CONTROLLERS } from "../kinds";

const RDMA = /rdma/i;

/** Serverless Pods run on VMs without RDMA NICs. */
export const eksNoRdma: Rule<"eks-no-rdma"> = {
    id: "eks-no-rdma",
    defaultLevel: "mandatory",
    title: "No RDMA",
    why: "serverless Pods have no RDMA network devices (迁移限制: EKS 不支持 RDMA)",
    fix: "keep the workload on TKE nodes with RDMA (leave it out of the restore), or run it without RDMA",
    policy: { onTarget: POD_CONTROLLERS },
    check(obj) {
        const tpl = podTemplate(obj);
        if (!tpl) return [];
        const out: RawFinding[] = [];
        for (const c of containers(tpl)) {
            for (const r of resourceEntries(c)) {
                if (!RDMA.test(r.name)) continue;
                out.push({
                    path: r.path,
                    message: `container "${c.name}" ${r.section} the RDMA resource ${r.name} at ${r.path}: ${this.why}`,
                    fix: this.fix,
                });
            }
        }
        // Multus-style network attachments, e.g. TKE's shared-RDMA network or k8s.v1.cni.cncf.io/networks.
        for (const a of workloadAnnotations(obj, tpl)) {
            if (!a.key.endsWith("/networks") || !RDMA.test(a.value)) continue;
            out.push({
                path: a.path,
                message: `annotation ${a.key} at ${a.path} attaches an RDMA network ("${a.value}"): ${this.why}`,
                fix: this.fix,
            });
        }
        return out;
    },
};
