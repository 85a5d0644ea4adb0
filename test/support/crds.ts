/**
 * Validates custom resources against the upstream CRDs in the reference folder (Velero
 * `velero.io/v1`, `snapshot.storage.k8s.io`), the way `kubectl apply --validate=strict`
 * would: the version's `openAPIV3Schema`, unknown fields refused, the version served.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { REFERENCE_DIR, readYamlDocs } from "./reference";

/** Folders (under the reference folder) holding CRD manifests. */
const CRD_DIRS = ["velero-1.18/crds", "snapshot-crds"];

/** Vendor keywords the API server understands and JSON Schema does not. */
const KUBERNETES_KEYWORDS = [
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-int-or-string",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
];

interface CrdVersion {
    group: string;
    kind: string;
    version: string;
    served: boolean;
    schema: Record<string, unknown>;
    file: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Kubernetes prunes fields a structural schema does not declare; strict validation reports
 * them instead, so objects with declared properties get `additionalProperties: false`.
 */
function strictSchema(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(strictSchema);
    if (!isObject(schema)) return schema;
    const out: Json = {};
    for (const [k, v] of Object.entries(schema)) {
        if (k === "properties" && isObject(v)) {
            out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, strictSchema(sub)]));
        } else if (k === "description" || k === "x-kubernetes-validations") {
            out[k] = v;
        } else {
            out[k] = strictSchema(v);
        }
    }
    if (isObject(out.properties) && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
        out.additionalProperties = false;
    }
    return out;
}

let versions: CrdVersion[] | undefined;

function loadCrds(): CrdVersion[] {
    if (versions) return versions;
    versions = [];
    for (const dir of CRD_DIRS) {
        const full = path.join(REFERENCE_DIR, dir);
        if (!fs.existsSync(full)) throw new Error(`CRD folder ${full} is missing: set TKE2EKS_REFERENCE or run scripts/fetch-reference.sh`);
        for (const name of fs.readdirSync(full).filter((f) => /\.ya?ml$/.test(f)).sort()) {
            const file = path.join(full, name);
            for (const doc of readYamlDocs(file)) {
                if (!isObject(doc) || doc.kind !== "CustomResourceDefinition" || !isObject(doc.spec)) continue;
                const spec = doc.spec;
                const kind = isObject(spec.names) ? String(spec.names.kind) : "";
                for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
                    if (!isObject(v) || !isObject(v.schema) || !isObject(v.schema.openAPIV3Schema)) continue;
                    versions.push({ group: String(spec.group), kind, version: String(v.name), served: v.served === true, schema: v.schema.openAPIV3Schema, file });
                }
            }
        }
    }
    return versions;
}

function newAjv(): Ajv {
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    ajv.addVocabulary(KUBERNETES_KEYWORDS);
    // OpenAPI formats the CRDs use; the API server checks them the same way.
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat("byte", /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/);
    return ajv;
}

let ajv: Ajv | undefined;
const compiled = new Map<CrdVersion, ValidateFunction>();

/** The API server accepts these on every object, whether the schema lists them or not. */
const OBJECT_FIELDS = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } };

function validatorFor(crd: CrdVersion): ValidateFunction {
    let fn = compiled.get(crd);
    if (!fn) {
        ajv ??= newAjv();
        const root = strictSchema(crd.schema) as Json;
        fn = ajv.compile({ ...root, properties: { ...OBJECT_FIELDS, ...(isObject(root.properties) ? root.properties : {}) } });
        compiled.set(crd, fn);
    }
    return fn;
}

function splitApiVersion(apiVersion: unknown): { group: string; version: string } {
    const s = typeof apiVersion === "string" ? apiVersion : "";
    const slash = s.indexOf("/");
    return slash < 0 ? { group: "", version: s } : { group: s.slice(0, slash), version: s.slice(slash + 1) };
}

/** Whether the reference CRDs define this group and kind (any version). */
export function hasCrd(obj: unknown): boolean {
    if (!isObject(obj)) return false;
    const { group } = splitApiVersion(obj.apiVersion);
    return loadCrds().some((c) => c.group === group && c.kind === obj.kind);
}

export interface CrdOptions {
    /**
     * Accept a version the CRD defines but no longer serves (e.g. VolumeSnapshotClass
     * v1beta1, as old clusters and Tencent's guide still write it).
     */
    allowUnserved?: boolean;
}

/**
 * Problems with a custom resource, each naming the field; empty when it is valid.
 * An object of a kind the reference CRDs do not define is itself a problem.
 */
export function customResourceErrors(obj: unknown, opts: CrdOptions = {}): string[] {
    if (!isObject(obj)) return ["not an object"];
    const { group, version } = splitApiVersion(obj.apiVersion);
    const kinds = loadCrds().filter((c) => c.group === group && c.kind === obj.kind);
    if (kinds.length === 0) return [`no reference CRD defines ${String(obj.kind)} in group "${group}"`];
    const crd = kinds.find((c) => c.version === version);
    if (!crd) return [`${group} ${String(obj.kind)} has no version "${version}" (defined: ${kinds.map((c) => c.version).join(", ")})`];
    const errors: string[] = [];
    if (!crd.served && !opts.allowUnserved) {
        errors.push(`/apiVersion: ${group}/${version} is no longer served (served: ${kinds.filter((c) => c.served).map((c) => c.version).join(", ") || "none"})`);
    }
    const metadata = obj.metadata;
    if (!isObject(metadata) || typeof metadata.name !== "string" || metadata.name === "") {
        errors.push("/metadata/name: required");
    }
    const validate = validatorFor(crd);
    if (!validate(obj)) {
        for (const e of validate.errors ?? []) {
            const extra = e.keyword === "additionalProperties" ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : "";
            errors.push(`${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra}`);
        }
    }
    return errors;
}

/** Throws with every problem listed, naming the object. */
export function assertValidCustomResource(obj: unknown, label: string, opts: CrdOptions = {}): void {
    const errors = customResourceErrors(obj, opts);
    if (errors.length > 0) throw new Error(`${label} does not validate against its CRD:\n  ${errors.join("\n  ")}`);
}
