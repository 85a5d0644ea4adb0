/**
 * What the end-to-end tests drive the sandbox with: the built CLI and kubectl as child
 * processes, the bucket through the AWS SDK, and a stage runner that deploys what the project's
 * program declares for a stage (its offline plan) the way the engine would: each Kubernetes
 * object applied to the cluster of its provider, each Command run with its own environment, in
 * the order the program declares them, and, as the engine does, nothing a stage before deployed
 * with the same inputs again. (The real engine on the sandbox is issue 21's.)
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { KubeConfig } from "@kubernetes/client-node";
import { readStackConfig } from "../../config/stackFiles";
import { kubernetesProviderName } from "../../config/naming";
import { planConfig } from "../../plan/run";
import type { PlanResource } from "../../plan/model";
import { readState } from "../../sandbox/control";
import { SANDBOX_KEY } from "../../sandbox/objectStore";

export const REPO = path.resolve(__dirname, "..", "..");
export const REFERENCE = path.resolve(process.env.TKE2EKS_REFERENCE ?? path.join(REPO, "..", "shared", "reference"));
const BIN = path.join(REPO, "bin", "tke2eks");

export interface Ran {
    code: number | null;
    stdout: string;
    stderr: string;
}

export function exec(program: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<Ran> {
    return new Promise((resolve, reject) => {
        const child = spawn(program, args, { env: opts.env ?? process.env, cwd: opts.cwd ?? REPO, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(opts.input ?? "");
    });
}

/** The built CLI, as a user runs it. */
export const tke2eks = (args: string[], env: NodeJS.ProcessEnv = process.env) => exec(process.execPath, [BIN, ...args], { env });

export function must(what: string, ran: Ran, codes: number[] = [0]): Ran {
    if (ran.code === null || !codes.includes(ran.code)) throw new Error(`${what}: exit ${ran.code}\n${ran.stderr.slice(-4000)}\n${ran.stdout.slice(-2000)}`);
    return ran;
}

export class Sandbox {
    readonly env: Record<string, string>;
    readonly project: string;
    private readonly s3: S3Client;
    /** URN → inputs of what earlier stages deployed: the engine leaves an unchanged resource alone. */
    private readonly deployed = new Map<string, string>();

    constructor(readonly dir: string) {
        const state = readState(dir);
        if (!state) throw new Error(`no sandbox state in ${dir}`);
        this.env = state.env;
        this.s3 = new S3Client({ endpoint: this.env.S3_ENDPOINT, region: this.env.AWS_REGION, forcePathStyle: true, credentials: { ...SANDBOX_KEY } });
        // A project folder as a user makes it: Pulumi.yaml and the sandbox's stack file beside it.
        this.project = path.join(dir, "project");
        fs.mkdirSync(this.project, { recursive: true });
        fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(this.project, "Pulumi.yaml"));
        fs.copyFileSync(path.join(dir, "Pulumi.sandbox.yaml"), path.join(this.project, "Pulumi.sandbox.yaml"));
    }

    kubeconfig(cluster: "a" | "b"): string {
        return cluster === "a" ? this.env.KUBECONFIG_A : this.env.KUBECONFIG_B;
    }

    kubectl(cluster: "a" | "b", args: string[], input?: string): Promise<Ran> {
        return exec(path.join(this.dir, "bin", "kubectl"), ["--kubeconfig", this.kubeconfig(cluster), ...args], { input });
    }

    /**
     * POSTs an object to the cluster's API as a server-side dry run (`?dryRun=All`): the server
     * defaults, validates and admits it, allocates nodePorts from its range, and stores nothing.
     * Returns the HTTP status and the server's answer (the object, or a Status).
     */
    dryRunCreate(cluster: "a" | "b", apiPath: string, obj: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
        const kc = new KubeConfig();
        kc.loadFromFile(this.kubeconfig(cluster));
        const server = kc.getCurrentCluster();
        const token = kc.getCurrentUser()?.token;
        if (!server?.caData || !token) throw new Error(`${this.kubeconfig(cluster)}: no CA or token`);
        const body = JSON.stringify(obj);
        return new Promise((resolve, reject) => {
            const req = https.request(
                `${server.server}${apiPath}?dryRun=All`,
                { method: "POST", ca: Buffer.from(server.caData!, "base64"), headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
                (res) => {
                    let text = "";
                    res.on("data", (c: Buffer) => (text += c.toString()));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
                    res.on("error", reject);
                },
            );
            req.on("error", reject);
            req.end(body);
        });
    }

    async object(key: string): Promise<Buffer | undefined> {
        try {
            const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.env.BUCKET, Key: `${this.env.PREFIX}/${key}` }));
            return Buffer.from(await answer.Body!.transformToByteArray());
        } catch (err) {
            if ((err as { name?: string }).name === "NoSuchKey") return undefined;
            throw err;
        }
    }

    async json(key: string): Promise<unknown> {
        const body = await this.object(key);
        if (!body) throw new Error(`s3://${this.env.BUCKET}/${this.env.PREFIX}/${key} not found`);
        return JSON.parse(gunzipSync(body).toString("utf8"));
    }

    /** `tke2eks restore-preview --format json` of the run's backup in the bucket, under the sandbox stack with these overrides. */
    restorePreview(run: string, overrides: string[]): Promise<Ran> {
        const s3 = ["--s3-endpoint", this.env.S3_ENDPOINT, "--s3-region", this.env.AWS_REGION, "--s3-force-path-style", "--credentials-file", this.env.AWS_SHARED_CREDENTIALS_FILE];
        const stack = ["--cwd", this.project, "--stack", "sandbox", ...overrides.flatMap((c) => ["--config", c])];
        return tke2eks(["restore-preview", "--backup", `s3://${this.env.BUCKET}/${this.env.PREFIX}/backups/${run}/${run}.tar.gz`, ...s3, ...stack, "--format", "json"]);
    }

    /** `--config KEY=VALUE` overrides of the sandbox stack, as for `tke2eks plan`. */
    async plan(overrides: string[]): Promise<PlanResource[]> {
        const plan = await planConfig(readStackConfig(this.project, "sandbox", overrides));
        const mandatory = plan.violations.filter((v) => v.level === "mandatory");
        if (mandatory.length) throw new Error(`the policy pack blocks the stage: ${JSON.stringify(mandatory)}`);
        return plan.resources;
    }

    /** Deploys what a stage adds to what the sandbox installed: its objects and its Commands, in order. */
    async deploy(overrides: string[], log: (line: string) => void = () => {}): Promise<PlanResource[]> {
        const resources = await this.plan(overrides);
        const clusterOf = (r: PlanResource): "a" | "b" => (r.provider?.endsWith(`::${kubernetesProviderName("source")}`) ? "a" : "b");
        for (const r of resources) {
            const inputs = JSON.stringify(r.props);
            if (this.deployed.get(r.urn) === inputs) continue;
            this.deployed.set(r.urn, inputs);
            if (r.type === "command:local:Command") {
                const create = String(r.props.create);
                log(`run ${create}`);
                must(create, await exec("sh", ["-c", create], { env: { ...process.env, ...(r.props.environment as Record<string, string>) } }));
            } else if (r.custom && r.type.startsWith("kubernetes:") && !INSTALLED.has(r.type)) {
                const [, groupVersion, kind] = r.type.split(":");
                const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
                log(`apply ${kind} ${String((r.props.metadata as { name?: string }).name)} to ${clusterOf(r).toUpperCase()}`);
                must(`apply ${r.name}`, await this.kubectl(clusterOf(r), ["apply", "--server-side", "-f", "-"], JSON.stringify({ ...r.props, apiVersion, kind })));
            }
        }
        return resources;
    }
}

