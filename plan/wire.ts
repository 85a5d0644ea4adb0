/**
 * Reads values in the engine's wire form (what the offline run recorded) into the plan's two
 * views: for people (secrets and unknowns shown as markers) and for the policy pack
 * (secrets unwrapped, unknowns left as the engine's sentinel, as a preview passes them).
 */
import * as pulumi from "@pulumi/pulumi";
import { isRecord } from "../rules/objects";
import { SECRET, UNKNOWN } from "./model";

const { specialSigKey, specialSecretSig, specialResourceSig, specialOutputValueSig, unknownValue } = pulumi.runtime;

export type View = "display" | "policy";

export function decode(value: unknown, view: View): unknown {
    if (value === unknownValue) return view === "display" ? UNKNOWN : unknownValue;
    if (Array.isArray(value)) return value.map((v) => decode(v, view));
    if (!isRecord(value)) return value;
    switch (value[specialSigKey]) {
        case specialSecretSig:
            return view === "display" ? SECRET : decode(value.value, view);
        case specialResourceSig:
            return value.urn;
        case specialOutputValueSig: {
            if (value.secret === true && view === "display") return SECRET;
            return "value" in value ? decode(value.value, view) : view === "display" ? UNKNOWN : unknownValue;
        }
        case undefined:
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v, view)]));
        default:
            // Assets and archives: not used by this program; shown without their signature.
            return Object.fromEntries(Object.entries(value).filter(([k]) => k !== specialSigKey));
    }
}

export function decodeMap(value: Record<string, unknown>, view: View): Record<string, unknown> {
    return decode(value, view) as Record<string, unknown>;
}
