import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { customResourceErrors, hasCrd } from "../support/crds";
import { chartValuesErrors } from "../support/chartValues";
import { plan as runCli, PROJECT_DIR, TEST_STACKS, type CliResult } from "./support";

interface JsonPlan {
    stack: string;
    resources: { urn: string; type: string; name: string; provider: string | null; parent: string | null; inputs: Record<string, unknown> }[];
    violations: { policy: string; level: string; urn: string | null; message: string }[];
}

/** The command line's words, as commander would hand them over. */
function cli(args: string[]): Promise<CliResult> {
    assert.equal(args[0], "plan");
    const opts: { stack?: string; cwd?: string; format?: string; config: string[] } = { config: [] };
    for (let i = 1; i < args.length; i += 2) {
        const [flag, value] = [args[i], args[i + 1]];
        if (flag === "--config") opts.config.push(value);
        else if (flag === "--stack") opts.stack = value;
        else if (flag === "--cwd") opts.cwd = value;
        else if (flag === "--format") opts.format = value;
        else assert.fail(`unknown flag ${flag}`);
    }
    return runCli(opts);
}

async function jsonPlan(args: string[]): Promise<{ code: number; plan: JsonPlan }> {
    const r = await cli(["plan", "--format", "json", ...args]);
    assert.equal(r.stderr, "");
    return { code: r.code, plan: JSON.parse(r.stdout) as JsonPlan };
}

