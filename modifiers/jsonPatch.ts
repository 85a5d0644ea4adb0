/**
 * RFC 6902 JSON Patch, applied the way Velero's json-patch library applies a resource
 * modifier: strictly (a missing path fails), all-or-nothing, on a copy. Tests replay the
 * restore modifiers with it; nothing here mutates its input.
 *
 * Hand-written on purpose. Velero v1.18.2 applies patches with evanphx/json-patch v5.9.11
 * (go.mod:22; internal/resourcemodifiers/json_patch.go:83-93), and both npm libraries
 * differ from it where our replay depends on it (test/modifiers/jsonPatchLibraries.spec.ts
 * runs the cases against them):
 * - fast-json-patch 3.1.1 fails a `test` for null on a missing member, which evanphx passes
 *   (v5/patch.go:1110-1113: a `matches` condition with value null matches an object without
 *   the field); it also replaces the whole document with a scalar (evanphx refuses,
 *   v5/patch.go:983-990), removes the whole document (evanphx: missing key), and throws a
 *   TypeError instead of a patch error on `move` from "" or into its own child.
 * - rfc6902 5.4.0 applies operations one by one and keeps those before a failure (Velero
 *   applies all or none: v5/patch.go:1255-1276 returns no document on the first error), fails
 *   the same null test, reports a missing parent as a failed test (evanphx: ErrMissing,
 *   v5/patch.go:1097-1100, which Velero does not treat as "skip the rule",
 *   json_patch.go:65), and reports success for an index such as `-1` or `01` while
 *   changing no element.
 * Where all three, ours included, still differ from evanphx: it accepts negative array
 * indices (v5/patch.go:24, 650-657) and indices strconv.Atoi reads such as `01`; and it
 * compares numbers in `test` by their JSON text (v5/patch.go:354-374: `1.0` is not `1`),
 * which JSON.parse has already lost by the time a value reaches us.
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
            // The whole document, as evanphx does it: only by an object or array (v5/patch.go:983-1005).
            if (op.path === "") {
                if (!isRecord(op.value) && !Array.isArray(op.value)) throw new Error("the whole document can only be replaced by an object or array");
                return structuredClone(op.value);
            }
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
