/**
 * Typed lists (`PodList`, `ReplicaSetList`, ... as the API server, `kubectl get --raw` and
 * support bundles return them) carry no `kind` or `apiVersion` on their items: each item takes
 * them from the list. Every input (manifest files, stdin, a live cluster) types items here.
 */
import { str } from "../rules/objects";
import type { KubeObject } from "../rules/types";

export interface ItemType {
    kind: string;
    apiVersion: string;
}

/** `PodList` v1 → Pod v1; undefined for a plain `List` (its items must name their own kind) or anything else. */
export function itemTypeOf(list: { kind?: unknown; apiVersion?: unknown }): ItemType | undefined {
    const kind = str(list.kind);
    const apiVersion = str(list.apiVersion);
    if (!kind || !apiVersion || kind === "List" || !kind.endsWith("List")) return undefined;
    return { kind: kind.slice(0, -"List".length), apiVersion };
}

/** Whether an item already names its kind and apiVersion. */
export function isTyped(item: Record<string, unknown>): item is KubeObject & { kind: string; apiVersion: string } {
    return typeof item.kind === "string" && typeof item.apiVersion === "string";
}

/** The item with the list's kind and apiVersion where it has none of its own. */
export function typedItem(item: Record<string, unknown>, type: ItemType | undefined): Record<string, unknown> {
    if (!type || isTyped(item)) return item;
    const { apiVersion, kind, ...rest } = item;
    return { apiVersion: str(apiVersion) ?? type.apiVersion, kind: str(kind) ?? type.kind, ...rest };
}
