/**
 * One walker shared by every workload rule: finds the Pod specs inside any Pod controller,
 * whatever its API version (core, apps, extensions/v1beta1, apps/v1beta*, batch/*), so a
 * rule written for Pods judges every kind that makes Pods.
 */
import { array, isRecord, kindOf, pointer, record, str, stringMap } from "./objects";
import type { KubeObject } from "./types";

/** Where the Pod template sits in each controller kind. */
const TEMPLATE_PATHS: Record<string, string[]> = {
    Pod: [],
    PodTemplate: ["template"],
    Deployment: ["spec", "template"],
    StatefulSet: ["spec", "template"],
    ReplicaSet: ["spec", "template"],
    ReplicationController: ["spec", "template"],
    DaemonSet: ["spec", "template"],
    Job: ["spec", "template"],
    CronJob: ["spec", "jobTemplate", "spec", "template"],
};

export interface PodTemplate {
    /** The Pod spec (`{}` when absent or malformed). */
    spec: Record<string, unknown>;
    /** JSON pointer of the Pod spec. */
    specPath: string;
    /** The Pod template's labels and annotations (for a bare Pod, its own). */
    annotations: Record<string, string>;
    labels: Record<string, string>;
    /** JSON pointer of the Pod template's metadata. */
    metadataPath: string;
}

export interface Container {
    container: Record<string, unknown>;
    /** JSON pointer of the container. */
    path: string;
    /** "containers", "initContainers" or "ephemeralContainers". */
    list: string;
    name: string;
}

/** The object's Pod template, or `undefined` if it makes no Pods. */
export function podTemplate(obj: KubeObject): PodTemplate | undefined {
    const kind = kindOf(obj);
    if (!Object.prototype.hasOwnProperty.call(TEMPLATE_PATHS, kind)) return undefined;
    const steps = TEMPLATE_PATHS[kind];
    let cur: unknown = obj;
    for (const step of steps) {
        cur = record(cur)[step];
    }
    const template = record(cur);
    const metadata = record(template.metadata);
    return {
        spec: record(template.spec),
        specPath: pointer(...steps, "spec"),
        annotations: stringMap(metadata.annotations),
        labels: stringMap(metadata.labels),
        metadataPath: pointer(...steps, "metadata"),
    };
}

const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;

/** Every container of a Pod spec, init and ephemeral ones included. */
export function containers(tpl: PodTemplate): Container[] {
    const out: Container[] = [];
    for (const list of CONTAINER_LISTS) {
        array(tpl.spec[list]).forEach((c, i) => {
            if (!isRecord(c)) return;
            out.push({ container: c, path: `${tpl.specPath}${pointer(list, i)}`, list, name: str(c.name) ?? `#${i}` });
        });
    }
    return out;
}

/** Every volume of a Pod spec with its JSON pointer. */
export function volumes(tpl: PodTemplate): { volume: Record<string, unknown>; path: string; name: string }[] {
    const out: { volume: Record<string, unknown>; path: string; name: string }[] = [];
    array(tpl.spec.volumes).forEach((v, i) => {
        if (isRecord(v)) out.push({ volume: v, path: `${tpl.specPath}${pointer("volumes", i)}`, name: str(v.name) ?? `#${i}` });
    });
    return out;
}

/**
 * Annotations that count for a workload: the Pod template's and the controller's own
 * (TKE reads some, such as the fixed-IP ones, from either place).
 */
export function workloadAnnotations(obj: KubeObject, tpl: PodTemplate): { key: string; value: string; path: string }[] {
    const out: { key: string; value: string; path: string }[] = [];
    const own = stringMap(record(obj.metadata).annotations);
    for (const [key, value] of Object.entries(tpl.annotations)) {
        out.push({ key, value, path: `${tpl.metadataPath}${pointer("annotations", key)}` });
    }
    if (tpl.metadataPath !== "/metadata") {
        for (const [key, value] of Object.entries(own)) {
            out.push({ key, value, path: pointer("metadata", "annotations", key) });
        }
    }
    return out;
}

export interface ResourceEntry {
    /** "requests" or "limits". */
    section: "requests" | "limits";
    /** The resource name, e.g. "ephemeral-storage" or "tke.cloud.tencent.com/eni-ip". */
    name: string;
    value: unknown;
    /** JSON pointer of the entry. */
    path: string;
}

/** Every resource request and limit a container declares. */
export function resourceEntries(c: Container): ResourceEntry[] {
    const resources = record(c.container.resources);
    const out: ResourceEntry[] = [];
    for (const section of ["requests", "limits"] as const) {
        for (const [name, value] of Object.entries(record(resources[section]))) {
            out.push({ section, name, value, path: `${c.path}${pointer("resources", section, name)}` });
        }
    }
    return out;
}
