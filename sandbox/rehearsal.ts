/**
 * The whole rehearsal in one process (the supervisor): the S3 server, clusters A and B with
 * their stand-in kubelets, Velero on each as the project's stack declares it (installed by the
 * sandbox, or left to the engine's `pulumi up`), the Pulumi engine, and the files a user drives
 * it with (`env.sh`, `bin/`, `Pulumi.sandbox.yaml`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { credentialsFile } from "../components/velero";
import { startControlPlane, type ControlPlane } from "./controlPlane";
import { KubeApi } from "./kubeApi";
import { SANDBOX_KEY, SANDBOX_REGION, startObjectStore, type ObjectStore } from "./objectStore";
import { Processes } from "./processes";
import { declaredVelero, SANDBOX_BUCKET, SANDBOX_PREFIX, stackFileText, type SandboxStackArgs } from "./sandboxStack";
import { StandInKubelet } from "./standInKubelet";
import type { VeleroInstaller } from "./state";
import { engineEnv, pulumiHome } from "./engine";
import { ensureTools, snapshotCrds } from "./toolchain";
import { followVelero, installVelero, kubectlApply } from "./veleroInstall";

/** The sandbox's clusters: A plays TKE (the source), B the serverless cluster (the target). */
export const CLUSTERS = { source: "a", target: "b" } as const;

export interface RehearsalOptions {
    dir: string;
    /** The project checkout (Pulumi.yaml), whose program declares Velero. */
    projectDir: string;
    /** The Velero chart's .tgz, at the version the project pins. */
    chart: string;
    /**
     * Who installs Velero: the sandbox (from the stack's offline plan), or the engine (`pulumi up`
     * at stage install), whose Deployment the sandbox then runs as a server process.
     */
    velero: VeleroInstaller;
    log: (line: string) => void;
}

export interface Rehearsal {
    env: Record<string, string>;
    processes: Processes;
    stop(): Promise<void>;
}

/** `env.sh`: what a user (or a test) sources to drive both clusters and the bucket. */
export function envScript(env: Record<string, string>, binDir: string): string {
    const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
    return [
        "# tke2eks sandbox: source this file to drive the rehearsal's clusters and bucket.",
        ...Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}`),
        `export PATH=${quote(binDir)}:"$PATH"`,
        "",
    ].join("\n");
}

export async function startRehearsal(o: RehearsalOptions): Promise<Rehearsal> {
    const dir = path.resolve(o.dir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const processes = new Processes(path.join(dir, "logs"));
    const kubelets: StandInKubelet[] = [];
    const apis: Record<string, KubeApi> = {};
    let store: ObjectStore | undefined;
    let stopped = false;
    const stop = async () => {
        stopped = true;
        await Promise.all(kubelets.map((k) => k.stop()));
        Object.values(apis).forEach((a) => a.close());
        await processes.stop();
        await store?.close();
    };
    try {
        const tools = await ensureTools(o.log);
        store = await startObjectStore(path.join(dir, "s3"), SANDBOX_BUCKET);
        o.log(`S3 server at ${store.endpoint}, bucket ${SANDBOX_BUCKET}`);

        const planes: Record<string, ControlPlane> = {};
        for (const name of Object.values(CLUSTERS)) {
            planes[name] = await startControlPlane(name, path.join(dir, name), tools.programs, processes);
            apis[name] = new KubeApi(planes[name].target);
            const kubelet = new StandInKubelet(apis[name], name, o.log);
            await kubelet.start();
            kubelets.push(kubelet);
            o.log(`cluster ${name.toUpperCase()} at ${planes[name].target.server}`);
        }
        // Both clusters run a CSI driver in production (CBS): the snapshot API is there.
        const snapshotApi = (await snapshotCrds()).map((f) => parseAllDocuments(fs.readFileSync(f, "utf8")).map((d) => d.toJS() as Record<string, unknown>)).flat();
        for (const plane of Object.values(planes)) await kubectlApply(tools.programs.kubectl, plane.kubeconfig, snapshotApi);

        const version = (await apis[CLUSTERS.source].must("GET", "/version")) as { major: string; minor: string };
        const stack: SandboxStackArgs = {
            projectDir: o.projectDir,
            file: path.join(dir, "Pulumi.sandbox.yaml"),
            kubeconfigs: { source: planes[CLUSTERS.source].kubeconfig, target: planes[CLUSTERS.target].kubeconfig },
            kubernetesVersion: `${version.major}.${version.minor.replace(/\D+$/, "")}`,
            endpoint: store.endpoint,
            region: SANDBOX_REGION,
            key: SANDBOX_KEY,
            chart: path.resolve(o.chart),
        };
        fs.writeFileSync(stack.file, stackFileText(stack));
        const declared = await declaredVelero(stack);
        for (const [role, name] of Object.entries(CLUSTERS) as [keyof typeof CLUSTERS, string][]) {
            const install = { cluster: name, dir: path.join(dir, name), kubeconfig: planes[name].kubeconfig, programs: tools.programs, chart: stack.chart, declared: declared[role] };
            if (o.velero === "sandbox") {
                await installVelero(install, apis[name], processes);
                o.log(`Velero on ${name.toUpperCase()}: locations available`);
            } else {
                void followVelero(install, apis[name], processes, () => stopped).then(
                    (running) => running && o.log(`Velero on ${name.toUpperCase()}: the engine's Deployment runs as a server`),
                    (err: unknown) => o.log(`Velero on ${name.toUpperCase()} could not start: ${err instanceof Error ? err.message : String(err)}`),
                );
            }
        }

        const home = await pulumiHome(tools);
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin, { recursive: true });
        for (const program of ["kubectl", "velero", "helm", "pulumi"]) {
            fs.rmSync(path.join(bin, program), { force: true });
            fs.symlinkSync(tools.programs[program], path.join(bin, program));
        }
        const credentials = path.join(dir, "s3", "credentials");
        fs.writeFileSync(credentials, credentialsFile(SANDBOX_KEY.accessKeyId, SANDBOX_KEY.secretAccessKey), { mode: 0o600 });
        const env = {
            KUBECONFIG_A: planes.a.kubeconfig,
            KUBECONFIG_B: planes.b.kubeconfig,
            S3_ENDPOINT: store.endpoint,
            AWS_SHARED_CREDENTIALS_FILE: credentials,
            AWS_REGION: SANDBOX_REGION,
            BUCKET: SANDBOX_BUCKET,
            PREFIX: SANDBOX_PREFIX,
            VELERO_NAMESPACE: declared.target.namespace,
            ...engineEnv(dir, home),
        };
        fs.writeFileSync(path.join(dir, "env.sh"), envScript(env, bin));
        return { env, processes, stop };
    } catch (err) {
        await stop();
        throw err;
    }
}
