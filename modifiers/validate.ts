/**
 * A strict validator of Velero's resource-modifier ConfigMap, at least as strict as Velero
 * (unknown keys, duplicate keys, version, empty rules, patch operations, exactly one kind of
 * patch per rule) and stricter where Velero would accept something that fails at restore
 * time: a patch that would not decode, an `add` without value, a regex Go cannot compile;
 * given the Velero version, also what that version cannot read (before v1.12.2: no globs,
 * matches, merge or strategic patches, nor quoted values; before v1.14.0: no strategic
 * patches of apps or batch objects).
 */
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { globToRegExp } from "./glob";
import { formatIssues, issuePath } from "./issues";
import { parsePointer, PATCH_OPERATIONS } from "./jsonPatch";
import { pasteRulesFor, strategicApiVersions } from "./veleroLines";
import { decodeVeleroPatch, MODIFIERS_VERSION, type PasteRules, type ResourceModifiers } from "./veleroFormat";

/** Velero reads modifier YAML with go-yaml v2, i.e. YAML 1.1 (unquoted `yes` is a boolean). */
export const MODIFIER_YAML_VERSION = "1.1";

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: "must be a string, number, boolean or null (Velero reads it into a string)" });

const patchSchema = z.strictObject({
    operation: z.string(),
    path: z.string(),
    from: z.string().optional(),
    value: scalar.optional(),
});

const labelSelectorSchema = z.strictObject({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z
        .array(z.strictObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }))
        .optional(),
});

const conditionsSchema = z.strictObject({
    groupResource: z.string(),
    resourceNameRegex: z.string().optional(),
    namespaces: z.array(z.string()).optional(),
    labelSelector: labelSelectorSchema.optional(),
    matches: z.array(z.strictObject({ path: z.string(), value: scalar.optional() })).optional(),
});

const patchDataSchema = z.array(z.strictObject({ patchData: z.string() }));

const ruleSchema = z.strictObject({
    conditions: conditionsSchema,
    patches: z.array(patchSchema).optional(),
    mergePatches: patchDataSchema.optional(),
    strategicPatches: patchDataSchema.optional(),
});

type Issue = { path: (string | number)[]; message: string };

