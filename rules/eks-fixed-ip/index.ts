import { array, kindOf, metadataEntryFix, record } from "../objects";
import { containers, podTemplate, resourceEntries, workloadAnnotations } from "../podTemplates";
import type { KubeObject, RawFinding, Rule } from "../types";
import { POD_CONTROLLERS } from "../kinds";

/** The serverless way to keep a Pod's IP across rebuilds (StatefulSets and bare Pods only). */
export const RETAIN_IP = "eks.tke.cloud.tencent.com/retain-ip";

/** TKE annotations that pin an IP or EIP to a Pod (docs/tke-markers.md, with their sources). */
const FIXED_IP_ANNOTATIONS: Record<string, (value: string) => boolean> = {
    "tke.cloud.tencent.com/vpc-ip-claim-delete-policy": () => true,
    "tke.cloud.tencent.com/enable-static-ip": (v) => v === "true",
    "tke.cloud.tencent.com/eip-attributes": () => true,
    "tke.cloud.tencent.com/eip-claim-delete-policy": () => true,
};

/** The VPC-CNI network annotation, when it asks for an ENI (the fixed-IP modes need one). */
const NETWORKS = "tke.cloud.tencent.com/networks";
const ENI_NETWORK = /tke-(route|direct)-eni/;

/** Extended resources TKE's VPC-CNI nodes advertise. */
const ENI_RESOURCES = new Set([
    "tke.cloud.tencent.com/eni-ip",
    "tke.cloud.tencent.com/direct-eni",
    "tke.cloud.tencent.com/sub-eni",
    "tke.cloud.tencent.com/eip",
]);

const IP_CHANGES = "the Pod gets a new IP after migration (迁移限制: 在 TKE 集群中启用固定 ip 特性的工作负载，在迁移到 EKS 集群后，ip 会发生改变)";

function ownerless(obj: KubeObject): boolean {
    return array(record(obj.metadata).ownerReferences).length === 0;
}

/** TKE pins IPs through its VPC-CNI; the serverless cluster allocates new ones. */
export const eksFixedIp: Rule<"eks-fixed-ip"> = {
    id: "eks-fixed-ip",
    defaultLevel: "advisory",
    title: "Fixed IPs change",
    why: IP_CHANGES,
    fix: `update whatever depends on the old IP (allow lists, DNS records, security groups); a StatefulSet or bare Pod that needs a stable IP on the serverless cluster can ask for it with ${RETAIN_IP}: "true"`,
    policy: { onTarget: POD_CONTROLLERS, fixes: ["retainIp"] },
    check(obj, { fixes }) {
        const tpl = podTemplate(obj);
        if (!tpl) return [];
        const out: RawFinding[] = [];
        let fixedIp = false;
        for (const a of workloadAnnotations(obj, tpl)) {
            const isFixed = FIXED_IP_ANNOTATIONS[a.key]?.(a.value) === true;
            const isEni = a.key === NETWORKS && ENI_NETWORK.test(a.value);
            if (!isFixed && !isEni) continue;
            fixedIp ||= isFixed;
            const what = a.key.includes("eip") ? "binds a TKE elastic IP" : isFixed ? "pins the Pod's IP" : "puts the Pod on a TKE VPC-CNI ENI";
            const eipHint = a.key.includes("eip") ? "; on the serverless cluster, bind an EIP with eks.tke.cloud.tencent.com/eip-attributes" : "";
            out.push({
                path: a.path,
                message: `annotation ${a.key}: "${a.value}" at ${a.path} ${what}, which the serverless cluster does not honour: ${IP_CHANGES}`,
                fix: `${this.fix}${eipHint}; the restore fix removes the annotation`,
                autofix: [{ op: "unset", path: a.path }],
            });
        }
        for (const c of containers(tpl)) {
            for (const r of resourceEntries(c)) {
                if (!ENI_RESOURCES.has(r.name)) continue;
                out.push({
                    path: r.path,
                    message:
                        `container "${c.name}" ${r.section} ${r.name} at ${r.path}, a TKE VPC-CNI resource the serverless cluster does not ` +
                        `advertise (each serverless Pod has its own ENI): ${IP_CHANGES}`,
                    fix: `${this.fix}; the restore fix removes the resource`,
                    autofix: [{ op: "unset", path: r.path }],
                });
            }
        }
        const kind = kindOf(obj);
        const wantsRetain = fixes.retainIp && fixedIp && (kind === "StatefulSet" || (kind === "Pod" && ownerless(obj)));
        const first = out[0];
        if (wantsRetain && first?.autofix && tpl.annotations[RETAIN_IP] !== "true") {
            first.autofix.push(...metadataEntryFix(obj, tpl.metadataPath, "annotations", RETAIN_IP, "true"));
            first.fix += `, and adds ${RETAIN_IP}: "true" to the Pod template`;
        }
        return out;
    },
};
