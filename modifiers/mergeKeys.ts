/**
 * The strategic-merge keys (`patchMergeKey` in k8s.io/api) of the lists our fixes reach
 * into: a Service's ports merge on `port` (core/v1 ServiceSpec.Ports), a Pod spec's
 * containers on `name`, a container's ports on `containerPort`, its env on `name`, the Pod's
 * volumes on `name`. Any other list is replaced whole by a strategic merge patch.
 */
import { isRecord, kindOf } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { parsePointer } from "./jsonPatch";
import { podTemplate } from "../rules/podTemplates";

const CONTAINER_LISTS = new Set(["containers", "initContainers", "ephemeralContainers"]);

/**
 * The merge key of the list at `listTokens` (array indices written as they are) in this
 * object, or undefined when it has none.
 */
export function mergeKeyOf(obj: KubeObject, listTokens: readonly string[]): string | undefined {
    const joined = listTokens.map((t) => (/^\d+$/.test(t) ? "*" : t)).join("/");
    if (kindOf(obj) === "Service" && joined === "spec/ports") return "port";
    const tpl = podTemplate(obj);
    if (!tpl) return undefined;
    const spec = parsePointer(tpl.specPath).join("/");
    const prefix = spec === "" ? "" : `${spec}/`;
    if (!joined.startsWith(prefix)) return undefined;
    const rest = joined.slice(prefix.length).split("/");
    if (rest.length === 1 && CONTAINER_LISTS.has(rest[0])) return "name";
    if (rest.length === 1 && rest[0] === "volumes") return "name";
    if (rest.length === 3 && CONTAINER_LISTS.has(rest[0]) && rest[1] === "*") {
        if (rest[2] === "ports") return "containerPort";
        if (rest[2] === "env") return "name";
    }
    return undefined;
}

/** The element's value for the list's merge key when exactly one element of the list has it. */
export function uniqueKeyValue(list: readonly unknown[], index: number, key: string): string | number | undefined {
    const el = list[index];
    if (!isRecord(el)) return undefined;
    const value = el[key];
    if (typeof value !== "string" && typeof value !== "number") return undefined;
    return list.filter((e) => isRecord(e) && e[key] === value).length === 1 ? value : undefined;
}
