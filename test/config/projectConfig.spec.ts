/**
 * Pulumi.yaml's `config:` block declares the stack config keys for `pulumi config`, Deployments
 * and ESC. Pulumi applies a declared default to a stack that lacks the key, requires a declared
 * key without one, and checks a stack's value against the declared type
 * (pulumi/pulumi v3.259.0 pkg/workspace/config.go mergeConfig and validateStackConfigValue,
 * sdk/go/common/workspace/project.go ValidateConfigValue): so the declarations must match
 * what the program takes, and a default must change nothing.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { loadMigrationConfig } from "../../config";
import { knownKeys } from "../../config/schema";
import { PROJECT_DIR, rawConfig } from "./support";

interface Declared {
    type?: string;
    description?: string;
    default?: unknown;
    secret?: boolean;
}
const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { config: Record<string, Declared> };
/**
 * Left out on purpose (Pulumi.yaml says why): defaults derived from other keys, and the managed
 * COS bucket's keys, which tke2eks:existingBucket refuses beside it.
 */
const LEFT_OUT = ["targetPrefix", "retentionDays", "run", "region", "appId", "bucket", "createBucket", "s3ForcePathStyle", "existingBucket"];
const REQUIRED = ["source", "target"];
/** The declared defaults, as Pulumi applies them to a stack that lacks the key. */
const DEFAULTS = Object.fromEntries(Object.entries(project.config).filter(([, d]) => d.default !== undefined).map(([k, d]) => [k, typeof d.default === "boolean" ? String(d.default) : d.default]));

/** Pulumi's check of a stack value against a declared type (ValidateConfigValue). */
function ofType(type: string, value: unknown): boolean {
    if (type === "string") return typeof value === "string";
    if (type === "integer") return Number.isInteger(value) || (typeof value === "string" && /^-?\d+$/.test(value));
    if (type === "boolean") return typeof value === "boolean" || value === "true" || value === "false";
    if (type === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
    return false;
}

describe("Pulumi.yaml's config declarations", () => {
    it("declare every key the program takes but those left out, each with a type and a description", () => {
        assert.deepEqual(Object.keys(project.config).sort(), knownKeys([]).filter((k) => !LEFT_OUT.includes(k)).sort());
        for (const [key, d] of Object.entries(project.config)) {
            assert.ok(d.type && ["string", "integer", "boolean", "object"].includes(d.type), key);
            assert.ok((d.description ?? "").length > 10, key);
            if (d.default !== undefined) assert.ok(ofType(d.type, d.default), `${key}: the default is a ${d.type}`);
        }
    });

    it("leave the default out exactly where the program requires the key", () => {
        const noDefault = Object.entries(project.config).filter(([, d]) => d.default === undefined).map(([k]) => k);
        assert.deepEqual(noDefault.sort(), [...REQUIRED].sort());
        for (const key of REQUIRED) {
            assert.throws(() => loadMigrationConfig(rawConfig({ [key]: undefined }), { projectDir: PROJECT_DIR }), (e: Error) => e.message.includes(`tke2eks:${key}`), key);
        }
    });

    it("whose defaults change nothing: the config with them applied loads the same as without", () => {
        assert.deepEqual(loadMigrationConfig(rawConfig(DEFAULTS), { projectDir: PROJECT_DIR }), loadMigrationConfig(rawConfig(), { projectDir: PROJECT_DIR }));
    });

    it("let a bring-your-own-bucket stack load once Pulumi has applied every declared default", () => {
        const existingBucket = { name: "velero", endpoint: "http://127.0.0.1:9000", region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER-secret-key" };
        const raw = rawConfig({ ...DEFAULTS, region: undefined, appId: undefined, bucket: undefined, existingBucket });
        assert.equal(loadMigrationConfig(raw, { projectDir: PROJECT_DIR, secretKeys: ["tke2eks:existingBucket"] }).bucket, "velero");
    });

    it("accept the dev stack's values, as Pulumi checks them", () => {
        const dev = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
        for (const [full, value] of Object.entries(dev.config)) {
            const d = project.config[full.replace(/^tke2eks:/, "")];
            if (d?.type) assert.ok(ofType(d.type, value), `${full} is a ${d.type}`);
        }
    });
});
