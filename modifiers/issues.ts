/** Turns schema issues (zod) into one-line messages naming the offending key, for any strict file format. */
import type { z } from "zod";

/** `resourceModifierRules[0].patches[1].value`; `(top level)` for the root. */
export function issuePath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const seg of path) {
        out += typeof seg === "number" ? `[${seg}]` : `${out ? "." : ""}${String(seg)}`;
    }
    return out || "(top level)";
}

const TYPE_WORDS: Record<string, string> = { object: "a map", array: "a list", string: "a string", number: "a number", boolean: "true or false", null: "null" };

function typeWord(type: string): string {
    return TYPE_WORDS[type] ?? type;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
    return issues.map((i) => {
        if (i.code === "unrecognized_keys") {
            return `${issuePath(i.path)}: unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}`;
        }
        if (i.code === "invalid_type" && i.message.endsWith("received undefined")) return `${issuePath(i.path)}: required (${i.expected})`;
        // zod says "Invalid input: expected object, received array": in the words of the file's format.
        const received = i.code === "invalid_type" ? /received (\w+)$/.exec(i.message)?.[1] : undefined;
        if (i.code === "invalid_type" && received !== undefined) return `${issuePath(i.path)}: must be ${typeWord(i.expected)}, not ${typeWord(received)}`;
        return `${issuePath(i.path)}: ${i.message}`;
    });
}
