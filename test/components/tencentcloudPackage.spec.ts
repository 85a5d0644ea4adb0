import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import * as tencentcloud from "@pulumi/tencentcloud";
import * as pulumi from "@pulumi/pulumi";
import { assertTencentCloudSdk, TENCENTCLOUD_PACKAGE, tencentCloudParameter, tencentCloudSdkMismatch } from "../../components/tencentcloudPackage";
import { PROJECT_DIR } from "../config/support";
import { declare } from "./harness";
import { UserError } from "../../core/errors";

const SDK_DIR = path.join(PROJECT_DIR, "sdks", "tencentcloud");
const P = TENCENTCLOUD_PACKAGE;

interface PluginBlock {
    resource: boolean;
    name: string;
    version: string;
    parameterization: { name: string; version: string; value: string };
}

function sdkPackageJson(): { name: string; version: string; main: string; pulumi: PluginBlock } {
    return JSON.parse(fs.readFileSync(path.join(SDK_DIR, "package.json"), "utf8"));
}

/** Declares one of each resource the SDK has, with every input this project sets. */
function everyResource() {
    const provider = new tencentcloud.Provider("tc", { region: "ap-guangzhou", secretKey: "sk-not-in-clear" });
    const opts = { provider };
    new tencentcloud.CosBucket("bucket", { bucket: "b-1250000000", acl: "private", versioningEnable: true, encryptionAlgorithm: "AES256", forceClean: false, lifecycleRules: [{ id: "r", filterPrefix: "velero/" }], tags: { a: "b" } }, opts);
    const user = new tencentcloud.CamUser("user", { name: "u", remark: "r", consoleLogin: false, useApi: false, forceDelete: true, tags: { a: "b" } }, opts);
    const policy = new tencentcloud.CamPolicy("policy", { name: "p", description: "d", document: "{}" }, opts);
    new tencentcloud.CamUserPolicyAttachment("attachment", { userName: user.name, policyId: policy.id }, opts);
    new tencentcloud.CamAccessKey("key", { targetUin: user.uin, status: "Active" }, opts);
}

