/**
 * The install stage on the real Pulumi engine (issue 21): `tke2eks sandbox up --velero engine`
 * starts clusters A and B and the bucket, leaving Velero to the engine; the CLI and the Kubernetes
 * provider built from the pinned modules (sandbox/tools/pulumi, pulumi-kubernetes) preview and
 * deploy the project's own program with the policy pack. The program runs inline through the
 * Automation API, which serves the language runtime from this process (`--client`): the Node.js
 * language host is not on the Go module proxy (sandbox/tools/ENGINE.md). For the same reason the
 * pack is given as its executable analyzer, policy/analyzer, in a copy of the pack installed the
 * way the CI preview installs it (its bundle, its own lockfile, `npm ci`), away from this checkout.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type EngineEvent, type PolicyEvent, type Stack, type StepEventMetadata } from "@pulumi/pulumi/automation";
import { migrationProgram } from "../../program";
import type { PlanResource } from "../../plan/model";
import { exec, must, REPO, Sandbox, startSandbox, Steps, stopSandbox, tke2eks } from "./support";

const STACK = "sandbox";

/** A secret as the engine's events show it: the signature key of pulumi's property values, its ciphertext masked. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function unsecret(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unsecret);
    if (value && typeof value === "object") {
        if (SECRET_SIG in value) return "[secret]";
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unsecret(v)]));
    }
    return value;
}

const mandatoryOf = (events: EngineEvent[]) => events.map((e) => e.policyEvent).filter((p): p is PolicyEvent => p?.enforcementLevel === "mandatory");

const isZero = (v: unknown) => v === false || v === "" || v === 0 || (typeof v === "object" && v !== null && Object.keys(v).length === 0);

/**
 * The differences between what `plan` prints (the program's inputs) and what the engine's
 * preview shows (the inputs after the provider's Check), each a documented transformation;
 * whatever else differs is returned.
 */
function planVersusEngine(planned: PlanResource, engine: StepEventMetadata, providerVersion: string): string[] {
    const plan = { ...planned.inputs };
    const checked = unsecret(engine.new?.inputs ?? {}) as Record<string, unknown>;
    const wrong: string[] = [];
    if (planned.type === "pulumi:providers:kubernetes") {
        // The engine's bookkeeping, and the version the SDK registers its provider at (the plugin it loads).
        if (JSON.stringify(checked.__internal) !== "{}") wrong.push(`${planned.name}: __internal ${JSON.stringify(checked.__internal)}`);
        if (checked.version !== providerVersion) wrong.push(`${planned.name}: version ${String(checked.version)}, not ${providerVersion}`);
        delete checked.__internal;
        delete checked.version;
    }
    if (planned.type === "kubernetes:core/v1:Secret") {
        // Check turns stringData into base64 data, still secret (provider/v4 pkg/clients/unstructured.go:113-123 at v4.25.0).
        if (plan.stringData !== "[secret]" || checked.data !== "[secret]") wrong.push(`${planned.name}: stringData ${JSON.stringify(plan.stringData)} became data ${JSON.stringify(checked.data)}`);
        delete plan.stringData;
        delete checked.data;
    }
    if (planned.type === "kubernetes:helm.sh/v3:Release") {
        // Check re-encodes the inputs from its Release struct (provider/v4 pkg/provider/helm_release.go:380
        // at v4.25.0): the SDK's `compat` flag goes, every option the program left out comes back zero.
        delete plan.compat;
        for (const [k, v] of Object.entries(checked)) {
            if (!(k in plan)) {
                if (!isZero(v)) wrong.push(`${planned.name}: the engine adds ${k}=${JSON.stringify(v)}`);
                delete checked[k];
            }
        }
    }
    for (const k of new Set([...Object.keys(plan), ...Object.keys(checked)])) {
        if (JSON.stringify(plan[k]) !== JSON.stringify(checked[k])) wrong.push(`${planned.name}.${k}: plan ${JSON.stringify(plan[k])}, engine ${JSON.stringify(checked[k])}`);
    }
    // In a preview a provider's id is unknown: the engine's reference carries the unknown id after "::".
    const provider = engine.new?.provider?.replace(/::[^:]+$/, "");
    if ((planned.provider ?? "") !== (provider ?? "")) wrong.push(`${planned.name}: provider ${String(planned.provider)} against ${String(provider)}`);
    if (planned.type !== engine.type) wrong.push(`${planned.name}: type ${planned.type} against ${engine.type}`);
    return wrong;
}