function checkRegex(regex: string, path: (string | number)[], issues: Issue[]): void {
    // Go's regexp is RE2: no lookaround, no backreferences.
    if (/\(\?<?[=!]|\\[1-9]/.test(regex)) {
        issues.push({ path, message: `"${regex}" uses lookaround or a backreference, which Go's RE2 regexp does not support` });
        return;
    }
    try {
        new RegExp(regex);
    } catch (err) {
        issues.push({ path, message: `"${regex}" is not a valid regular expression: ${(err as Error).message}` });
    }
}

function checkPatch(p: z.infer<typeof patchSchema>, path: (string | number)[], issues: Issue[], rules: PasteRules): void {
    if (!(PATCH_OPERATIONS as readonly string[]).includes(p.operation)) {
        issues.push({ path: [...path, "operation"], message: `"${p.operation}" is not one of ${PATCH_OPERATIONS.join(", ")} (lower case)` });
        return;
    }
    for (const key of ["path", "from"] as const) {
        const ptr = p[key];
        if (ptr === undefined) continue;
        try {
            parsePointer(ptr);
        } catch (err) {
            issues.push({ path: [...path, key], message: (err as Error).message });
        }
    }
    if (p.path === "") issues.push({ path: [...path, "path"], message: "must not be empty" });
    if ((p.operation === "move" || p.operation === "copy") && p.from === undefined) {
        issues.push({ path: [...path, "from"], message: `${p.operation} needs from` });
    }
    if (["add", "replace", "test"].includes(p.operation) && p.value === undefined) {
        issues.push({ path: [...path, "value"], message: `${p.operation} needs a value (Velero would use an empty string)` });
    }
    if (typeof p.value === "number" && !Number.isSafeInteger(p.value)) {
        issues.push({ path: [...path, "value"], message: `${p.value}: Velero reads non-integer numbers as 32-bit floats; write it as a string` });
    }
    try {
        // Under 1.12's rules a quoted value ("\"true\"") pastes as invalid JSON, so this catches it too.
        decodeVeleroPatch(p, rules);
    } catch (err) {
        issues.push({ path, message: (err as Error).message });
    }
}

/** Features Velero added in v1.12.2 (backported from 1.13), refused when validating for an older Velero. */
function checkLegacy(rule: z.infer<typeof ruleSchema>, at: (string | number)[], issues: Issue[]): void {
    const needs = (path: (string | number)[], what: string) => issues.push({ path, message: `${what} needs Velero ≥ 1.12.2` });
    if (/[*?[{\\]/.test(rule.conditions.groupResource)) needs([...at, "conditions", "groupResource"], "a glob");
    if (rule.conditions.matches) needs([...at, "conditions", "matches"], "matches");
    if (rule.mergePatches) needs([...at, "mergePatches"], "mergePatches");
    if (rule.strategicPatches) needs([...at, "strategicPatches"], "strategicPatches");
}

function checkPatchData(data: string, path: (string | number)[], issues: Issue[]): void {
    const doc = parseDocument(data, { version: MODIFIER_YAML_VERSION });
    const value: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
    if (doc.errors.length > 0 || typeof value !== "object" || value === null || Array.isArray(value)) {
        issues.push({ path, message: "must be a YAML or JSON mapping" });
    }
}

function checkLabelSelector(sel: z.infer<typeof labelSelectorSchema>, path: (string | number)[], issues: Issue[]): void {
    (sel.matchExpressions ?? []).forEach((e, i) => {
        const at = [...path, "matchExpressions", i];
        const needsValues = e.operator === "In" || e.operator === "NotIn";
        if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(e.operator)) {
            issues.push({ path: [...at, "operator"], message: `"${e.operator}" is not one of In, NotIn, Exists, DoesNotExist` });
        } else if (needsValues !== (e.values ?? []).length > 0) {
            issues.push({ path: [...at, "values"], message: needsValues ? `${e.operator} needs values` : `${e.operator} takes no values` });
        }
    });
}

/** A strategic patch needs the object's kind in the Velero's scheme (veleroLines.ts). */
function checkStrategicKind(groupResource: string, velero: string, path: (string | number)[], issues: Issue[]): void {
    const group = groupResource.includes(".") ? groupResource.slice(groupResource.indexOf(".") + 1) : "";
    if ((group === "apps" || group === "batch") && !strategicApiVersions(velero).has(`${group}/v1`)) {
        issues.push({ path, message: `Velero ${velero} cannot strategic-merge ${groupResource} (its scheme knows ${group}/v1 from v1.14.0); use patches or mergePatches` });
    }
}

/** One schema per Velero (and its pasting rules): building it costs more than a small check. */
const schemas = new Map<string, ReturnType<typeof buildModifiersSchema>>();

function modifiersSchema(rules: PasteRules, velero?: string): ReturnType<typeof buildModifiersSchema> {
    const key = `${rules} ${velero ?? ""}`;
    let schema = schemas.get(key);
    if (!schema) schemas.set(key, (schema = buildModifiersSchema(rules, velero)));
    return schema;
}

const buildModifiersSchema = (rules: PasteRules, velero?: string) =>
    z.strictObject({ version: z.string(), resourceModifierRules: z.array(ruleSchema) }).superRefine((doc, ctx) => {
        const issues: Issue[] = [];
        if (doc.version.toLowerCase() !== MODIFIERS_VERSION) {
            issues.push({ path: ["version"], message: `"${doc.version}" is not supported (Velero knows ${MODIFIERS_VERSION})` });
        }
        if (doc.resourceModifierRules.length === 0) issues.push({ path: ["resourceModifierRules"], message: "must not be empty" });
        doc.resourceModifierRules.forEach((rule, r) => {
            const at = ["resourceModifierRules", r];
            const c = rule.conditions;
            if (c.groupResource === "") {
                issues.push({ path: [...at, "conditions", "groupResource"], message: "must not be empty" });
            } else {
                try {
                    globToRegExp(c.groupResource, ".");
                } catch (err) {
                    issues.push({ path: [...at, "conditions", "groupResource"], message: (err as Error).message });
                }
            }
            if (c.resourceNameRegex !== undefined) checkRegex(c.resourceNameRegex, [...at, "conditions", "resourceNameRegex"], issues);
            if (c.labelSelector) checkLabelSelector(c.labelSelector, [...at, "conditions", "labelSelector"], issues);
            (c.matches ?? []).forEach((m, i) => {
                if (m.path === "") issues.push({ path: [...at, "conditions", "matches", i, "path"], message: "must not be empty" });
            });
            const kinds = (["patches", "mergePatches", "strategicPatches"] as const).filter((k) => (rule[k] ?? []).length > 0);
            if (kinds.length !== 1) {
                issues.push({
                    path: at,
                    message: kinds.length === 0 ? "needs one of patches, mergePatches, strategicPatches" : `has ${kinds.join(" and ")}; only one kind of patch is allowed`,
                });
            }
            (rule.patches ?? []).forEach((p, i) => checkPatch(p, [...at, "patches", i], issues, rules));
            if (rules === "1.12") checkLegacy(rule, at, issues);
            if (velero !== undefined && (rule.strategicPatches ?? []).length > 0) checkStrategicKind(c.groupResource, velero, [...at, "strategicPatches"], issues);
            for (const kind of ["mergePatches", "strategicPatches"] as const) {
                (rule[kind] ?? []).forEach((p, i) => checkPatchData(p.patchData, [...at, kind, i, "patchData"], issues));
            }
        });
        for (const issue of issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    });

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export interface ValidateOptions {
    /** The Velero that will read it (its image tag, e.g. "v1.12.4"); default: the newest rules, no kind checks. */
    velero?: string;
}

function pasteRules(opts: ValidateOptions): PasteRules {
    return opts.velero === undefined ? "1.13+" : pasteRulesFor(opts.velero);
}

/** Validates resource-modifier YAML as Velero reads it (one data key of the ConfigMap). */
export function validateResourceModifiers(text: string, opts: ValidateOptions = {}): Validation<ResourceModifiers> {
    const lines = new LineCounter();
    const doc = parseDocument(text, { version: MODIFIER_YAML_VERSION, uniqueKeys: true, prettyErrors: false, lineCounter: lines });
    if (doc.errors.length > 0) {
        return { ok: false, errors: doc.errors.map((e) => `line ${lines.linePos(e.pos[0]).line}: ${e.message}`) };
    }
    const parsed = modifiersSchema(pasteRules(opts), opts.velero).safeParse(doc.toJS());
    return parsed.success ? { ok: true, value: parsed.data as ResourceModifiers } : { ok: false, errors: formatIssues(parsed.error.issues) };
}

export interface ModifierConfigMap {
    name: string;
    namespace: string;
    /** The one data key holding the modifiers. */
    key: string;
    modifiers: ResourceModifiers;
}

const configMapSchema = z.looseObject({
    apiVersion: z.literal("v1"),
    kind: z.literal("ConfigMap"),
    metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().min(1) }),
    data: z.record(z.string(), z.string()),
});

/** The API server refuses a ConfigMap whose data exceeds this (pkg/apis/core/validation, ValidateConfigMap: core.MaxSecretSize). */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/** Validates the ConfigMap a Restore references: exactly one data key, holding valid modifiers, within the API server's size limit. */
export function validateModifierConfigMap(cm: unknown, opts: ValidateOptions = {}): Validation<ModifierConfigMap> {
    const parsed = configMapSchema.safeParse(cm);
    if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues) };
    const bytes = Object.entries(parsed.data.data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (bytes > MAX_CONFIGMAP_BYTES) {
        return { ok: false, errors: [`data: ${bytes} bytes; the API server refuses a ConfigMap over ${MAX_CONFIGMAP_BYTES} bytes (restore fewer objects per run, or fix some at the source)`] };
    }
    const keys = Object.keys(parsed.data.data);
    if (keys.length !== 1) {
        return { ok: false, errors: [`data: Velero needs exactly one key holding the modifiers, found ${keys.length} (${keys.join(", ") || "none"})`] };
    }
    const [key] = keys;
    const inner = validateResourceModifiers(parsed.data.data[key], opts);
    if (!inner.ok) return { ok: false, errors: inner.errors.map((e) => `${issuePath(["data", key])}: ${e}`) };
    return { ok: true, value: { name: parsed.data.metadata.name, namespace: parsed.data.metadata.namespace, key, modifiers: inner.value } };
}