describe("sdks/tencentcloud: the SDK `pulumi package add terraform-provider tencentcloudstack/tencentcloud` generates", () => {
    it("is pinned in Pulumi.yaml's packages entry exactly as the shared constant says", () => {
        const project = yaml.load(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { packages: Record<string, unknown> };
        assert.deepEqual(project.packages, {
            [P.name]: { source: P.basePlugin.name, version: P.basePlugin.version, parameters: [P.terraformProvider, P.version] },
        });
        // YAML must keep versions as strings (1.1.0 would be fine, 1.10 would not).
        assert.equal(typeof (project.packages[P.name] as { version: unknown }).version, "string");
    });

    it("is the parameterized package @pulumi/tencentcloud: base plugin terraform-provider, the bridge's parameter value", () => {
        const pkg = sdkPackageJson();
        assert.equal(pkg.name, "@pulumi/tencentcloud");
        assert.equal(pkg.version, P.version);
        assert.equal(pkg.main, "bin/index.js");
        assert.deepEqual({ ...pkg.pulumi, parameterization: { ...pkg.pulumi.parameterization, value: undefined } }, {
            resource: true,
            name: P.basePlugin.name,
            version: P.basePlugin.version,
            parameterization: { name: P.name, version: P.version, value: undefined },
        });
        // pulumi-terraform-bridge dynamic/parameterize/value.go: Value{Remote: {URL, Version}}
        // marshalled as JSON, the URL being the provider's full registry address.
        const value = Buffer.from(pkg.pulumi.parameterization.value, "base64").toString("utf8");
        assert.equal(value, tencentCloudParameter());
        assert.deepEqual(JSON.parse(value), { remote: { url: "registry.opentofu.org/tencentcloudstack/tencentcloud", version: "1.83.25" } });
    });

    it("exports every resource flat from its index module, like the generated SDK", () => {
        for (const name of ["CosBucket", "CamUser", "CamPolicy", "CamUserPolicyAttachment", "CamAccessKey", "Provider"]) {
            assert.equal(typeof (tencentcloud as unknown as Record<string, unknown>)[name], "function", name);
        }
        for (const gone of ["cos", "cam", "PLUGIN_VERSION"]) assert.ok(!(gone in tencentcloud), gone);
    });

    it("registers the package once and sends every resource with its tokens, inputs, secrets and package reference", async () => {
        const d = await declare(everyResource);
        assert.deepEqual(d.packages, [
            {
                ref: d.packages[0].ref,
                name: "terraform-provider",
                version: "1.1.0",
                downloadUrl: "",
                parameterization: { name: "tencentcloud", version: "1.83.25", value: tencentCloudParameter() },
            },
        ]);
        const expected: Record<string, { token: string; secrets: string[]; inputs: Record<string, unknown> }> = {
            tc: { token: "pulumi:providers:tencentcloud", secrets: ["secretKey", "securityToken"], inputs: { region: "ap-guangzhou", secretKey: "[secret]" } },
            bucket: {
                token: "tencentcloud:index/cosBucket:CosBucket",
                secrets: [],
                inputs: { bucket: "b-1250000000", acl: "private", versioningEnable: true, encryptionAlgorithm: "AES256", forceClean: false, lifecycleRules: [{ id: "r", filterPrefix: "velero/" }], tags: { a: "b" } },
            },
            user: { token: "tencentcloud:index/camUser:CamUser", secrets: ["password", "secretId", "secretKey"], inputs: { name: "u", remark: "r", consoleLogin: false, useApi: false, forceDelete: true, tags: { a: "b" } } },
            policy: { token: "tencentcloud:index/camPolicy:CamPolicy", secrets: [], inputs: { name: "p", description: "d", document: "{}" } },
            attachment: { token: "tencentcloud:index/camUserPolicyAttachment:CamUserPolicyAttachment", secrets: [], inputs: { userName: "u", policyId: "[unknown]" } },
            key: { token: "tencentcloud:index/camAccessKey:CamAccessKey", secrets: ["secretAccessKey"], inputs: { targetUin: "[unknown]", status: "Active" } },
        };
        const seen = d.registrations.filter((r) => r.type !== "pulumi:pulumi:Stack");
        assert.deepEqual(seen.map((r) => r.name).sort(), Object.keys(expected).sort());
        for (const r of seen) {
            const want = expected[r.name];
            assert.equal(r.type, want.token, r.name);
            assert.deepEqual(r.additionalSecretOutputs, want.secrets, r.name);
            assert.equal(r.packageRef, d.packages[0].ref, r.name);
            assert.deepEqual(d.one(r.type, r.name).inputs, want.inputs, r.name);
        }
    });

    it("says how to fix an SDK generated for another version, or the old static provider", () => {
        assert.equal(tencentCloudSdkMismatch(), undefined);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tc-sdk-"));
        try {
            const file = path.join(dir, "package.json");
            const older = sdkPackageJson();
            older.pulumi.parameterization.version = "1.81.0";
            fs.writeFileSync(file, JSON.stringify(older));
            assert.match(tencentCloudSdkMismatch(file)!, /^@pulumi\/tencentcloud is tencentcloud 1\.81\.0 on terraform-provider 1\.1\.0, Pulumi\.yaml pins tencentcloudstack\/tencentcloud 1\.83\.25 on terraform-provider 1\.1\.0: run pulumi install/);
            fs.writeFileSync(file, JSON.stringify({ name: "@pulumi/tencentcloud", pulumi: { resource: true, name: "tencentcloud", version: "0.2.3", server: "github://api.github.com/tencentcloudstack" } }));
            assert.match(tencentCloudSdkMismatch(file)!, /is plugin tencentcloud 0\.2\.3 \(not parameterized\), Pulumi\.yaml pins .*: run pulumi install/);
            fs.writeFileSync(file, "{");
            assert.match(tencentCloudSdkMismatch(file)!, /unreadable .*run pulumi install/);
            assert.ok(!tencentCloudSdkMismatch(file)!.includes("\n"));
            // One clean line under both runners: tke2eks plan (UserError) and the Pulumi CLI (RunError's brand).
            assert.throws(
                () => assertTencentCloudSdk(file),
                (err: unknown) => err instanceof UserError && pulumi.RunError.isInstance(err) && /run pulumi install/.test(err.message),
            );
            assert.doesNotThrow(() => assertTencentCloudSdk());
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
