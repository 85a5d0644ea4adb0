/** What a remediation changed in a resource's inputs, as JSON-patch-like steps for the plan. */
import { isDeepStrictEqual } from "node:util";
import { escapePointer, isRecord } from "../rules/objects";

export interface PropertyChange {
    op: "add" | "remove" | "replace";
    /** JSON pointer into the resource's inputs. */
    path: string;
    value?: unknown;
}

export function propertyChanges(before: unknown, after: unknown, path = ""): PropertyChange[] {
    if (isDeepStrictEqual(before, after)) return [];
    if (isRecord(before) && isRecord(after)) {
        const out: PropertyChange[] = [];
        for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
            const at = `${path}/${escapePointer(key)}`;
            if (!(key in after)) out.push({ op: "remove", path: at });
            else if (!(key in before)) out.push({ op: "add", path: at, value: after[key] });
            else out.push(...propertyChanges(before[key], after[key], at));
        }
        return out;
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        return before.flatMap((b: unknown, i) => propertyChanges(b, after[i], `${path}/${i}`));
    }
    return [{ op: "replace", path, value: after }];
}

/** "add /metadata/labels/x = "true", remove /spec/ports/0/nodePort" */
export function describeChanges(changes: readonly PropertyChange[]): string {
    return changes.map((c) => `${c.op} ${c.path}${c.op === "remove" ? "" : ` = ${JSON.stringify(c.value)}`}`).join(", ");
}
