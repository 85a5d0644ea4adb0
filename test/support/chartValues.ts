/**
 * Checks Helm values for the Velero chart 12.1.0 against the chart itself (reference folder):
 * every key must exist in its `values.yaml`, and the values Helm would render with (the
 * chart's defaults coalesced with ours) must pass its `values.schema.json`, as `helm install` checks.
 */
import * as fs from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { referenceFile } from "./reference";

export const VELERO_CHART_DIR = "velero-chart-12.1.0";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

let defaults: Json | undefined;

/** The chart's own values.yaml. */
export function chartDefaults(): Json {
    defaults ??= parse(fs.readFileSync(referenceFile(`${VELERO_CHART_DIR}/values.yaml`), "utf8")) as Json;
    return structuredClone(defaults);
}

/**
 * Keys of `values` that the chart's values.yaml does not have, as dotted paths. Maps the
 * chart leaves empty (`{}`, e.g. `config`, `podAnnotations`, `schedules`) and lists without
 * an example item are free-form; list items are compared with the chart's first item.
 */
export function unknownValueKeys(values: unknown, chart: unknown = chartDefaults(), at = ""): string[] {
    if (isObject(chart) && isObject(values)) {
        if (Object.keys(chart).length === 0) return [];
        return Object.entries(values).flatMap(([k, v]) => {
            const key = at ? `${at}.${k}` : k;
            return k in chart ? unknownValueKeys(v, chart[k], key) : [key];
        });
    }
    if (Array.isArray(chart) && Array.isArray(values) && chart.length > 0) {
        return values.flatMap((item, i) => unknownValueKeys(item, chart[0], `${at}[${i}]`));
    }
    return [];
}

/** Helm's coalescing: our maps merge into the chart's, lists and scalars replace, null deletes. */
export function coalesceValues(chart: unknown, values: unknown): unknown {
    if (!isObject(chart) || !isObject(values)) return values === undefined ? chart : values;
    const out: Json = { ...chart };
    for (const [k, v] of Object.entries(values)) {
        if (v === null) delete out[k];
        else out[k] = coalesceValues(chart[k], v);
    }
    return out;
}

let validate: ValidateFunction | undefined;

/** Problems `helm install` would report for these values (schema of the coalesced values); empty when fine. */
export function chartValuesErrors(values: unknown): string[] {
    if (!validate) {
        const schema = JSON.parse(fs.readFileSync(referenceFile(`${VELERO_CHART_DIR}/values.schema.json`), "utf8")) as Json;
        // The chart's schema is draft-07 with its own conventions (e.g. `required: []`); check values, not its style.
        validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    }
    if (validate(coalesceValues(chartDefaults(), values))) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword}`);
}
