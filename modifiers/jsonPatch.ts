/**
 * RFC 6902 JSON Patch, applied the way Velero's json-patch library applies a resource
 * modifier: strictly (a missing path fails), all-or-nothing, on a copy. Tests replay the
 * restore modifiers with it; nothing here mutates its input.
 */
import { isDeepStrictEqual } from "node:util";
import { isRecord, unescapePointer } from "../rules/objects";

export const PATCH_OPERATIONS = ["add", "remove", "replace", "move", "copy", "test"] as const;
export type PatchOperation = (typeof PATCH_OPERATIONS)[number];

export interface JsonPatchOperation {
    op: PatchOperation;
    path: string;
    /** For move and copy. */
    from?: string;
    /** For add, replace and test. */
    value?: unknown;
}

export class JsonPatchError extends Error {
    constructor(
        message: string,
        /** Index of the failing operation. */
        readonly index: number,
        /** True when a `test` operation did not match (Velero then skips the rule silently). */
        readonly testFailed = false,
    ) {
        super(message);
        this.name = "JsonPatchError";
    }
}

/** The reference tokens of a JSON pointer (RFC 6901); throws on a malformed pointer. */
export function parsePointer(ptr: string): string[] {
    if (ptr === "") return [];
    if (!ptr.startsWith("/")) throw new Error(`JSON pointer "${ptr}" must be empty or start with "/"`);
    return ptr
        .slice(1)
        .split("/")
        .map((token) => {
            if (/~(?![01])/.test(token)) throw new Error(`JSON pointer "${ptr}" has "~" not followed by 0 or 1`);
            return unescapePointer(token);
        });
}

type Container = Record<string, unknown> | unknown[];

function arrayIndex(token: string, length: number, allowEnd: boolean, ptr: string): number {
    if (allowEnd && token === "-") return length;
    if (!/^(0|[1-9]\d*)$/.test(token)) throw new Error(`"${token}" in ${ptr} is not an array index`);
    const i = Number(token);
    if (i > length || (!allowEnd && i === length)) throw new Error(`index ${i} in ${ptr} is out of bounds (length ${length})`);
    return i;
}

/** The container holding the pointer's last token, and that token. */
function parentOf(doc: unknown, tokens: string[], ptr: string): { parent: Container; key: string } {
    let cur: unknown = doc;
    for (const token of tokens.slice(0, -1)) {
        if (Array.isArray(cur)) cur = cur[arrayIndex(token, cur.length, false, ptr)];
        else if (isRecord(cur) && Object.prototype.hasOwnProperty.call(cur, token)) cur = cur[token];
        else throw new Error(`${ptr} does not exist (no "${token}")`);
    }
    if (!Array.isArray(cur) && !isRecord(cur)) throw new Error(`${ptr} does not exist (its parent is not an object or array)`);
    return { parent: cur, key: tokens[tokens.length - 1] };
}

function get(doc: unknown, ptr: string): unknown {
    const tokens = parsePointer(ptr);
    if (tokens.length === 0) return doc;
    const { parent, key } = parentOf(doc, tokens, ptr);
    if (Array.isArray(parent)) return parent[arrayIndex(key, parent.length, false, ptr)];
    if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new Error(`${ptr} does not exist`);
    return parent[key];
}

/** Returns the new document (the root may be replaced). */
function add(doc: unknown, ptr: string, value: unknown): unknown {
    const tokens = parsePointer(ptr);
    if (tokens.length === 0) return value;
    const { parent, key } = parentOf(doc, tokens, ptr);
    if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, true, ptr), 0, value);
    else parent[key] = value;
    return doc;
}

function remove(doc: unknown, ptr: string): unknown {
    const tokens = parsePointer(ptr);
    if (tokens.length === 0) throw new Error("cannot remove the whole document");
    const { parent, key } = parentOf(doc, tokens, ptr);
    if (Array.isArray(parent)) {
        parent.splice(arrayIndex(key, parent.length, false, ptr), 1);
    } else {
        if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new Error(`${ptr} does not exist`);
        delete parent[key];
    }
    return doc;
}

function applyOne(doc: unknown, op: JsonPatchOperation, index: number): unknown {
    switch (op.op) {
        case "add":
            return add(doc, op.path, structuredClone(op.value));
        case "remove":
            return remove(doc, op.path);
        case "replace":
            get(doc, op.path);
            return add(remove(doc, op.path), op.path, structuredClone(op.value));
        case "move": {
            const from = op.from ?? "";
            if (op.path.startsWith(from + "/")) throw new Error(`cannot move ${from} into its own child ${op.path}`);
            const value = get(doc, from);
            return add(remove(doc, from), op.path, value);
        }
        case "copy":
            return add(doc, op.path, structuredClone(get(doc, op.from ?? "")));
        case "test": {
            // As evanphx/json-patch v5 (Velero's, go.mod:22 at v1.18.2) tests: a missing member of an
            // existing map is a failed test (passed when testing for null); a missing map or element is an error.
            const tokens = parsePointer(op.path);
            const { parent, key } = tokens.length > 0 ? parentOf(doc, tokens, op.path) : { parent: undefined, key: "" };
            if (isRecord(parent) && !Object.prototype.hasOwnProperty.call(parent, key)) {
                if (op.value === null) return doc;
                throw new JsonPatchError(`test at ${op.path} failed: it does not exist`, index, true);
            }
            const actual = get(doc, op.path);
            if (!isDeepStrictEqual(actual, op.value)) {
                throw new JsonPatchError(`test at ${op.path} failed: found ${JSON.stringify(actual)}, expected ${JSON.stringify(op.value)}`, index, true);
            }
            return doc;
        }
        default:
            throw new Error(`unknown operation "${String((op as { op: unknown }).op)}"`);
    }
}

/**
 * Applies every operation in order to a copy of `doc` and returns the result; the input is
 * left untouched. Throws JsonPatchError naming the failing operation.
 */
export function applyJsonPatch<T>(doc: T, ops: readonly JsonPatchOperation[]): T {
    let out: unknown = structuredClone(doc);
    ops.forEach((op, i) => {
        try {
            out = applyOne(out, op, i);
        } catch (err) {
            if (err instanceof JsonPatchError) throw err;
            throw new JsonPatchError(`operation ${i} (${op.op} ${op.path}): ${(err as Error).message}`, i);
        }
    });
    return out as T;
}
