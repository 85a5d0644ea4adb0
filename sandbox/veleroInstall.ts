/**
 * Velero on one rehearsal cluster, as the project's stack deploys it: the Namespace and the
 * credentials Secret the program declares, and the chart rendered by `helm template` with the
 * values the program gives the Helm Release. The server runs as a process beside the cluster
 * (no container runs here), with the Deployment's own arguments and environment, the aws
 * plugin in its plugin folder, and the paths the pod would mount made local.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { array, isRecord, record } from "../rules/objects";
import { freePort, waitFor, type Processes, type Started } from "./processes";
import type { KubeApi } from "./kubeApi";

const run = promisify(execFile);

type Obj = Record<string, unknown>;

/** What the stack declares on one cluster (from the plan of the sandbox stack). */
export interface VeleroDeclared {
    namespace: string;
    /** Namespace and Secret objects, as the program declares them. */
    objects: Obj[];
    /** The chart's values as the program hands them to the Helm Release. */
    values: Obj;
    releaseName: string;
}

export interface VeleroInstall {
    cluster: string;
    dir: string;
    kubeconfig: string;
    programs: Record<string, string>;
    chart: string;
    declared: VeleroDeclared;
}

/** `helm template` of the chart with the stack's values: CRDs included, hooks (the CRD-upgrade Job) left out. */
export async function renderChart(helm: string, chart: string, declared: VeleroDeclared, workDir: string): Promise<Obj[]> {
    const valuesFile = path.join(workDir, "values.json");
    fs.writeFileSync(valuesFile, JSON.stringify(declared.values, null, 2));
    const { stdout } = await run(helm, ["template", declared.releaseName, chart, "--namespace", declared.namespace, "--values", valuesFile, "--include-crds", "--no-hooks"], {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, HELM_CACHE_HOME: path.join(workDir, "helm"), HELM_CONFIG_HOME: path.join(workDir, "helm"), HELM_DATA_HOME: path.join(workDir, "helm") },
    });
    return parseAllDocuments(stdout)
        .map((d) => d.toJS() as unknown)
        .filter(isRecord);
}

