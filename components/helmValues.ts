/**
 * Helm's rule for combining values: maps merge key by key, anything else (lists, scalars)
 * is replaced, and null deletes a key. Used to lay a user's chart values over ours, and by
 * the tests to lay ours over the chart's defaults before schema validation.
 */
import { isRecord } from "../rules/objects";

export type Values = Record<string, unknown>;

export function mergeValues(base: Values, over: Values): Values {
    const out: Values = { ...base };
    for (const [key, value] of Object.entries(over)) {
        if (value === null) {
            delete out[key];
        } else if (isRecord(value) && isRecord(out[key])) {
            out[key] = mergeValues(out[key] as Values, value);
        } else {
            out[key] = value;
        }
    }
    return out;
}
