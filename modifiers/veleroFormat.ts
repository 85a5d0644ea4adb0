/**
 * Velero's restore resource-modifier format (`version: v1`, Velero ≥ 1.12; `matches`,
 * `mergePatches`, `strategicPatches` and glob group-resources since 1.13), and how Velero
 * turns one YAML patch entry into RFC 6902 JSON.
 *
 * Velero reads a patch's `value` into a Go string (sigs.k8s.io/yaml turns a YAML number or
 * boolean into its text) and pastes it into a JSON template (json_patch.go:21-56 at
 * v1.18.2): unquoted when it reads as null, a boolean, a number (Go's ParseFloat) or starts
 * with `{` / `[`; quoted otherwise; a value wrapped in double quotes is pasted as a string
 * with those quotes stripped (from v1.12.2; v1.12.0 and v1.12.1 also paste Go's other
 * boolean spellings such as "t" and "1" unquoted and know no quoted form, so there a string
 * such as "true" cannot be written on its own: resource_modifiers.go:175-196 at v1.12.0). `path` and
 * `from` are pasted as they are. `decodeVeleroPatch` replays that to find what Velero
 * will apply; `encodePatchValue` picks the YAML value that decodes to what a rule meant.
 */
import { isDeepStrictEqual } from "node:util";
import type { JsonPatchOperation } from "./jsonPatch";

/** One `patches[]` entry as the YAML holds it. */
export interface VeleroJsonPatch {
    operation: string;
    path: string;
    from?: string;
    value?: string | number | boolean | null;
}

export interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface ModifierConditions {
    groupResource: string;
    resourceNameRegex?: string;
    namespaces?: string[];
    labelSelector?: LabelSelector;
    matches?: { path: string; value?: string | number | boolean | null }[];
}

export interface ResourceModifierRule {
    conditions: ModifierConditions;
    patches?: VeleroJsonPatch[];
    mergePatches?: { patchData: string }[];
    strategicPatches?: { patchData: string }[];
}

export interface ResourceModifiers {
    version: string;
    resourceModifierRules: ResourceModifierRule[];
}

export const MODIFIERS_VERSION = "v1";

/** What sigs.k8s.io/yaml makes of a YAML scalar decoded into a Go string field. */
export function goStringOf(value: VeleroJsonPatch["value"]): string {
    if (value === null || value === undefined) return "";
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") {
        // Velero formats non-integers as 32-bit floats; the validator refuses them.
        return String(value);
    }
    return value;
}

/** Inputs Go's strconv.ParseFloat accepts (decimal, hex with exponent, inf, infinity, nan). */
function goParsesAsFloat(s: string): boolean {
    return (
        /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s) ||
        /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+$/.test(s) ||
        /^[+-]?(?:inf|infinity|nan)$/i.test(s)
    );
}

/** Velero before v1.12.2 read "1", "t", "F"… as booleans (Go's strconv.ParseBool) and knew no quoted form. */
const GO_BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;

/** Which Velero's pasting rules to follow: "1.12" is v1.12.0–v1.12.1; v1.12.2 added the quoted form and narrowed booleans. */
export type PasteRules = "1.12" | "1.13+";

/** The JSON text Velero pastes for a value string. */
function pastedValue(value: string, rules: PasteRules = "1.13+"): string {
    if (value === "") return '""';
    if (rules === "1.12") {
        const raw = value === "null" || GO_BOOL.test(value) || value.startsWith("{") || value.startsWith("[") || goParsesAsFloat(value);
        return raw ? value : `"${value}"`;
    }
    if (value.startsWith('"') && value.endsWith('"')) {
        // Velero trims one quote from each end (a lone `"` becomes an empty string).
        return `"${value.slice(1, -1)}"`;
    }
    if (value === "null") return value;
    if (value.toLowerCase() === "true" || value.toLowerCase() === "false") return value;
    if (value.startsWith("{") || value.startsWith("[")) return value;
    if (goParsesAsFloat(value)) return value;
    return `"${value}"`;
}

/** The JSON value Velero makes of a patch `value`; throws when Velero would build invalid JSON. */
export function decodeVeleroValue(value: VeleroJsonPatch["value"], rules: PasteRules = "1.13+"): unknown {
    const text = pastedValue(goStringOf(value), rules);
    try {
        return JSON.parse(text) as unknown;
    } catch {
        throw new Error(`Velero would paste ${JSON.stringify(goStringOf(value))} into its JSON patch as ${text}, which is not valid JSON`);
    }
}

/**
 * The RFC 6902 operation Velero applies for one YAML patch entry. Throws when the entry
 * would not decode, or when pasting `path`/`from` unescaped would change them.
 */
export function decodeVeleroPatch(p: VeleroJsonPatch, rules: PasteRules = "1.13+"): JsonPatchOperation {
    const from = p.from ?? "";
    const text = `{"op": "${p.operation}", "from": "${from}", "path": "${p.path}", "value": ${pastedValue(goStringOf(p.value), rules)}}`;
    let parsed: { op: string; from: string; path: string; value: unknown };
    try {
        parsed = JSON.parse(text) as typeof parsed;
    } catch {
        throw new Error(`Velero would build the JSON patch ${text}, which is not valid JSON`);
    }
    if (parsed.path !== p.path || parsed.from !== from) {
        throw new Error(`Velero pastes path and from unescaped: ${JSON.stringify(p.path)} would be read as ${JSON.stringify(parsed.path)}`);
    }
    const op: JsonPatchOperation = { op: parsed.op as JsonPatchOperation["op"], path: parsed.path };
    if (parsed.op === "move" || parsed.op === "copy") op.from = parsed.from;
    if (parsed.op === "add" || parsed.op === "replace" || parsed.op === "test") op.value = parsed.value;
    return op;
}

/**
 * The YAML `value` that Velero decodes to `value`: plain text when that reads back as the
 * same string, else the JSON-quoted form (Velero ≥ 1.13); integers and booleans as YAML
 * scalars; objects, arrays and null as JSON text.
 */
export function encodePatchValue(value: unknown, rules: PasteRules = "1.13+"): string | number | boolean {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw new Error(`a patch value must be JSON, not ${String(value)}`);
    // What the rule meant, as JSON has it (-0 is 0, undefined members dropped).
    const meant: unknown = JSON.parse(json);
    let encoded: string | number | boolean;
    if (typeof meant === "string") {
        encoded = isDeepStrictEqual(safeDecode(meant, rules), meant) ? meant : json;
    } else if (typeof meant === "boolean" || (typeof meant === "number" && Number.isSafeInteger(meant))) {
        encoded = meant;
    } else {
        encoded = json;
    }
    if (!isDeepStrictEqual(safeDecode(encoded, rules), meant)) {
        throw new Error(`the value ${json} cannot be written so that Velero${rules === "1.12" ? " before v1.12.2" : ""} reads it back unchanged`);
    }
    return encoded;
}

function safeDecode(value: VeleroJsonPatch["value"], rules: PasteRules): unknown {
    try {
        return decodeVeleroValue(value, rules);
    } catch {
        return Symbol("undecodable");
    }
}
