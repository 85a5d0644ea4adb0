/**
 * The rules' declarative fixes (rules/types.ts FixEdit): applied to a plain object, and
 * resolved against the object they were found on into what the modifier builder needs to
 * write them for any Velero: each list element they reach with its strategic-merge key, how
 * much of each path exists, and, for the Velero that cannot paste some strings, the map that
 * holds them.
 */
import { isRecord } from "../rules/objects";
import type { FixEdit, KubeObject } from "../rules/types";
import { parsePointer } from "./jsonPatch";
import { mergeKeyOf, uniqueKeyValue } from "./mergeKeys";
import { decodeVeleroValue } from "./veleroFormat";

function isIndex(token: string): boolean {
    return /^(0|[1-9]\d*)$/.test(token);
}

/** Applies edits in order to a copy of `obj`; throws when a path crosses a missing array element or a non-container. */
export function applyFixEdits(obj: KubeObject, edits: readonly FixEdit[]): KubeObject {
    const out = structuredClone(obj);
    edits: for (const edit of edits) {
        const tokens = parsePointer(edit.path);
        if (tokens.length === 0) throw new Error("a fix may not replace the whole object");
        let cur: unknown = out;
        for (let i = 0; i < tokens.length - 1; i++) {
            const t = tokens[i];
            if (Array.isArray(cur)) {
                if (!isIndex(t) || Number(t) >= cur.length) throw new Error(`${edit.path}: no element ${t} in the list`);
                cur = cur[Number(t)];
            } else if (isRecord(cur)) {
                const child = cur[t];
                const fits = isRecord(child) || (Array.isArray(child) && isIndex(tokens[i + 1]));
                if (!fits && edit.op === "unset") continue edits;
                // Set makes a map wherever the path needs one and finds none (missing, null, another type).
                if (!fits) cur[t] = {};
                cur = cur[t];
            }
            if (!Array.isArray(cur) && !isRecord(cur)) throw new Error(`${edit.path}: "${t}" is not a map or list`);
        }
        const last = tokens[tokens.length - 1];
        if (edit.op === "unset") {
            if (isRecord(cur)) delete cur[last];
            else if (Array.isArray(cur)) throw new Error(`${edit.path}: unset addresses a map member, not a list element`);
        } else if (Array.isArray(cur)) {
            if (!isIndex(last) || Number(last) >= cur.length) throw new Error(`${edit.path}: no element ${last} in the list`);
            cur[Number(last)] = structuredClone(edit.value);
        } else if (isRecord(cur)) {
            cur[last] = structuredClone(edit.value);
        }
    }
    return out;
}

/** A list element a path goes through, and how a strategic merge patch names it. */
export interface ElementStep {
    /** Index of the path token that is the element's index. */
    at: number;
    /** The list's merge key and this element's value for it; undefined when the list has none or the value is not unique. */
    key?: { name: string; value: string | number };
}

export interface ResolvedEdit {
    op: FixEdit["op"];
    /** The path's tokens (RFC 6901, unescaped). */
    tokens: string[];
    value?: unknown;
    elements: ElementStep[];
    /** How many leading tokens of a `set` already exist in the object (a JSON patch adds the rest as one nested value). */
    existing: number;
    /**
     * A `set` of a string that Velero before v1.12.2 would paste as another type ("true"):
     * the map holding it as it is once all the object's fixes are applied, to be written whole.
     */
    legacyParent?: Record<string, unknown>;
}

/** One independent fix, resolved against the object it was found on. */
export interface ResolvedFix {
    edits: ResolvedEdit[];
}

function resolveEdit(obj: KubeObject, edit: FixEdit, fixed: () => KubeObject): ResolvedEdit {
    const tokens = parsePointer(edit.path);
    const out: ResolvedEdit = { op: edit.op, tokens, elements: [], existing: 0 };
    if (edit.op === "set") out.value = edit.value;
    let cur: unknown = obj;
    let existing = 0;
    for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (Array.isArray(cur)) {
            if (!isIndex(t) || Number(t) >= cur.length) throw new Error(`${edit.path}: no element ${t} in the list`);
            const name = mergeKeyOf(obj, tokens.slice(0, i));
            const value = name === undefined ? undefined : uniqueKeyValue(cur, Number(t), name);
            out.elements.push(name !== undefined && value !== undefined ? { at: i, key: { name, value } } : { at: i });
            cur = cur[Number(t)];
        } else if (isRecord(cur) && t in cur && (i === tokens.length - 1 || isRecord(cur[t]) || (Array.isArray(cur[t]) && isIndex(tokens[i + 1])))) {
            cur = cur[t];
        } else if (isRecord(cur)) {
            break; // `set` makes the maps from here, in place of what is there
        } else {
            throw new Error(`${edit.path}: "${tokens[i - 1]}" is not a map or list`);
        }
        existing = i + 1;
    }
    out.existing = existing;
    if (edit.op === "set" && typeof edit.value === "string" && existing >= tokens.length - 1 && !pastesAsString(edit.value)) {
        let parent: unknown = fixed();
        for (const t of tokens.slice(0, -1)) parent = Array.isArray(parent) ? parent[Number(t)] : isRecord(parent) ? parent[t] : undefined;
        if (isRecord(parent)) out.legacyParent = parent;
    }
    return out;
}

/** Whether Velero before v1.12.2 reads this string back as the same string. */
function pastesAsString(value: string): boolean {
    try {
        return decodeVeleroValue(value, "1.12") === value;
    } catch {
        return false;
    }
}

/**
 * Resolves each fix of one object on its own, so one that cannot be written never drops
 * another: the fixes that resolve, and why the others did not.
 */
export function resolveFixes(obj: KubeObject, fixes: readonly (readonly FixEdit[])[]): { fixes: ResolvedFix[]; problems: string[] } {
    let after: KubeObject | undefined;
    const fixed = () => (after ??= fixes.reduce<KubeObject>((o, f) => {
        try {
            return applyFixEdits(o, f);
        } catch {
            return o;
        }
    }, obj));
    const out: ResolvedFix[] = [];
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const fix of fixes) {
        const id = JSON.stringify(fix);
        if (fix.length === 0 || seen.has(id)) continue;
        seen.add(id);
        try {
            out.push({ edits: fix.map((e) => resolveEdit(obj, e, fixed)) });
        } catch (err) {
            problems.push((err as Error).message);
        }
    }
    return { fixes: out, problems };
}
