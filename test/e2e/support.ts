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
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { readStackConfig } from "../../config/stackFiles";
import { kubernetesProviderName } from "../../config/naming";
import { planConfig } from "../../plan/run";
import type { PlanResource } from "../../plan/model";
import { readState } from "../../sandbox/control";
import { SANDBOX_KEY } from "../../sandbox/objectStore";

export const REPO = path.resolve(__dirname, "..", "..");
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

    /** The suite's `after`: `sandbox down`, the times, and the folder removed unless TKE2EKS_E2E_KEEP is set. */
    async down(dir: string, log: (line: string) => void): Promise<void> {
        must("sandbox down", await tke2eks(["sandbox", "down", "--dir", dir]));
        for (const [name, seconds] of this.times) log(`${name}: ${seconds.toFixed(1)} s`);
        if (!process.env.TKE2EKS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** What `sandbox up` installed already (the install stage). */
const INSTALLED = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:core/v1:Namespace", "kubernetes:core/v1:Secret", "pulumi:providers:kubernetes"]);
