import { pointer, record, str } from "../objects";
import { containers, podTemplate, volumes, type Container, type PodTemplate } from "../podTemplates";
import { GiB, parseQuantity } from "../quantity";
import type { RawFinding, Rule } from "../types";
import { POD_CONTROLLERS } from "../kinds";

/** Buys a bigger system disk for a serverless Pod, in GiB (billed beyond the free 20 GiB). */
export const ROOT_CBS_SIZE = "eks.tke.cloud.tencent.com/root-cbs-size";

const EPHEMERAL = "ephemeral-storage";

interface Part {
    name: string;
    bytes: number;
    path: string;
}

function amount(c: Container, measure: "requests" | "limits"): Part | undefined {
    const resources = record(c.container.resources);
    const limit = parseQuantity(record(resources.limits)[EPHEMERAL]);
    // An unset request defaults to the limit, as the API server does.
    const request = parseQuantity(record(resources.requests)[EPHEMERAL]);
    const bytes = measure === "limits" ? limit : (request ?? limit);
    if (bytes === undefined || bytes <= 0) return undefined;
    const section = measure === "limits" || request !== undefined ? measure : "limits";
    return { name: c.name, bytes, path: `${c.path}${pointer("resources", section, EPHEMERAL)}` };
}

/**
 * What the Pod as a whole asks for, the way Kubernetes sizes Pods: app containers and
 * sidecars (restartable init containers) add up; each plain init container runs alone
 * beside the sidecars started before it; the Pod needs the larger of the two phases.
 */
function podAmount(tpl: PodTemplate, measure: "requests" | "limits"): { total: number; parts: Part[] } {
    const parts: Part[] = [];
    let running = 0;
    let sidecars = 0;
    let initPeak = 0;
    for (const c of containers(tpl)) {
        const part = amount(c, measure);
        const bytes = part?.bytes ?? 0;
        if (part) parts.push(part);
        if (c.list === "containers") {
            running += bytes;
        } else if (c.list === "initContainers") {
            if (c.container.restartPolicy === "Always") {
                sidecars += bytes;
                initPeak = Math.max(initPeak, sidecars);
            } else {
                initPeak = Math.max(initPeak, bytes + sidecars);
            }
        }
    }
    return { total: Math.max(running + sidecars, initPeak), parts };
}

function gi(bytes: number): string {
    return `${Math.round((bytes / GiB) * 100) / 100}Gi`;
}

/** Each serverless Pod gets a 20 GiB system disk for images and ephemeral data. */
export const eksEphemeralStorage: Rule<"eks-ephemeral-storage"> = {
    id: "eks-ephemeral-storage",
    defaultLevel: "advisory",
    title: "Ephemeral storage fits the Pod's disk",
    why: "each serverless Pod gets 20 GiB of ephemeral disk, images included, and image garbage collection starts at 80 % (迁移限制: 每个 Pod 默认分配 20GiB 的免费临时磁盘空间)",
    fix: `buy a bigger system disk with the ${ROOT_CBS_SIZE} annotation on the Pod template (the part above 20 GiB is billed), or move the data to a PersistentVolumeClaim`,
    policy: { onTarget: POD_CONTROLLERS, thresholds: ["ephemeralStorageGi"] },
    check(obj, { profile }) {
        const tpl = podTemplate(obj);
        if (!tpl) return [];
        const freeGi = profile.thresholds.ephemeralStorageGi;
        const bought = tpl.annotations[ROOT_CBS_SIZE];
        const diskGi = Math.max(freeGi, bought !== undefined && /^\d+$/.test(bought.trim()) ? Number(bought) : 0);
        const disk = diskGi * GiB;
        const why = `each serverless Pod gets ${diskGi} GiB of ephemeral disk, images included (迁移限制: 每个 Pod 默认分配 ${freeGi}GiB 的免费临时磁盘空间)`;
        const fixFor = (bytes: number) =>
            `set ${ROOT_CBS_SIZE}: "${Math.ceil(bytes / GiB)}" or more (the images need room too) on the Pod template to buy a bigger ` +
            `system disk (billed above ${freeGi} GiB), or move the data to a PersistentVolumeClaim`;
        const out: RawFinding[] = [];
        for (const measure of ["requests", "limits"] as const) {
            const { total, parts } = podAmount(tpl, measure);
            const largest = parts.reduce<Part | undefined>((a, b) => (a && a.bytes >= b.bytes ? a : b), undefined);
            if (total <= disk || !largest) continue;
            const breakdown = parts.map((p) => `${p.name} ${gi(p.bytes)}`).join(", ");
            out.push({
                path: largest.path,
                message: `the Pod's ephemeral-storage ${measure} come to ${gi(total)} (${breakdown}; largest at ${largest.path}), above the disk: ${why}`,
                fix: fixFor(total),
            });
        }
        for (const v of volumes(tpl)) {
            const emptyDir = record(v.volume.emptyDir);
            const medium = str(emptyDir.medium) ?? "";
            // Memory and huge pages count against memory, not the disk.
            if (medium === "Memory" || medium.startsWith("HugePages")) continue;
            const size = parseQuantity(emptyDir.sizeLimit);
            if (size === undefined || size <= disk) continue;
            const path = `${v.path}${pointer("emptyDir", "sizeLimit")}`;
            out.push({
                path,
                message: `emptyDir volume "${v.name}" may grow to ${gi(size)} (sizeLimit at ${path}), above the disk: ${why}`,
                fix: fixFor(size),
            });
        }
        return out;
    },
};
