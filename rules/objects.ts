/**
 * Defensive accessors: rules read objects of unknown shape (null fields, wrong types,
 * arbitrary JSON) and must never throw on them.
 */
import type { FixEdit, KubeObject, ObjectRef } from "./types";

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function record(v: unknown): Record<string, unknown> {
    return isRecord(v) ? v : {};
}

export function array(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/** Kubernetes annotation/label maps, string values only. */
export function stringMap(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(record(v))) {
        if (typeof val === "string") out[k] = val;
    }
    return out;
}

/** One JSON-pointer segment (RFC 6901): `~` → `~0`, `/` → `~1`. */
export function escapePointer(segment: string | number): string {
    const s = String(segment);
    // Rules build a pointer for every container and port they look at: skip the regexes when there is nothing to escape.
    return s.includes("~") || s.includes("/") ? s.replace(/~/g, "~0").replace(/\//g, "~1") : s;
}

/** One JSON-pointer reference token decoded (RFC 6901): `~1` → `/`, then `~0` → `~`. */
export function unescapePointer(token: string): string {
    return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function pointer(...segments: (string | number)[]): string {
    return segments.map((s) => "/" + escapePointer(s)).join("");
}

/** Resolves a JSON pointer; `undefined` when any step is missing. */
export function resolvePointer(obj: unknown, ptr: string): unknown {
    if (ptr === "") return obj;
    if (!ptr.startsWith("/")) return undefined;
    let cur: unknown = obj;
    for (const raw of ptr.slice(1).split("/")) {
        const key = unescapePointer(raw);
        if (Array.isArray(cur)) {
            if (!/^(0|[1-9]\d*)$/.test(key)) return undefined;
            cur = cur[Number(key)];
        } else if (isRecord(cur) && Object.prototype.hasOwnProperty.call(cur, key)) {
            cur = cur[key];
        } else {
            return undefined;
        }
    }
    return cur;
}

export function kindOf(obj: KubeObject): string {
    return str(obj.kind) ?? "";
}

export function apiVersionOf(obj: KubeObject): string {
    return str(obj.apiVersion) ?? "";
}

/** The API group of an apiVersion: "" for the core group. */
export function groupOf(apiVersion: string): string {
    const slash = apiVersion.indexOf("/");
    return slash < 0 ? "" : apiVersion.slice(0, slash);
}

export function refOf(obj: KubeObject, source?: string): ObjectRef {
    const meta = record(obj.metadata);
    const ref: ObjectRef = { apiVersion: apiVersionOf(obj), kind: kindOf(obj) };
    const ns = str(meta.namespace);
    const name = str(meta.name);
    if (ns !== undefined) ref.namespace = ns;
    if (name !== undefined) ref.name = name;
    if (source !== undefined) ref.source = source;
    return ref;
}

/** "Deployment shop/web", for messages. */
export function describe(ref: ObjectRef): string {
    const id = [ref.namespace, ref.name].filter((s) => s !== undefined && s !== "").join("/");
    return id ? `${ref.kind} ${id}` : ref.kind || "object";
}

/**
 * The edit that sets one entry of a metadata string map (`labels`, `annotations`) at
 * `metadataPath`; none when there is nowhere to put it (the metadata's parent is missing).
 * Setting creates the map, and the metadata itself, when absent.
 */
export function metadataEntryFix(obj: KubeObject, metadataPath: string, map: "labels" | "annotations", key: string, value: string): FixEdit[] {
    const parent = metadataPath.slice(0, metadataPath.lastIndexOf("/"));
    if (!isRecord(resolvePointer(obj, parent))) return [];
    return [{ op: "set", path: `${metadataPath}${pointer(map, key)}`, value }];
}
