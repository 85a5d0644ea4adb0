/**
 * One rehearsal cluster's control plane, the real programs on 127.0.0.1: etcd, kube-apiserver
 * and kube-controller-manager. The API server makes its own serving certificate (`--cert-dir`),
 * the sandbox makes the service-account key and an admin token, and writes a kubeconfig.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { stringify } from "yaml";
import { freePort, waitFor, type Processes } from "./processes";
import { KubeApi, type ApiTarget } from "./kubeApi";

export interface ControlPlane {
    name: string;
    target: ApiTarget;
    kubeconfig: string;
}

/** The cluster's Service and Pod ranges (nothing routes them: no container runs). */
const SERVICE_RANGE = "10.96.0.0/16";
const POD_RANGE = "10.244.0.0/16";

function httpsOk(url: string, ca?: string): Promise<boolean> {
    return new Promise((resolve) => {
        const req = https.get(url, { ca, rejectUnauthorized: ca !== undefined, timeout: 2000 }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
        });
        req.on("error", () => resolve(false));
        req.on("timeout", () => req.destroy());
    });
}

/** The last PEM certificate of the file: `--cert-dir` writes the server's certificate, then the CA that signed it. */
function caOf(certFile: string): string {
    const blocks = fs.readFileSync(certFile, "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
    if (blocks.length === 0) throw new Error(`${certFile} holds no certificate`);
    return blocks[blocks.length - 1];
}

export function kubeconfigYaml(name: string, server: string, ca: string, token: string): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name, cluster: { server, "certificate-authority-data": Buffer.from(ca).toString("base64") } }],
        users: [{ name: `${name}-admin`, user: { token } }],
        contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
        "current-context": name,
    });
}

export async function startControlPlane(name: string, dir: string, programs: Record<string, string>, procs: Processes): Promise<ControlPlane> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];

    const etcd = procs.start(`${name}-etcd`, programs.etcd, [
        `--name=${name}`,
        `--data-dir=${path.join(dir, "etcd")}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=${name}=http://127.0.0.1:${etcdPeer}`,
        // A rehearsal's data is thrown away with it: no fsync keeps two clusters quick on one disk.
        "--unsafe-no-fsync",
    ]);

    const saKey = path.join(dir, "service-account.key");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    fs.writeFileSync(saKey, privateKey, { mode: 0o600 });
    const token = randomBytes(24).toString("hex");
    const tokens = path.join(dir, "tokens.csv");
    fs.writeFileSync(tokens, `${token},admin,admin,system:masters\n`, { mode: 0o600 });
    const certDir = path.join(dir, "pki");

    await waitFor(`${name}'s etcd`, async () => (await fetch(`http://127.0.0.1:${etcdClient}/health`)).ok, { timeoutMs: 30_000, started: etcd });

    const apiserver = procs.start(`${name}-kube-apiserver`, programs["kube-apiserver"], [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        `--cert-dir=${certDir}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${apiPort}`,
        `--service-cluster-ip-range=${SERVICE_RANGE}`,
        "--service-account-issuer=https://kubernetes.default.svc",
        `--service-account-key-file=${saKey}`,
        `--service-account-signing-key-file=${saKey}`,
        `--token-auth-file=${tokens}`,
        "--authorization-mode=RBAC",
        "--allow-privileged=true",
        // One API server and no real endpoints: the kubernetes Service's endpoints are not managed.
        "--endpoint-reconciler-type=none",
    ]);
    const server = `https://127.0.0.1:${apiPort}`;
    await waitFor(`${name}'s kube-apiserver`, () => httpsOk(`${server}/readyz`), { timeoutMs: 60_000, started: apiserver });
    const ca = caOf(path.join(certDir, "apiserver.crt"));
    await waitFor(`${name}'s kube-apiserver certificate`, () => httpsOk(`${server}/readyz`, ca), { timeoutMs: 10_000, started: apiserver });

    const kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(kubeconfig, kubeconfigYaml(name, server, ca, token), { mode: 0o600 });
    const rootCa = path.join(dir, "ca.crt");
    fs.writeFileSync(rootCa, ca);

    const kcm = procs.start(`${name}-kube-controller-manager`, programs["kube-controller-manager"], [
        `--kubeconfig=${kubeconfig}`,
        `--service-account-private-key-file=${saKey}`,
        `--root-ca-file=${rootCa}`,
        "--use-service-account-credentials=true",
        "--leader-elect=false",
        "--secure-port=0",
        // No kubelet renews Node leases: the lifecycle controller would taint every node unreachable.
        "--controllers=*,-node-lifecycle-controller",
        "--allocate-node-cidrs=true",
        `--cluster-cidr=${POD_RANGE}`,
        `--service-cluster-ip-range=${SERVICE_RANGE}`,
    ]);
    // Ready when the controllers run: the root-CA publisher has filled the default namespace.
    const api = new KubeApi({ server, ca, token });
    try {
        await waitFor(`${name}'s kube-controller-manager`, async () => (await api.request("GET", "/api/v1/namespaces/default/configmaps/kube-root-ca.crt")).status === 200, {
            timeoutMs: 60_000,
            started: kcm,
        });
    } finally {
        api.close();
    }
    return { name, target: { server, ca, token }, kubeconfig };
}