describe("e2e: the install stage on the real Pulumi engine, with the policy pack", function () {
    this.timeout(40 * 60_000);
    this.bail(true);
    const log = (line: string) => process.stderr.write(`      ${line}\n`);
    const steps = new Steps();
    const timed = steps.timed.bind(steps);
    let sandbox: Sandbox;
    let stack: Stack;
    let policyPack: string;

    const events = (): { list: EngineEvent[]; onEvent: (e: EngineEvent) => void } => {
        const list: EngineEvent[] = [];
        return { list, onEvent: (e) => list.push(e) };
    };
    const kubectlJson = async (cluster: "a" | "b", args: string[]) => JSON.parse(must(`kubectl ${args.join(" ")}`, await sandbox.kubectl(cluster, [...args, "-o", "json"])).stdout) as Record<string, unknown>;

    before(
        "sandbox up --velero engine",
        timed("sandbox up", async () => {
            sandbox = await startSandbox(["--velero", "engine"]);
            const dir = sandbox.dir;
            // The CLI checks that the project's `main` exists, though an inline program never loads it.
            fs.symlinkSync(path.join(REPO, "index.ts"), path.join(sandbox.project, "index.ts"));
            const pack = path.join(dir, "policy");
            fs.mkdirSync(path.join(pack, "bin"), { recursive: true });
            for (const file of ["PulumiPolicy.yaml", "package.json", "package-lock.json", "analyzer", path.join("bin", "index.js")]) fs.copyFileSync(path.join(REPO, "policy", file), path.join(pack, file));
            must("npm ci in the pack", await exec("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], { cwd: pack }));
            policyPack = path.join(pack, "analyzer");
            const pulumiCommand = await PulumiCommand.get({ root: dir });
            stack = await LocalWorkspace.createOrSelectStack(
                { stackName: STACK, projectName: "tke2eks", program: () => migrationProgram(sandbox.project) },
                { workDir: sandbox.project, envVars: sandbox.env, pulumiCommand },
            );
        }),
    );

    after("sandbox down", async () => {
        await stopSandbox(sandbox);
        steps.report(log);
    });

    it(
        "previews with the pack what `tke2eks plan` prints: the same resources, types, providers and inputs",
        timed("preview", async () => {
            const seen = events();
            await stack.preview({ policyPacks: [policyPack], onEvent: seen.onEvent });
            const mandatory = mandatoryOf(seen.list);
            assert.deepEqual(mandatory, []);
            const previewed = new Map(seen.list.filter((e) => e.resourcePreEvent).map((e) => [e.resourcePreEvent!.metadata.urn, e.resourcePreEvent!.metadata]));

            const planned = (JSON.parse(must("plan", await tke2eks(["plan", "--cwd", sandbox.project, "--stack", STACK, "--format", "json"])).stdout) as { resources: PlanResource[] }).resources;
            assert.deepEqual([...previewed.keys()].sort(), planned.map((r) => r.urn).sort());
            const providerVersion = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")) as { version: string }).version;
            assert.deepEqual(
                planned.flatMap((r) => planVersusEngine(r, previewed.get(r.urn)!, providerVersion)),
                [],
            );
        }),
    );

    it(
        "deploys Velero on both clusters through the Helm release; the outputs hold what was deployed",
        timed("up", async () => {
            const result = await stack.up({ policyPacks: [policyPack] });
            assert.equal(result.summary.result, "succeeded");
            for (const cluster of ["a", "b"] as const) {
                const deployment = await kubectlJson(cluster, ["get", "deployment", "velero", "-n", "velero"]);
                assert.equal((deployment.metadata as { labels: Record<string, string> }).labels["app.kubernetes.io/managed-by"], "Helm");
                // The sandbox runs the server that Deployment describes; it validates each location against the bucket.
                must(`${cluster} locations`, await sandbox.kubectl(cluster, ["wait", "--for=jsonpath={.status.phase}=Available", "backupstoragelocations.velero.io", "--all", "-n", "velero", "--timeout=120s"]));
            }
            const locations = async (cluster: "a" | "b") => ((await kubectlJson(cluster, ["get", "backupstoragelocations.velero.io", "-n", "velero"])).items as { metadata: { name: string }; spec: { accessMode: string } }[]).map((b) => `${b.metadata.name}:${b.spec.accessMode}`).sort();
            assert.deepEqual(await locations("a"), ["default:ReadWrite"]);
            assert.deepEqual(await locations("b"), ["default:ReadOnly", "eks:ReadWrite"]);

            const outputs = await stack.outputs();
            for (const key of ["stage", "bucket", "s3Url", "clusters"]) assert.equal(outputs[key]?.secret, false, `output ${key} is not secret`);
            assert.equal(outputs.stage.value, "install");
            assert.equal(outputs.bucket.value, sandbox.env.BUCKET);
            assert.equal(outputs.s3Url.value, sandbox.env.S3_ENDPOINT);
            const clusters = outputs.clusters.value as Record<"source" | "target", { status: string; namespace: string }>;
            assert.deepEqual([clusters.source.status, clusters.target.status], ["deployed", "deployed"]);
        }),
    );

    it(
        "changes nothing when the stage runs again",
        timed("up again", async () => {
            const result = await stack.up({ policyPacks: [policyPack] });
            const changes = result.summary.resourceChanges ?? {};
            assert.deepEqual(Object.keys(changes), ["same"], JSON.stringify(changes));
        }),
    );

    it(
        "stops a stack that turns the node agent on for B, with the rule's message, before anything changes",
        timed("gate", async () => {
            const revision = async () => (await kubectlJson("b", ["get", "secrets", "-n", "velero", "-l", "owner=helm"])).items as unknown[];
            const before = (await revision()).length;
            await stack.setConfig("tke2eks:target.values.deployNodeAgent", { value: "true" }, true);
            try {
                const seen = events();
                const failure = await stack.up({ policyPacks: [policyPack], onEvent: seen.onEvent }).then(
                    () => undefined,
                    (err: unknown) => (err instanceof Error ? err.message : String(err)),
                );
                assert.ok(failure, "the engine refused the update");
                assert.match(failure, /exit code [1-9]/);
                const mandatory = mandatoryOf(seen.list);
                assert.ok(
                    mandatory.some((p) => p.policyName === "velero-no-node-agent" && /deployNodeAgent .*node-agent DaemonSet/.test(p.message)),
                    JSON.stringify(mandatory),
                );
                const ops = seen.list.map((e) => e.resOutputsEvent?.metadata).filter((m) => m && m.op !== "same");
                assert.deepEqual(ops, [], "no resource changed");
                assert.equal((await revision()).length, before, "no new Helm revision in B");
                const daemonSets = (await kubectlJson("b", ["get", "daemonsets", "-n", "velero"])).items as unknown[];
                assert.deepEqual(daemonSets, []);
            } finally {
                await stack.removeConfig("tke2eks:target.values.deployNodeAgent", true);
            }
        }),
    );
});
