/**
 * The sandbox's parts that need no Go build: the tools cache key, the stand-in kubelet's
 * decisions, the server command taken from the chart's Deployment, and the command line's
 * answers to bad input. The rehearsal itself runs in `npm run e2e` (test/e2e/).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { kubernetesProviderVersion, moduleKey, modulePrograms, programName, requiredVersion, toolsDir, versionFlags } from "../../sandbox/toolchain";
import { engineEnv } from "../../sandbox/engine";
import { pinnedNode, provisionedVolume, runningStatus } from "../../sandbox/standInKubelet";
import { serverCommand } from "../../sandbox/veleroInstall";
import { envScript } from "../../sandbox/rehearsal";
import { kubeconfigYaml } from "../../sandbox/controlPlane";
import { stackFileText } from "../../sandbox/sandboxStack";
import { loadMigrationConfig } from "../../config";
import { PROJECT_DIR } from "../config/support";

const BIN = path.join(PROJECT_DIR, "bin", "tke2eks");
const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env, timeout: 60_000 });

describe("sandbox: the pinned programs", () => {
    const tools = toolsDir();

    it("builds what each module's tools.go names, etcd under its own name", () => {
        assert.deepEqual(modulePrograms(path.join(tools, "kubernetes")).map(programName), ["kube-apiserver", "kube-controller-manager", "kubectl"]);
        assert.deepEqual(modulePrograms(path.join(tools, "etcd")).map(programName), ["etcd"]);
        assert.deepEqual(modulePrograms(path.join(tools, "velero")).map(programName), ["velero"]);
    });

    it("stamps the versions go.mod pins, so /version and Velero report them", () => {
        const k8s = requiredVersion(path.join(tools, "kubernetes"), "k8s.io/kubernetes");
        assert.match(k8s, /^v1\.\d+\.\d+$/);
        assert.ok(versionFlags("kubernetes", path.join(tools, "kubernetes")).includes(`-X k8s.io/component-base/version.gitVersion=${k8s}`));
        const velero = versionFlags("velero", path.join(tools, "velero"));
        assert.ok(velero.includes(`-X github.com/vmware-tanzu/velero/pkg/buildinfo.Version=${requiredVersion(path.join(tools, "velero"), "github.com/vmware-tanzu/velero")}`));
        assert.ok(velero.some((f) => f.endsWith("metrics/server.DefaultBindAddress=0")), "controller-runtime's :8080 listener is off");
        assert.deepEqual(versionFlags("pulumi", path.join(tools, "pulumi")), [`-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${requiredVersion(path.join(tools, "pulumi"), "github.com/pulumi/pulumi/pkg/v3")}`]);
        assert.deepEqual(versionFlags("pulumi-kubernetes", path.join(tools, "pulumi-kubernetes")), ["-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=4.25.0"]);
    });

    it("pins the Kubernetes provider at the release of the SDK in package.json: the engine loads no other", () => {
        const sdk = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json"), "utf8")) as { version: string }).version;
        assert.equal(kubernetesProviderVersion(path.join(tools, "pulumi-kubernetes")), sdk);
    });

    it("keys the cache by what the module pins, the compiler and the stamps", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-tools-"));
        for (const f of ["go.mod", "go.sum", "tools.go"]) fs.copyFileSync(path.join(tools, "etcd", f), path.join(dir, f));
        const key = moduleKey(dir, "go1.26.0 linux amd64", "-s -w");
        assert.equal(moduleKey(dir, "go1.26.0 linux amd64", "-s -w"), key);
        assert.notEqual(moduleKey(dir, "go1.26.1 linux amd64", "-s -w"), key);
        assert.notEqual(moduleKey(dir, "go1.26.0 linux amd64", "-s -w -X a.b=c"), key);
        fs.appendFileSync(path.join(dir, "go.sum"), "example.com/x v1.0.0 h1:x=\n");
        assert.notEqual(moduleKey(dir, "go1.26.0 linux amd64", "-s -w"), key);
        fs.rmSync(dir, { recursive: true });
    });
});

describe("sandbox: the stand-in kubelet", () => {
    const pod = (extra: Record<string, unknown> = {}) => ({ metadata: { name: "p", namespace: "n", ...extra }, spec: { containers: [{ name: "c", image: "i:1" }] }, status: { qosClass: "BestEffort" } });

    it("runs a Deployment's Pod Ready and a Job's Pod to Succeeded", () => {
        const node = { name: "a-node-1", ip: "127.0.0.10" };
        const running = runningStatus(pod(), node, "10.244.0.2") as { phase: string; conditions: { type: string; status: string }[]; containerStatuses: { ready: boolean; state: object }[] };
        assert.equal(running.phase, "Running");
        assert.equal(running.conditions.find((c) => c.type === "Ready")?.status, "True");
        assert.deepEqual(Object.keys(running.containerStatuses[0].state), ["running"]);
        const job = runningStatus(pod({ ownerReferences: [{ kind: "Job", name: "j" }] }), node, "10.244.0.3") as typeof running;
        assert.equal(job.phase, "Succeeded");
        assert.equal(job.conditions.find((c) => c.type === "Ready")?.status, "False");
        assert.deepEqual(Object.keys(job.containerStatuses[0].state), ["terminated"]);
    });

    it("puts a DaemonSet's Pod on the node its affinity names", () => {
        const daemon = { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["b-node-2"] }] }] } } } } };
        assert.equal(pinnedNode(daemon), "b-node-2");
        assert.equal(pinnedNode(pod()), undefined);
    });

    it("provisions a claim as a CSI provisioner would: bound to it by claimRef, the class's reclaim policy", () => {
        const claim = { metadata: { name: "data-queue-0", namespace: "edge", uid: "u1" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "cbs-csi", resources: { requests: { storage: "10Gi" } } } };
        const pv = provisionedVolume(claim, { provisioner: "com.tencent.cloud.csi.cbs", reclaimPolicy: "Retain" }) as { metadata: { name: string }; spec: Record<string, unknown> & { claimRef: Record<string, unknown>; csi: { driver: string } } };
        assert.equal(pv.metadata.name, "pvc-u1");
        assert.deepEqual(pv.spec.claimRef, { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "edge", name: "data-queue-0", uid: "u1" });
        assert.equal(pv.spec.csi.driver, "com.tencent.cloud.csi.cbs");
        assert.equal(pv.spec.persistentVolumeReclaimPolicy, "Retain");
        assert.deepEqual(pv.spec.capacity, { storage: "10Gi" });
    });
});

describe("sandbox: Velero as the chart deploys it", () => {
    it("runs the server with the Deployment's arguments, the pod's mounts made local", () => {
        const deployment = {
            spec: {
                template: {
                    spec: {
                        containers: [
                            {
                                name: "velero",
                                args: ["server", "--uploader-type=kopia", "--features=EnableCSI"],
                                env: [
                                    { name: "VELERO_SCRATCH_DIR", value: "/scratch" },
                                    { name: "VELERO_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                                    { name: "AWS_SHARED_CREDENTIALS_FILE", value: "/credentials/cloud" },
                                    { name: "LD_LIBRARY_PATH", value: "/plugins" },
                                ],
                            },
                        ],
                    },
                },
            },
        };
        const local = { namespace: "velero", credentials: "/d/cloud", scratch: "/d/scratch", plugins: "/d/plugins", tmp: "/d/tmp" };
        assert.deepEqual(serverCommand(deployment, local), {
            args: ["server", "--uploader-type=kopia", "--features=EnableCSI"],
            env: { VELERO_SCRATCH_DIR: "/d/scratch", VELERO_NAMESPACE: "velero", AWS_SHARED_CREDENTIALS_FILE: "/d/cloud", LD_LIBRARY_PATH: "/d/plugins", TMPDIR: "/d/tmp" },
        });
        const client = structuredClone(deployment);
        client.spec.template.spec.containers[0].args = ["install"];
        assert.throws(() => serverCommand(client, local), /not the server/);
    });
});

describe("sandbox: the files a user drives it with", () => {
    it("env.sh quotes every value, so a folder with a space or a quote still sources", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks env 'x' "));
        const file = path.join(dir, "env.sh");
        fs.writeFileSync(file, envScript({ KUBECONFIG_A: path.join(dir, "a", "kubeconfig"), BUCKET: "b" }, path.join(dir, "bin")));
        const out = spawnSync("sh", ["-c", `. '${file.replace(/'/g, `'\\''`)}' && printf '%s\\n' "$KUBECONFIG_A" "$BUCKET" "$PATH"`], { encoding: "utf8" }).stdout.split("\n");
        assert.equal(out[0], path.join(dir, "a", "kubeconfig"));
        assert.equal(out[1], "b");
        assert.ok(out[2].startsWith(path.join(dir, "bin") + ":"));
        fs.rmSync(dir, { recursive: true });
    });

    it("the engine's backend and passphrase live in the sandbox's folder, the passphrase kept across restarts and private", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-sbx-"));
        const first = engineEnv(dir, "/cache/home");
        assert.equal(first.PULUMI_BACKEND_URL, `file://${path.join(dir, "pulumi-state")}`);
        assert.equal(first.PULUMI_HOME, "/cache/home");
        assert.equal(first.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, "true");
        assert.match(first.PULUMI_CONFIG_PASSPHRASE, /^[\w-]{24}$/);
        assert.equal(engineEnv(dir, "/cache/home").PULUMI_CONFIG_PASSPHRASE, first.PULUMI_CONFIG_PASSPHRASE);
        assert.equal(fs.statSync(path.join(dir, "pulumi-passphrase")).mode & 0o077, 0);
        const other = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-sbx-"));
        assert.notEqual(engineEnv(other, "/h").PULUMI_CONFIG_PASSPHRASE, first.PULUMI_CONFIG_PASSPHRASE);
        for (const d of [dir, other]) fs.rmSync(d, { recursive: true });
    });

    it("Pulumi.sandbox.yaml is a stack the loader takes as it is", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-stack-"));
        const kubeconfig = (name: string) => {
            const file = path.join(dir, `${name}.kubeconfig`);
            fs.writeFileSync(file, kubeconfigYaml(name, `https://127.0.0.1:${name === "a" ? 6443 : 6444}`, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "t"));
            return file;
        };
        const text = stackFileText({
            projectDir: PROJECT_DIR,
            file: path.join(dir, "Pulumi.sandbox.yaml"),
            kubeconfigs: { source: kubeconfig("a"), target: kubeconfig("b") },
            kubernetesVersion: "1.37",
            endpoint: "http://127.0.0.1:9000",
            region: "us-east-1",
            key: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
            chart: path.join(dir, "velero-12.1.0.tgz"),
        });
        fs.writeFileSync(path.join(dir, "velero-12.1.0.tgz"), "");
        const config = (parse(text) as { config: Record<string, unknown> }).config;
        const raw = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
        const c = loadMigrationConfig(raw, { projectDir: PROJECT_DIR, stack: "sandbox", secretKeys: [] });
        assert.equal(c.endpoint, "http://127.0.0.1:9000");
        assert.equal(c.s3ForcePathStyle, true);
        fs.rmSync(dir, { recursive: true });
    });
});

describe("sandbox: bad input on the command line", () => {
    it("up names a missing chart and exits 2 before starting anything", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-sbx-"));
        const r = cli(["sandbox", "up", "--dir", dir, "--chart", path.join(dir, "nope.tgz")]);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /--chart .*nope\.tgz: no such file/);
        assert.equal(fs.existsSync(path.join(dir, "sandbox.json")), false);
        fs.rmSync(dir, { recursive: true });
    });

    it("up refuses a --dir that is a file, and a timeout that is not a number", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-sbx-")), "f");
        fs.writeFileSync(file, "");
        assert.match(cli(["sandbox", "up", "--dir", file]).stderr, /--dir .*: not a folder/);
        const r = cli(["sandbox", "up", "--dir", path.dirname(file), "--timeout", "soon"]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /--timeout soon: must be a duration like 30s/);
    });

    it("up names an unknown --velero and the choices", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-sbx-"));
        const r = cli(["sandbox", "up", "--dir", dir, "--velero", "helm"]);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /--velero helm: expected one of sandbox, engine/);
        assert.equal(fs.existsSync(path.join(dir, "sandbox.json")), false);
        fs.rmSync(dir, { recursive: true });
    });

    it("down of a folder with no sandbox says so and exits 0", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-sbx-"));
        const r = cli(["sandbox", "down", "--dir", dir]);
        assert.equal(r.status, 0);
        assert.match(r.stdout, /no sandbox runs in/);
    });
});
