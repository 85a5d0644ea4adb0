import { isRecord, record, str } from "../objects";
import { podTemplate, volumes } from "../podTemplates";
import type { Rule } from "../types";
import { POD_CONTROLLERS } from "../kinds";

const OWN_VM = "a hostPath lives on the Pod's own VM, starts empty and is lost when the Pod is rebuilt, and Velero cannot back it up";

/** A serverless Pod has its own VM, not a node shared with other Pods. */
export const eksNoHostpath: Rule<"eks-no-hostpath"> = {
    id: "eks-no-hostpath",
    defaultLevel: "advisory",
    title: "No hostPath volumes",
    why: `a serverless Pod has no node to share files with: ${OWN_VM} (EKS 集群其他说明, https://cloud.tencent.com/document/product/457/39815)`,
    fix: "use an emptyDir for scratch space, a ConfigMap or Secret for files, or a PersistentVolumeClaim (CBS, CFS) for data that must survive",
    levels: { "tke-serverless": "mandatory" },
    policy: { onTarget: POD_CONTROLLERS },
    check(obj, { profile }) {
        const tpl = podTemplate(obj);
        if (!tpl) return [];
        const why = this.levels?.[profile.name] === "mandatory" ? `serverless clusters refuse hostPath volumes, and on super nodes ${OWN_VM} (${profile.source})` : this.why;
        return volumes(tpl)
            .filter((v) => isRecord(v.volume.hostPath))
            .map((v) => {
                const path = `${v.path}/hostPath`;
                const hostPath = str(record(v.volume.hostPath).path) ?? "no path";
                return { path, message: `hostPath volume "${v.name}" (${hostPath}) at ${path}: ${why}`, fix: this.fix };
            });
    },
};