/** `kubectl apply --server-side` of objects (server-side: Velero's CRDs exceed the last-applied annotation). */
export async function kubectlApply(kubectl: string, kubeconfig: string, objects: Obj[]): Promise<void> {
    if (objects.length === 0) return;
    const child = execFile(kubectl, ["--kubeconfig", kubeconfig, "apply", "--server-side", "--force-conflicts", "--field-manager=tke2eks-sandbox", "-f", "-"], { maxBuffer: 16 * 1024 * 1024 });
    const done = new Promise<void>((resolve, reject) => {
        let stderr = "";
        child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply failed (exit ${code}): ${stderr.trim()}`))));
        child.on("error", reject);
    });
    child.stdin?.end(JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
    await done;
}

/** The server's command line and environment from the rendered Deployment, with the pod's paths made local. */
export function serverCommand(deployment: Obj, local: { namespace: string; credentials: string; scratch: string; plugins: string; tmp: string }): { args: string[]; env: Record<string, string> } {
    const container = record(array(record(record(record(deployment.spec).template).spec).containers).map(record).find((c) => c.name === "velero"));
    const args = array(container.args).map(String);
    if (args[0] !== "server") throw new Error(`the chart's velero container runs ${JSON.stringify(args)}, not the server`);
    const mounted: Record<string, string> = { "/credentials/cloud": local.credentials, "/scratch": local.scratch, "/plugins": local.plugins };
    const env: Record<string, string> = {};
    for (const e of array(container.env).map(record)) {
        const name = String(e.name);
        if (record(record(e.valueFrom).fieldRef).fieldPath === "metadata.namespace") env[name] = local.namespace;
        else if (typeof e.value === "string") env[name] = mounted[e.value] ?? e.value;
    }
    // Velero keeps the credentials of BackupStorageLocations that name a Secret under the temporary folder: one per server.
    env.TMPDIR = local.tmp;
    return { args, env };
}

export interface RunningVelero {
    server: Started;
    metrics: string;
}

/** Where the server runs on this host: the paths its pod would mount, made local. */
function localPaths(i: VeleroInstall) {
    const work = path.join(i.dir, "velero");
    const local = {
        work,
        namespace: i.declared.namespace,
        credentials: path.join(work, "credentials", "cloud"),
        scratch: path.join(work, "scratch"),
        plugins: path.join(work, "plugins"),
        tmp: path.join(work, "tmp"),
    };
    for (const d of [path.dirname(local.credentials), local.scratch, local.plugins, local.tmp]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    return local;
}

/** Runs the Velero server the way `deployment` (the chart's) runs it, with `cloud` as the credentials file its Secret mounts. */
async function startServer(i: VeleroInstall, deployment: Obj, cloud: string, procs: Processes): Promise<RunningVelero> {
    const local = localPaths(i);
    fs.writeFileSync(local.credentials, cloud, { mode: 0o600 });
    // What the plugin's init container does: put its binary in the server's plugin folder.
    const plugin = path.join(local.plugins, "velero-plugin-for-aws");
    fs.rmSync(plugin, { force: true });
    fs.symlinkSync(i.programs["velero-plugin-for-aws"], plugin);

    const { args, env } = serverCommand(deployment, local);
    const [metricsPort, profilerPort] = [await freePort(), await freePort()];
    const server = procs.start(
        `${i.cluster}-velero`,
        i.programs.velero,
        [...args, `--kubeconfig=${i.kubeconfig}`, `--plugin-dir=${local.plugins}`, `--metrics-address=127.0.0.1:${metricsPort}`, `--profiler-address=127.0.0.1:${profilerPort}`],
        // KUBECONFIG as well as --kubeconfig: with EnableAPIGroupVersions a restore makes a second client from
        // the default loading rules alone (pkg/restore/prioritize_group_version.go:216-221 at v1.18.2), which in
        // a pod is the in-cluster config, and outside one fails the whole restore.
        { env: { ...process.env, ...env, KUBECONFIG: i.kubeconfig }, cwd: local.work },
    );
    return { server, metrics: `http://127.0.0.1:${metricsPort}/metrics` };
}

export async function installVelero(i: VeleroInstall, api: KubeApi, procs: Processes): Promise<RunningVelero> {
    const work = localPaths(i).work;
    await kubectlApply(i.programs.kubectl, i.kubeconfig, i.declared.objects);
    const rendered = await renderChart(i.programs.helm, i.chart, i.declared, work);
    const crds = rendered.filter((o) => o.kind === "CustomResourceDefinition");
    await kubectlApply(i.programs.kubectl, i.kubeconfig, crds);
    await run(i.programs.kubectl, ["--kubeconfig", i.kubeconfig, "wait", "--for=condition=Established", "--timeout=60s", ...crds.map((c) => `crd/${String(record(c.metadata).name)}`)]);
    await kubectlApply(
        i.programs.kubectl,
        i.kubeconfig,
        rendered.filter((o) => o.kind !== "CustomResourceDefinition"),
    );

    // The file the pod would mount from the credentials Secret.
    const secret = i.declared.objects.find((o) => o.kind === "Secret");
    const cloud = record(record(secret).stringData).cloud;
    if (typeof cloud !== "string") throw new Error("the stack declares no credentials Secret with a `cloud` file");
    const deployment = rendered.find((o) => o.kind === "Deployment");
    if (!deployment) throw new Error("the chart rendered no Velero Deployment");
    const running = await startServer(i, deployment, cloud, procs);
    // Ready when every location the chart made has been validated against the bucket.
    const bsls = `/apis/velero.io/v1/namespaces/${i.declared.namespace}/backupstoragelocations`;
    await waitFor(
        `${i.cluster}'s Velero and its backup storage locations`,
        async () => {
            const items = array(record(await api.must("GET", bsls)).items).map(record);
            return items.length > 0 && items.every((b) => record(b.status).phase === "Available");
        },
        { timeoutMs: 120_000, started: running.server },
    );
    return running;
}

/** The credentials file the chart's Deployment mounts: the `cloud` key of the Secret its `cloud-credentials` volume names. */
async function mountedCredentials(api: KubeApi, namespace: string, deployment: Obj): Promise<string | undefined> {
    const volume = array(record(record(record(deployment.spec).template).spec).volumes)
        .map(record)
        .find((v) => v.name === "cloud-credentials");
    const secretName = record(volume?.secret).secretName;
    if (typeof secretName !== "string") return undefined;
    const secret = record(await api.must("GET", `/api/v1/namespaces/${namespace}/secrets/${secretName}`));
    const cloud = record(secret.data).cloud;
    return typeof cloud === "string" ? Buffer.from(cloud, "base64").toString("utf8") : undefined;
}

/**
 * Velero installed by someone else (the engine's Helm release at stage install): waits until the
 * chart's Deployment exists in the cluster, then runs its server as `installVelero` does, from the
 * live Deployment and the live credentials Secret. Resolves undefined if `stopped` turns true first.
 */
export async function followVelero(i: VeleroInstall, api: KubeApi, procs: Processes, stopped: () => boolean): Promise<RunningVelero | undefined> {
    const deployments = `/apis/apps/v1/namespaces/${i.declared.namespace}/deployments`;
    while (!stopped()) {
        const answer = await api.request("GET", deployments).catch(() => undefined);
        const deployment = array(record(answer?.body).items)
            .map(record)
            .find((d) => array(record(record(record(d.spec).template).spec).containers).some((c) => record(c).name === "velero"));
        const cloud = deployment && (await mountedCredentials(api, i.declared.namespace, deployment).catch(() => undefined));
        if (deployment && cloud !== undefined) return startServer(i, deployment, cloud, procs);
        await new Promise((r) => setTimeout(r, 1000));
    }
    return undefined;
}