/**
 * Starts a sandbox of its own in a new folder, tied to this test process (`--watch-pid`: it
 * stops when the process dies, whatever the test did). Each e2e file starts one in its before
 * hook and stops it in its after hook, so the files stay independent. TKE2EKS_E2E_SANDBOX=DIR
 * runs a file against a sandbox already up in DIR instead, and leaves it up (to iterate on one
 * file without paying for a start each run; the files that change the clusters need a fresh one).
 */
export async function startSandbox(options: string[] = []): Promise<Sandbox> {
    if (process.env.TKE2EKS_E2E_SANDBOX) return new Sandbox(process.env.TKE2EKS_E2E_SANDBOX);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-e2e-"));
    const chart = path.join(REFERENCE, "velero-chart-12.1.0", "velero-12.1.0.tgz");
    const up = await tke2eks(["sandbox", "up", "--dir", dir, "--chart", chart, "--watch-pid", String(process.pid), ...options]);
    // A failed start may leave part of it running, and later files run in this same process.
    if (up.code !== 0) await tke2eks(["sandbox", "down", "--dir", dir]);
    must("sandbox up", up);
    return new Sandbox(dir);
}

/** Stops the sandbox and, unless TKE2EKS_E2E_KEEP is set, removes its folder. */
export async function stopSandbox(sandbox: Sandbox | undefined): Promise<void> {
    if (!sandbox || process.env.TKE2EKS_E2E_SANDBOX) return;
    must("sandbox down", await tke2eks(["sandbox", "down", "--dir", sandbox.dir]));
    if (!process.env.TKE2EKS_E2E_KEEP) fs.rmSync(sandbox.dir, { recursive: true, force: true });
}

/** Where an e2e suite's time went: each step timed, reported when the suite stops its sandbox. */
export class Steps {
    private readonly times: [string, number][] = [];

    timed(name: string, fn: () => Promise<void>): () => Promise<void> {
        return async () => {
            const started = Date.now();
            try {
                await fn();
            } finally {
                this.times.push([name, (Date.now() - started) / 1000]);
            }
        };
    }

    report(log: (line: string) => void): void {
        for (const [name, seconds] of this.times) log(`${name}: ${seconds.toFixed(1)} s`);
    }
}

/** What `sandbox up` installed already (the install stage). */
const INSTALLED = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:core/v1:Namespace", "kubernetes:core/v1:Secret", "pulumi:providers:kubernetes"]);
