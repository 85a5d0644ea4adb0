/**
 * `tke2eks preflight` end to end through runPreflight (and, for the process contract, the
 * real entry point): every input kind, every format, exit codes, --fail-on, waivers, the
 * modifiers file, exclusions and the quota planner.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { parse } from "yaml";
import { create } from "xmlbuilder2";
import type * as sarif from "sarif";
import { runPreflight, type Io, type PreflightOptions } from "../../cli/preflight";
import { validateModifierConfigMap, MODIFIER_YAML_VERSION } from "../../modifiers/validate";
import { RULES } from "../../rules/catalogue";
import { writeBackup } from "./backupTarball";
import { UserError } from "../../core/errors";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLE = path.join("examples", "tke-app");

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

function capture(): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c.toString()));
    return { stream, text: () => chunks.join("") };
}

async function run(paths: string[], opts: PreflightOptions = {}, stdin = "", tty = false): Promise<Run> {
    const out = capture();
    out.stream.isTTY = tty;
    const err = capture();
    const io: Io = { stdin: Readable.from([stdin]), stdout: out.stream, stderr: err.stream as unknown as NodeJS.WriteStream };
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
        const code = await runPreflight(paths, opts, io);
        return { code, stdout: out.text(), stderr: err.text() };
    } finally {
        process.chdir(cwd);
    }
}

const DESIGN_FINDING_KEYS = ["rule", "severity", "apiVersion", "kind", "namespace", "name", "source", "path", "message", "fix"];

interface JsonOut {
    profile: string;
    summary: { objects: number; errors: number; warnings: number };
    findings: Record<string, unknown>[];
    waived?: Record<string, unknown>[];
    exclusions?: { excludedResources: string[]; excludedNamespaces: string[] };
}

const WARN_ONLY = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers: [{name: api, image: ccr.ccs.tencentyun.com/shop/api:1}]\n";
const CLEAN = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: {a: b}\n";

describe("preflight: the command", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-cli-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("prints DESIGN's JSON report for the example and exits 1 on its errors", async () => {
        const r = await run([EXAMPLE], { format: "json" });
        assert.equal(r.code, 1);
        const report = JSON.parse(r.stdout) as JsonOut;
        assert.deepEqual(Object.keys(report), ["profile", "summary", "findings"]);
        assert.deepEqual(Object.keys(report.summary), ["objects", "errors", "warnings"]);
        assert.equal(report.profile, "eks");
        assert.equal(report.summary.objects, 11);
        for (const f of report.findings) assert.deepEqual(Object.keys(f), DESIGN_FINDING_KEYS);
        // -o yaml: the same document, the same exit code.
        const yaml = await run([EXAMPLE], { format: "yaml" });
        assert.equal(yaml.code, 1);
        assert.deepEqual(parse(yaml.stdout), report);
        assert.equal(report.summary.errors, report.findings.filter((f) => f.severity === "error").length);
        assert.equal(report.summary.warnings, report.findings.filter((f) => f.severity === "warning").length);
        const ds = report.findings.find((f) => f.rule === "eks-no-daemonset");
        assert.deepEqual(
            { ...ds, message: undefined, fix: undefined },
            { rule: "eks-no-daemonset", severity: "error", apiVersion: "apps/v1", kind: "DaemonSet", namespace: "monitoring", name: "node-exporter", source: "examples/tke-app/monitoring.yaml:6", path: "/kind", message: undefined, fix: undefined },
        );
        assert.equal(r.stderr, "");
    });

    it("exits 0 when clean, and follows --fail-on", async () => {
        const file = path.join(dir, "warn.yaml");
        fs.writeFileSync(file, WARN_ONLY);
        const clean = path.join(dir, "clean.yaml");
        fs.writeFileSync(clean, CLEAN);
        assert.equal((await run([clean])).code, 0);
        assert.equal((await run([file])).code, 0, "warnings do not fail by default");
        assert.equal((await run([file], { failOn: "warning" })).code, 1);
        assert.equal((await run([EXAMPLE], { failOn: "never" })).code, 0);
        assert.equal((await run([clean], { failOn: "warning" })).code, 0);
    });

    it("scans the tke-serverless profile with its limits", async () => {
        const big = path.join(dir, "big.yaml");
        fs.writeFileSync(big, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big, namespace: shop}\nspec:\n  replicas: 150\n  template: {spec: {containers: [{name: c, image: ccr.ccs.tencentyun.com/a/b:1}]}}\n");
        const r = await run([big], { profile: "tke-serverless" });
        assert.match(r.stdout, /profile tke-serverless/);
        assert.match(r.stdout, /Pods: the workloads ask for up to 150 Pods against a quota of 100 per cluster \(50 over\); 100 replicas per workload/);
        assert.match(r.stdout, /above the per-workload limit: Deployment shop\/big 150 \(replicas at \/spec\/replicas\)/);
        assert.match(r.stdout, /eks-pod-quota/);
    });

    it("prints a table grouped by namespace and rule, with the summary and the quota planner, without colors when piped", async () => {
        const r = await run([EXAMPLE]);
        assert.equal(r.code, 1);
        assert.doesNotMatch(r.stdout, /\u001b\[/, "no ANSI colors when stdout is not a terminal");
        const heads = r.stdout.split("\n").filter((l) => /^\S/.test(l));
        assert.deepEqual(heads.slice(1, 4), ["minio", "monitoring", "shop"]);
        const monitoring = r.stdout.slice(r.stdout.indexOf("\nmonitoring\n"), r.stdout.indexOf("\nshop\n"));
        assert.match(monitoring, /✖ error eks-no-daemonset · No DaemonSets \(1\)\n    DaemonSet monitoring\/node-exporter  examples\/tke-app\/monitoring\.yaml:6/);
        assert.ok(monitoring.indexOf("eks-reserved-ports") < monitoring.indexOf("eks-no-hostpath"), "errors before warnings");
        assert.match(r.stdout, /Summary: 11 objects · 4 errors · \d+ warnings · 0 waived · \d+ fixed on restore by --modifiers/);
        assert.match(r.stdout, /Pods: the workloads ask for up to 6 Pods against a quota of 100 per cluster \(94 to spare\); no per-workload limit on this profile/);
        assert.match(r.stdout, /largest: Deployment shop\/web 3 \(replicas at \/spec\/replicas\); StatefulSet shop\/orders 2/);
    });

    it("nothing scanned is no pass: exit 2 with one line and no report, unless --allow-empty", async () => {
        const values = path.join(dir, "values.yaml");
        fs.writeFileSync(values, "replicaCount: 3\n---\nimage: {repository: nginx}\n");
        const r = await run([values], { failOn: "warning" });
        assert.equal(r.code, 2);
        assert.equal(
            r.stderr,
            `tke2eks: skipped 2 documents without apiVersion and kind (the first at ${values}:1)\n` +
                `tke2eks: nothing scanned: no Kubernetes objects in ${values} (--allow-empty accepts an empty scan)\n`,
        );
        assert.equal(r.stdout, "", "no report that could read as a pass");
        const allowed = await run([values], { allowEmpty: true });
        assert.equal(allowed.code, 0);
        assert.match(allowed.stderr, /tke2eks: no Kubernetes objects were scanned \(allowed by --allow-empty\)\n$/);
        assert.match(allowed.stdout, /Summary: 0 objects/);

        const empty = path.join(dir, "empty.yaml");
        fs.writeFileSync(empty, "");
        for (const [paths, opts, stdin, source] of [
            [[empty], {}, "", empty],
            [["-"], { format: "json" }, "", "stdin"],
            [[EXAMPLE], { namespace: ["no-such-namespace"] }, "", `${EXAMPLE} in namespace no-such-namespace`],
        ] as [string[], PreflightOptions, string, string][]) {
            const e = await run(paths, opts, stdin);
            assert.equal(e.code, 2, source);
            assert.equal(e.stdout, "");
            assert.equal(e.stderr, `tke2eks: nothing scanned: no Kubernetes objects in ${source} (--allow-empty accepts an empty scan)\n`);
        }
    });

    it("an incomplete scan never prints a pass: the table says what could not be read", async () => {
        const file = path.join(dir, "tabbed.yaml");
        fs.writeFileSync(file, `${CLEAN}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n`);
        const r = await run([file]);
        assert.equal(r.code, 2);
        assert.doesNotMatch(r.stdout, /No findings: everything scanned can run/);
        assert.match(r.stdout, /No findings in what could be read, but 1 part of the input could not be read \(see above\): the scan is incomplete\./);
    });

    it("scans only the namespaces given with --namespace", async () => {
        const report = JSON.parse((await run([EXAMPLE], { format: "json", namespace: ["shop"] })).stdout) as JsonOut;
        assert.equal(report.summary.objects, 4, "the shop Deployment, Services and StatefulSet; not the cluster-scoped Namespace");
        assert.deepEqual([...new Set(report.findings.map((f) => f.namespace))], ["shop"]);
    });

    it("colors the table on a terminal, unless NO_COLOR is set", async () => {
        const saved = process.env.NO_COLOR;
        try {
            delete process.env.NO_COLOR;
            const colored = await run([EXAMPLE], {}, "", true);
            assert.match(colored.stdout, /\u001b\[31m✖ error\u001b\[39m/);
            process.env.NO_COLOR = "1";
            assert.doesNotMatch((await run([EXAMPLE], {}, "", true)).stdout, /\u001b\[/);
        } finally {
            if (saved === undefined) delete process.env.NO_COLOR;
            else process.env.NO_COLOR = saved;
        }
    });

    it("reads stdin for -", async () => {
        const r = await run(["-"], { format: "json" }, fs.readFileSync(path.join(ROOT, EXAMPLE, "shop.yaml"), "utf8"));
        const report = JSON.parse(r.stdout) as JsonOut;
        assert.equal(report.summary.objects, 5);
        assert.ok(report.findings.every((f) => String(f.source).startsWith("-:")));
    });

    it("reports a malformed document with file and line, scans the rest, and exits 2", async () => {
        const file = path.join(dir, "mixed.yaml");
        fs.writeFileSync(file, `${WARN_ONLY}---\nkind: [broken\n---\n${CLEAN}`);
        const r = await run([file], { format: "json" });
        assert.equal(r.code, 2);
        assert.match(r.stderr, new RegExp(`^tke2eks: ${file.replace(/[.]/g, "\\.")}:10: malformed YAML: `));
        const report = JSON.parse(r.stdout) as JsonOut & { unreadable?: { source: string; message: string }[] };
        assert.equal(report.summary.objects, 2);
        assert.deepEqual(report.unreadable?.map((u) => u.source), [`${file}:10`], "the report says it is incomplete, as the exit code does");
    });

    it("refuses bad usage and unreadable input with one line", async () => {
        const usage = async (paths: string[], opts: PreflightOptions, pattern: RegExp) =>
            assert.rejects(run(paths, opts), (err: unknown) => err instanceof UserError && err.exitCode === 2 && pattern.test(err.message));
        await usage([], {}, /^nothing to scan: give manifest files or folders \(- for stdin\), --backup FILE\.tar\.gz or s3:\/\/BUCKET\/KEY, or --kubeconfig\/--context/);
        await usage([EXAMPLE], { backup: "b.tar.gz" }, /^scan one source at a time, not paths and --backup$/);
        await usage([EXAMPLE], { format: "xml" }, /^-o\/--output "xml": use one of table, json, yaml, sarif, junit$/);
        await usage([EXAMPLE], { failOn: "info" }, /^--fail-on "info": use one of error, warning, never$/);
        await usage([EXAMPLE], { profile: "gke" }, /^--profile "gke": use eks, tke-serverless$/);
        await usage([EXAMPLE], { format: "sarif", exclusions: true }, /^--exclusions prints with -o table, json or yaml$/);
        await usage(["no/such/dir"], {}, /^no\/such\/dir: no such file or directory$/);
        await usage([], { backup: path.join(dir, "none.tar.gz") }, /none\.tar\.gz: no such file$/);
        await usage([], { kubeconfig: path.join(dir, "no-kubeconfig") }, /^kubeconfig .*no-kubeconfig: no such file$/);
        await usage([EXAMPLE], { waivers: path.join(dir, "no-waivers.yaml") }, /^waivers .*no-waivers\.yaml: no such file$/);
    });

    it("writes SARIF 2.1.0 with the catalogue as rules and file/line locations", async () => {
        const r = await run([EXAMPLE], { format: "sarif" });
        const log = JSON.parse(r.stdout) as sarif.Log;
        assert.equal(log.version, "2.1.0");
        assert.match(log.$schema ?? "", /sarif-2\.1\.0/);
        const [runOut] = log.runs;
        const rules = runOut.tool.driver.rules ?? [];
        assert.deepEqual(rules.map((x) => x.id), RULES.map((x) => x.id));
        const json = JSON.parse((await run([EXAMPLE], { format: "json" })).stdout) as JsonOut;
        const results = runOut.results ?? [];
        assert.equal(results.length, json.findings.length);
        for (const res of results) {
            assert.equal(rules[res.ruleIndex ?? -1].id, res.ruleId);
            assert.ok(res.level === "error" || res.level === "warning");
            const loc = res.locations?.[0]?.physicalLocation;
            assert.match(loc?.artifactLocation?.uri ?? "", /^examples\/tke-app\/\w+\.yaml$/);
            assert.ok((loc?.region?.startLine ?? 0) >= 1);
        }
        const ds = results.find((x) => x.ruleId === "eks-no-daemonset");
        assert.deepEqual(ds?.locations?.[0], {
            physicalLocation: { artifactLocation: { uri: "examples/tke-app/monitoring.yaml" }, region: { startLine: 6 } },
            logicalLocations: [{ name: "node-exporter", fullyQualifiedName: "monitoring/DaemonSet/node-exporter", kind: "resource" }],
        });
        assert.equal(runOut.invocations?.[0].executionSuccessful, true);
    });

    it("writes JUnit XML whose failures agree with the exit code", async () => {
        const suites = async (failOn: string) => {
            const r = await run([EXAMPLE], { format: "junit", failOn });
            const doc = create(r.stdout).end({ format: "object" }) as { testsuites: { "@tests": string; "@failures": string; testsuite: { "@name": string; "@failures": string; testcase: unknown }[] } };
            return { code: r.code, root: doc.testsuites };
        };
        const json = JSON.parse((await run([EXAMPLE], { format: "json" })).stdout) as JsonOut;
        const onError = await suites("error");
        assert.equal(onError.code, 1);
        assert.equal(Number(onError.root["@failures"]), json.summary.errors);
        assert.deepEqual(onError.root.testsuite.map((s) => s["@name"]), RULES.map((x) => x.id));
        const ds = onError.root.testsuite.find((s) => s["@name"] === "eks-no-daemonset");
        assert.equal(ds?.["@failures"], "1");
        const onWarning = await suites("warning");
        assert.equal(Number(onWarning.root["@failures"]), json.summary.errors + json.summary.warnings);
        const never = await suites("never");
        assert.equal(never.code, 0);
        assert.equal(never.root["@failures"], "0");
    });

    it("writes the restore modifiers as a valid ConfigMap, and nothing when there is nothing to fix", async () => {
        const out = path.join(dir, "modifiers.yaml");
        const r = await run([EXAMPLE], { format: "json", modifiers: out });
        // One rule per independent fix, in the form the project's Velero (v1.18.2) reads.
        assert.match(r.stderr, /tke2eks: wrote 7 resource modifier rules for Velero v1\.18\.2 to .*modifiers\.yaml \(ConfigMap velero\/tke2eks-restore-modifiers/);
        const checked = validateModifierConfigMap(parse(fs.readFileSync(out, "utf8"), { version: MODIFIER_YAML_VERSION }), { velero: "v1.18.2" });
        assert.ok(checked.ok, JSON.stringify(checked));
        assert.deepEqual(
            [...new Set(checked.value.modifiers.resourceModifierRules.map((x) => `${x.conditions.groupResource} ${x.conditions.namespaces?.join(",") ?? ""} ${x.conditions.resourceNameRegex ?? ""}`))],
            ["daemonsets.apps monitoring ^node-exporter$", "deployments.apps shop ^web$", "services shop ^web$", "statefulsets.apps shop ^orders$"],
        );
        assert.ok(checked.value.modifiers.resourceModifierRules.every((x) => x.patches === undefined));
        // --velero-version: what that Velero reads (v1.12.0: JSON patches only), validated for it; a Velero outside the matrix is refused.
        const old = path.join(dir, "modifiers-1.12.0.yaml");
        const r12 = await run([EXAMPLE], { format: "json", modifiers: old, veleroVersion: "v1.12.0" });
        assert.match(r12.stderr, /wrote 7 resource modifier rules for Velero v1\.12\.0/);
        const checked12 = validateModifierConfigMap(parse(fs.readFileSync(old, "utf8"), { version: MODIFIER_YAML_VERSION }), { velero: "v1.12.0" });
        assert.ok(checked12.ok, JSON.stringify(checked12));
        assert.ok(checked12.value.modifiers.resourceModifierRules.every((x) => (x.patches ?? []).length > 0));
        await assert.rejects(run([EXAMPLE], { modifiers: old, veleroVersion: "v2.0" }), (err: unknown) => err instanceof UserError && /^--velero-version "v2.0": Velero 2.0 is not in the compatibility matrix/.test(err.message));
        const clean = path.join(dir, "clean-only.yaml");
        fs.writeFileSync(clean, CLEAN);
        const none = path.join(dir, "none.yaml");
        const r2 = await run([clean], { modifiers: none });
        assert.match(r2.stderr, /no automatic fixes: .*none\.yaml not written/);
        assert.ok(!fs.existsSync(none));
    });

    it("prints the exclusions a Restore should use", async () => {
        const table = await run([EXAMPLE], { exclusions: true });
        const yamlPart = table.stdout.slice(table.stdout.indexOf("# Restore spec"));
        assert.deepEqual(parse(yamlPart), { excludedResources: ["daemonsets.apps"], excludedNamespaces: ["monitoring"] });
        const json = JSON.parse((await run([EXAMPLE], { format: "json", exclusions: true })).stdout) as JsonOut;
        assert.deepEqual(json.exclusions, { excludedResources: ["daemonsets.apps"], excludedNamespaces: ["monitoring"] });
        assert.deepEqual(Object.keys(json), ["profile", "summary", "findings", "exclusions"]);
    });

    it("--stack: cluster B's version, its Velero, the restore's fix options and waivers as the restore stage has them, a flag given winning", async () => {
        const removed = path.join("rules", "k8s-api-versions", "fixtures", "bad-cronjob-v1beta1-on-1.25.yaml");
        const apiFindings = async (opts: PreflightOptions) =>
            (JSON.parse((await run([removed], { format: "json", ...opts })).stdout) as JsonOut).findings.filter((f) => f.rule === "k8s-api-versions").map((f) => `${f.kind as string} ${f.path as string}`);
        assert.deepEqual(await apiFindings({}), [], "no target version: the rule cannot judge");
        // Pulumi.dev.yaml: tke2eks:target.kubernetesVersion "1.28", past both removals (1.25).
        assert.deepEqual(await apiFindings({ stack: "dev" }), ["CronJob /apiVersion", "PodDisruptionBudget /apiVersion"]);
        assert.deepEqual(await apiFindings({ config: ["tke2eks:target.kubernetesVersion=1.24"] }), [], "--config alone reads the dev stack with the override");
        assert.deepEqual(await apiFindings({ stack: "dev", targetVersion: "1.24" }), [], "--target-version wins over the stack");

        const out = path.join(dir, "stack-modifiers.yaml");
        const r = await run([EXAMPLE], { format: "json", modifiers: out, config: ["tke2eks:target.veleroVersion=v1.17.2", "tke2eks:restore.nodePortServiceType=LoadBalancer"] });
        assert.match(r.stderr, /wrote \d+ resource modifier rules for Velero v1\.17\.2 to /);
        const rules = (validateModifierConfigMap(parse(fs.readFileSync(out, "utf8"), { version: MODIFIER_YAML_VERSION }), { velero: "v1.17.2" }) as { ok: true; value: { modifiers: { resourceModifierRules: { conditions: { groupResource: string }; mergePatches?: { patchData: string }[]; strategicPatches?: { patchData: string }[] }[] } } }).value.modifiers.resourceModifierRules;
        const servicePatches = rules.filter((x) => x.conditions.groupResource === "services").flatMap((x) => [...(x.mergePatches ?? []), ...(x.strategicPatches ?? [])].map((m) => m.patchData));
        assert.ok(servicePatches.some((p) => p.includes('"type":"LoadBalancer"')), servicePatches.join("\n"));
        assert.ok(!servicePatches.some((p) => /ClusterIP/.test(p)), "the stack's nodePortServiceType, not the default");
        const pinned = await run([EXAMPLE], { format: "json", modifiers: out, stack: "dev", veleroVersion: "v1.18.2" });
        assert.match(pinned.stderr, /for Velero v1\.18\.2 to /, "--velero-version wins over the stack");

        const waivers = path.join(dir, "stack-waivers.yaml");
        fs.writeFileSync(waivers, `- rule: eks-no-daemonset\n  namespace: monitoring\n  name: node-exporter\n  reason: replaced by the platform's metrics\n  expires: "2099-12-31"\n`);
        const waived = JSON.parse((await run([EXAMPLE], { format: "json", config: [`tke2eks:restore.waivers=${waivers}`] })).stdout) as JsonOut;
        assert.deepEqual(waived.waived?.map((f) => `${f.rule as string} ${f.name as string}`), ["eks-no-daemonset node-exporter"]);

        await assert.rejects(run([EXAMPLE], { stack: "nope" }), (err: unknown) => err instanceof UserError && /Pulumi\.nope\.yaml not found/.test(err.message));
    });

    it("lists waived findings apart, counts expired ones again and says so", async () => {
        const waivers = path.join(dir, "waivers.yaml");
        fs.writeFileSync(
            waivers,
            `- rule: eks-no-daemonset
  namespace: monitoring
  name: node-exporter
  reason: replaced by the platform's own metrics
  expires: "2099-12-31"
- rule: eks-reserved-ports
  namespace: monitoring
  name: node-exporter
  reason: was going to move the port
  expires: "2001-01-01"
- rule: eks-sysctls
  namespace: shop
  name: web
  reason: stale entry
  expires: "2099-12-31"
- rule: eks-image-registry
  reason: every registry checked by the platform team
  expires: "2099-12-31"
`,
        );
        const base = JSON.parse((await run([EXAMPLE], { format: "json" })).stdout) as JsonOut;
        const r = await run([EXAMPLE], { format: "json", waivers });
        const report = JSON.parse(r.stdout) as JsonOut;
        assert.deepEqual(Object.keys(report), ["profile", "summary", "findings", "waived"]);
        assert.equal(report.summary.errors, base.summary.errors - 1);
        assert.equal(report.summary.warnings, base.summary.warnings - 3);
        assert.deepEqual(report.waived?.map((f) => [f.rule, f.name, (f.waiver as { reason?: string } | undefined)?.reason]), [
            ["eks-no-daemonset", "node-exporter", "replaced by the platform's own metrics"],
            ["eks-image-registry", "minio", "every registry checked by the platform team"],
            ["eks-image-registry", "node-exporter", "every registry checked by the platform team"],
            ["eks-image-registry", "web", "every registry checked by the platform team"],
        ]);
        assert.deepEqual(report.waived?.[0].waiver, { reason: "replaced by the platform's own metrics", expires: "2099-12-31", expired: false });
        assert.ok(!report.findings.some((f) => f.rule === "eks-image-registry"));
        const expired = report.findings.filter((f) => f.rule === "eks-reserved-ports");
        assert.equal(expired.length, 2);
        for (const f of expired) assert.deepEqual(f.waiver, { reason: "was going to move the port", expires: "2001-01-01", expired: true });
        assert.match(r.stderr, /waiver 2 \(eks-reserved-ports monitoring\/node-exporter\) expired on 2001-01-01: its findings count again/);
        assert.match(r.stderr, /waiver 3 \(eks-sysctls shop\/web\) matches no finding/);
        assert.equal(r.code, 1, "the expired waiver's errors still fail");
        const table = await run([EXAMPLE], { waivers });
        assert.match(table.stdout, /waived \(4\)\n  eks-no-daemonset DaemonSet monitoring\/node-exporter: replaced by the platform's own metrics \(until 2099-12-31\)/);
        assert.match(table.stdout, /\[waiver expired 2001-01-01\]/);

        const bad = path.join(dir, "bad-waivers.yaml");
        fs.writeFileSync(bad, "- {rule: eks-no-daemonset, name: x, reason: r, expires: tomorrow}\n");
        await assert.rejects(run([EXAMPLE], { waivers: bad }), (err: unknown) => err instanceof UserError && /bad-waivers\.yaml: entry 1 \(eks-no-daemonset x\): expires: "tomorrow" is not a date/.test(err.message));
    });

    it("scans a Velero backup, naming each finding's entry, and builds modifiers with the backup's group-resources", async () => {
        const backup = path.join(dir, "migration.tar.gz");
        const docs = fs.readdirSync(path.join(ROOT, EXAMPLE)).filter((f) => f.endsWith(".yaml")).flatMap((f) => parseAll(path.join(ROOT, EXAMPLE, f)));
        const grs: Record<string, string> = { Namespace: "namespaces", PersistentVolumeClaim: "persistentvolumeclaims", Deployment: "deployments.apps", Service: "services", StatefulSet: "statefulsets.apps", DaemonSet: "daemonsets.apps" };
        await writeBackup(backup, docs.map((obj) => ({ groupResource: grs[String(obj.kind)], obj, versions: { preferred: "v1" } })));
        const out = path.join(dir, "backup-modifiers.yaml");
        const r = await run([], { backup, format: "json", modifiers: out });
        const report = JSON.parse(r.stdout) as JsonOut;
        const manifests = JSON.parse((await run([EXAMPLE], { format: "json" })).stdout) as JsonOut;
        assert.deepEqual(report.summary, manifests.summary, "the same objects give the same verdict from a backup");
        const ds = report.findings.find((f) => f.rule === "eks-no-daemonset");
        assert.equal(ds?.source, `${backup}#resources/daemonsets.apps/namespaces/monitoring/node-exporter.json`);
        const checked = validateModifierConfigMap(parse(fs.readFileSync(out, "utf8"), { version: MODIFIER_YAML_VERSION }));
        assert.ok(checked.ok);
        assert.equal(checked.value.modifiers.resourceModifierRules.length, 7);
    });

    it("runs as a process: one line and exit 2 for unreadable input, no stack trace", () => {
        // The built CLI, as users run it (npm test builds first): compiling the sources in the child would cost it seconds.
        const cli = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "bin", "tke2eks"), ...args], { cwd: ROOT, encoding: "utf8" });
        const missing = cli(["preflight", "no/such/file.yaml"]);
        assert.equal(missing.status, 2);
        assert.equal(missing.stderr, "tke2eks: no/such/file.yaml: no such file or directory\n");
        assert.equal(missing.stdout, "");
        const ok = cli(["preflight", EXAMPLE, "--format", "json", "--fail-on", "never"]);
        assert.equal(ok.status, 0, ok.stderr);
        assert.equal((JSON.parse(ok.stdout) as JsonOut).summary.objects, 11);
    });
});

function parseAll(file: string): Record<string, unknown>[] {
    return fs
        .readFileSync(file, "utf8")
        .split(/^---$/m)
        .map((doc) => parse(doc) as Record<string, unknown> | null)
        .filter((d): d is Record<string, unknown> => d !== null);
}
