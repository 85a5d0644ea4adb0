/**
 * The GitHub workflows: the preview runs the pinned Pulumi CLI (the one matching the SDK in
 * the lockfile) on the project's Node, installs the pack from its lockfile and passes it a
 * config the pack accepts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { evaluatePolicies, type PolicyPackConfig } from "../../policy/evaluate";

const ROOT = path.join(__dirname, "..", "..");

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, string | boolean>;
    env?: Record<string, string>;
}
const steps = (file: string) => (parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8")) as { jobs: Record<string, { steps: Step[] }> }).jobs;

describe("the GitHub workflows", () => {
    it("set up Node from .nvmrc", () => {
        for (const file of ["ci.yml", "preview.yml"]) {
            const setup = Object.values(steps(file)).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith("actions/setup-node"));
            assert.equal(setup.length, 1, file);
            assert.equal(setup[0].with?.["node-version-file"], ".nvmrc", file);
        }
    });

    it("preview: pulumi/actions v7, the CLI version of the installed SDK, the pack from its lockfile, transpile-only", () => {
        const all = steps("preview.yml").preview.steps;
        const pulumi = all.find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.ok(pulumi);
        assert.equal(pulumi.uses, "pulumi/actions@v7");
        const sdk = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string }).version;
        assert.equal(String(pulumi.with?.["pulumi-version"]), sdk);
        assert.equal(pulumi.with?.policyPacks, "./policy");
        assert.equal(pulumi.env?.PULUMI_NODEJS_TRANSPILE_ONLY, "true");
        assert.ok(all.some((s) => /^npm ci --prefix policy\b/.test(s.run ?? "")), "the pack installs with npm ci");
    });

    it("preview: its policyPackConfigs file is a config the pack accepts", async () => {
        const pulumi = steps("preview.yml").preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        const file = path.join(ROOT, String(pulumi?.with?.policyPackConfigs));
        const config = JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
        // evaluatePolicies refuses an unknown policy, key or value before judging anything.
        await evaluatePolicies([], config);
    });
});

describe("dependency updates (renovate.json)", () => {
    const renovate = JSON.parse(fs.readFileSync(path.join(ROOT, "renovate.json"), "utf8")) as { packageRules: { matchPackageNames: string[]; allowedVersions?: string; description?: string }[] };
    const rule = (name: string) => renovate.packageRules.find((r) => r.matchPackageNames.includes(name) && r.allowedVersions);

    it("keep @pulumi/command below 2 and say why; TypeScript on 5.x", () => {
        assert.equal(rule("@pulumi/command")?.allowedVersions, "<2");
        assert.match(rule("@pulumi/command")?.description ?? "", /4\.5\.0 is a deprecated, mis-versioned/);
        assert.equal(rule("typescript")?.allowedVersions, "<6");
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
        assert.match(pkg.dependencies["@pulumi/command"], /^1\./);
        assert.match(pkg.devDependencies.typescript, /^~?5\./);
    });
});

describe("the ESC environment example", () => {
    it("feeds only declared config keys and keeps the key and the kubeconfigs secret", () => {
        const env = parse(fs.readFileSync(path.join(ROOT, "examples", "esc", "tke2eks-prod.yaml"), "utf8")) as { values: { pulumiConfig: Record<string, unknown>; environmentVariables: Record<string, string>; tencentcloud: Record<string, unknown>; kubeconfigs: Record<string, unknown> } };
        const declared = Object.keys((parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, unknown> }).config);
        for (const key of Object.keys(env.values.pulumiConfig)) assert.ok(declared.includes(key.replace(/^tke2eks:/, "")), key);
        for (const v of [...Object.values(env.values.tencentcloud), ...Object.values(env.values.kubeconfigs)]) assert.ok(typeof v === "object" && v !== null && "fn::secret" in v);
        assert.deepEqual(Object.keys(env.values.environmentVariables).sort(), ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]);
    });
});