describe("tke2eks plan", () => {
    it("passes the policy pack on the dev stack and prints the JSON contract", async () => {
        const { code, plan } = await jsonPlan(["--stack", "dev", "--cwd", PROJECT_DIR]);
        assert.equal(code, 0);
        assert.equal(plan.stack, "dev");
        assert.deepEqual(Object.keys(plan).sort(), ["resources", "stack", "violations"]);
        assert.deepEqual(plan.violations.filter((v) => v.level === "mandatory"), []);
        const urns = new Set(plan.resources.map((r) => r.urn));
        for (const r of plan.resources) {
            assert.deepEqual(Object.keys(r).sort(), ["inputs", "name", "parent", "provider", "type", "urn"]);
            assert.match(r.urn, new RegExp(`^urn:pulumi:dev::tke2eks::(.+\\$)?${r.type.replace(/[$/.]/g, "\\$&")}::${r.name}$`));
            if (r.parent) assert.ok(urns.has(r.parent), `parent of ${r.name}`);
            if (r.provider) assert.ok(urns.has(r.provider) && /[:$]pulumi:providers:\w+::/.test(r.provider), `provider of ${r.name}`);
        }
        const types = plan.resources.map((r) => r.type);
        for (const t of ["tencentcloud:index/cosBucket:CosBucket", "kubernetes:helm.sh/v3:Release", "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "pulumi:providers:kubernetes"]) {
            assert.ok(types.includes(t), t);
        }
        for (const r of plan.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release")) assert.deepEqual(chartValuesErrors(r.inputs.values), [], r.name);
    });

    it("fails with exit 1 on a stack that turns the node agent on for the target", async () => {
        const { code, plan } = await jsonPlan(["--stack", "node-agent", "--cwd", TEST_STACKS]);
        assert.equal(code, 1);
        const mandatory = plan.violations.filter((v) => v.level === "mandatory");
        assert.deepEqual(
            mandatory.map((v) => v.policy),
            ["velero-no-node-agent"],
        );
        const release = plan.resources.find((r) => r.urn === mandatory[0].urn);
        assert.equal(release?.type, "kubernetes:helm.sh/v3:Release");
        assert.equal(plan.resources.find((r) => r.urn === release?.provider)?.name, "tke2eks-target");

        const text = await cli(["plan", "--stack", "node-agent", "--cwd", TEST_STACKS]);
        assert.equal(text.code, 1);
        assert.match(text.stdout, /✖ mandatory {2}velero-no-node-agent {2}velero-target \(kubernetes:helm\.sh\/v3:Release\)/);
        assert.match(text.stdout, /1 mandatory violation: pulumi up would be refused/);
    });

    it("applies --config overrides for the run only, paths into maps included", async () => {
        const { plan } = await jsonPlan(["--stack", "dev", "--cwd", PROJECT_DIR, "--config", "tke2eks:stage=complete", "--config", "tke2eks:target.veleroVersion=1.17"]);
        const target = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "velero-target")!;
        const values = target.inputs.values as { image: { tag: string }; configuration: { backupStorageLocation: { accessMode: string }[] }; upgradeCRDs: boolean };
        assert.deepEqual(values.configuration.backupStorageLocation.map((l) => l.accessMode), ["ReadOnly", "ReadWrite"]);
        assert.match(values.image.tag, /^v1\.17\./);
        assert.equal(values.upgradeCRDs, false);
        assert.match(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"), /tke2eks:stage: install/);
    });

    it("prints the clusters' objects as manifests that validate, Helm releases as comments", async () => {
        const r = await cli(["plan", "--stack", "dev", "--cwd", PROJECT_DIR, "--format", "yaml"]);
        assert.equal(r.code, 0);
        const docs = parseAllDocuments(r.stdout);
        const objects = docs.map((d) => d.toJS() as Record<string, unknown> | null).filter((o): o is Record<string, unknown> => o !== null);
        assert.deepEqual(objects.map((o) => `${String(o.apiVersion)} ${String(o.kind)}`).sort(), [
            "snapshot.storage.k8s.io/v1 VolumeSnapshotClass",
            "snapshot.storage.k8s.io/v1 VolumeSnapshotClass",
            "v1 Namespace",
            "v1 Namespace",
            "v1 Secret",
            "v1 Secret",
        ]);
        for (const o of objects.filter(hasCrd)) assert.deepEqual(customResourceErrors(o), []);
        assert.match(r.stdout, /# Cluster: Source cluster \(TKE\), provider tke2eks-source, context tke-a/);
        assert.match(r.stdout, /# Cluster: Target cluster \(serverless EKS\), provider tke2eks-target, context eks-b/);
        assert.equal(r.stdout.match(/# Source: Helm release velero in namespace velero: chart velero 12\.1\.0/g)?.length, 2);
        assert.match(r.stdout, /^#\s+deployNodeAgent: false$/m);
    });

    it("groups the text plan by where things go", async () => {
        const r = await cli(["plan", "--stack", "dev", "--cwd", PROJECT_DIR]);
        assert.equal(r.code, 0);
        const headings = r.stdout.split("\n").filter((l) => /^\S/.test(l) && !l.startsWith("Plan"));
        assert.deepEqual(headings, [
            "Tencent Cloud via provider tke2eks-tencentcloud",
            "Source cluster (TKE) via provider tke2eks-source",
            "Target cluster (serverless EKS) via provider tke2eks-target",
            "Policy pack: 0 mandatory, 0 advisory",
        ]);
        assert.match(r.stdout, /\+ tencentcloud:index\/cosBucket:CosBucket {2}migration-store-bucket {2}\[protected, kept on delete\]/);
        assert.match(r.stdout, /Plan: 20 resources to create \(in 6 components\); no mandatory violation\./);
    });

    it("never prints a secret, in any format", async () => {
        const token = "tok-7c1e9f2a5b8d4e6f";
        const content = fs
            .readFileSync(path.join(PROJECT_DIR, "examples/clusters/eks-b.kubeconfig.yaml"), "utf8")
            .replace("tokenFile: ~/.kube/tke2eks/eks-b.token", `token: ${token}`);
        assert.ok(content.includes(token));
        for (const format of ["text", "json", "yaml"]) {
            const r = await cli(["plan", "--stack", "dev", "--cwd", PROJECT_DIR, "--format", format, "--config", `tke2eks:target.kubeconfig=${content}`]);
            assert.equal(r.code, 0, r.stderr);
            assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), `${format} output shows the token`);
            assert.ok(r.stdout.includes("[secret]") || format === "yaml", format);
        }
        // A config error with the inline kubeconfig does not echo it either.
        const bad = await cli(["plan", "--stack", "dev", "--cwd", PROJECT_DIR, "--config", `tke2eks:target.kubeconfig=${content}`, "--config", "tke2eks:target.context=nope"]);
        assert.equal(bad.code, 2);
        assert.ok(!bad.stderr.includes(token));
    });

    it("restore stage: objects B would refuse stop the plan before the Restore, one message naming each and why; waived, the plan shows the preview", async () => {
        const refusing = ["plan", "--config", "tke2eks:stage=restore", "--config", 'tke2eks:backup.includedNamespaces=["shop","minio","monitoring"]', "--config", "tke2eks:backup.includeDaemonSets=true"];
        const stopped = await cli(refusing);
        assert.equal(stopped.code, 2);
        assert.equal(stopped.stdout, "");
        const [head, ...objects] = stopped.stderr.trimEnd().split("\n");
        assert.match(head, /^tke2eks: the restore stops before the Restore is created: cluster B would refuse 1 object\(s\) in manifests: examples\/tke-app /);
        assert.equal(objects.length, 1, stopped.stderr);
        assert.match(objects[0], /^ {2}- DaemonSet monitoring\/node-exporter: eks-no-daemonset: .*; eks-reserved-ports: .*port 9100/);

        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-plan-waivers-"));
        try {
            const waivers = path.join(dir, "waivers.yaml");
            const waive = (rule: string) => `- {rule: ${rule}, namespace: monitoring, name: node-exporter, reason: replaced by B's own metrics, expires: 2099-01-01}\n`;
            fs.writeFileSync(waivers, waive("eks-no-daemonset") + waive("eks-reserved-ports"));
            const waived = await cli([...refusing, "--config", `tke2eks:restore.waivers=${waivers}`]);
            assert.equal(waived.code, 0, waived.stderr);
            assert.match(waived.stdout, /Restore modifiers and preview\n(.*\n)* {2}preview: 8 objects: 4 restored, 4 fixed, 0 skipped, 0 refused\n/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("restore stage: what only B's API validation refuses stops the plan too, unless allowPartiallyFailed; then the plan lists it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-plan-api-"));
        try {
            fs.writeFileSync(
                path.join(dir, "internal.yaml"),
                "apiVersion: v1\nkind: Service\nmetadata: {name: internal, namespace: shop}\nspec: {type: ClusterIP, externalTrafficPolicy: Cluster, selector: {app: x}, ports: [{port: 80}]}\n",
            );
            const args = ["plan", "--config", "tke2eks:stage=restore", "--config", `tke2eks:restore.modifiersFrom=${JSON.stringify([dir])}`];
            const stopped = await cli(args);
            assert.equal(stopped.code, 2);
            assert.match(stopped.stderr, /would refuse 1 object\(s\) in manifests: .*\n {2}- Service shop\/internal: API validation: spec\.externalTrafficPolicy: Invalid value: "Cluster": may only be set for externally-accessible services\n$/);
            const accepted = await cli([...args, "--config", "tke2eks:restore.allowPartiallyFailed=true"]);
            assert.equal(accepted.code, 0, accepted.stderr);
            assert.match(
                accepted.stdout,
                / {2}preview: 1 objects: 0 restored, 0 fixed, 0 skipped, 1 refused\n {4}refused Service shop\/internal\n {6}API validation: spec\.externalTrafficPolicy: Invalid value: "Cluster": may only be set for externally-accessible services\n/,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reports every config mistake in one message, exit 2", async () => {
        const r = await cli(["plan", "--stack", "dev", "--cwd", PROJECT_DIR, "--config", "tke2eks:region=mars", "--config", "tke2eks:target.context=eks-c", "--config", "tke2eks:source.kubernetesVersion=1.16"]);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^tke2eks: 3 problems in the tke2eks config of stack "dev":\n/);
        assert.match(r.stderr, /- tke2eks:region = "mars": must be a COS region/);
        assert.match(r.stderr, /- tke2eks:target.context = "eks-c": target cluster: kubeconfig .*eks-b\.kubeconfig\.yaml: no context "eks-c" \(contexts: eks-b\)\n/);
        assert.match(r.stderr, /- tke2eks:source.kubernetesVersion = "1.16": the source cluster must run Kubernetes 1.18 or newer/);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    });

    it("a secure: key given with --config is redacted in every format (text, json, yaml)", async () => {
        const secret = "s3cr3t-backups";
        for (const format of ["text", "json", "yaml"]) {
            const r = await cli(["plan", "--stack", "secure-bucket", "--cwd", TEST_STACKS, "--format", format, "--config", `tke2eks:bucket=${secret}`]);
            assert.ok(r.code === 0 || r.code === 1, `${format}: ${r.stderr}`);
            assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${format}: the secure value is printed`);
            assert.ok(r.stdout.includes("[secret]"), `${format}: the plan shows where it went`);
        }
        const refused = await cli(["plan", "--stack", "secure-bucket", "--cwd", TEST_STACKS, "--config", `tke2eks:bucket=${secret}-1250000000`]);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /tke2eks:bucket = "\[secret\]": give the name without the -1250000000 suffix/);
    });

    it("says what is wrong with the stack, the file or an option", async () => {
        const missing = await cli(["plan", "--stack", "prod", "--cwd", PROJECT_DIR]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /Pulumi\.prod\.yaml not found/);
        const secure = await cli(["plan", "--stack", "secure", "--cwd", TEST_STACKS]);
        assert.equal(secure.code, 2);
        assert.match(secure.stderr, /tke2eks:target\.kubeconfig in .*Pulumi\.secure\.yaml is encrypted; .* --config tke2eks:target\.kubeconfig=/);
        const format = await cli(["plan", "--format", "xml", "--cwd", PROJECT_DIR]);
        assert.equal(format.code, 2);
        assert.match(format.stderr, /-o\/--output "xml": use one of table, text, json, yaml/);
        const override = await cli(["plan", "--cwd", PROJECT_DIR, "--config", "tke2eks:stage"]);
        assert.equal(override.code, 2);
        assert.match(override.stderr, /--config tke2eks:stage: expected KEY=VALUE/);
    });
});
