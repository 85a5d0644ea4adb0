/**
 * `tke2eks verify` against a cluster B that misbehaves (test/support/faultyApi.ts): a stall
 * ends at the deadline (--timeout plus one --request-timeout) with exit 1 and one line naming
 * the request; 5xx and dropped connections are retried and the check passes; a server that
 * cannot be B's API stops at once with exit 2. Each case is measured.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runVerify, type VerifyCliOptions } from "../../cli/verify";
import type { VerifyReport } from "../../cluster/verify";
import { faultyApi, HTML, kubeconfigFor, NOT_FOUND, status, timed, type FaultyApi, type Item, type Reply } from "../support/faultyApi";
import { captureIo } from "../support/captureIo";
import { writeBackup } from "../preflight/backupTarball";
import { backupItems, served, servedWorkload } from "../restore/liveObjects";
import { slackMs } from "../support/slack";

/** Stalls: --timeout 1 s plus one --request-timeout of 0.3 s; the margin covers the last abort and a loaded machine. */
const TIMEOUT_S = 1;
const REQUEST_S = 0.3;
const DEADLINE_MS = (TIMEOUT_S + REQUEST_S) * 1000;
const MARGIN_MS = 800;
/** Everything else: limits no healthy answer comes near; a permanent failure must end far sooner. */
const CALM = { timeout: "10", requestTimeout: "5" };
const AT_ONCE_MS = 2000;
const BIN = path.join(__dirname, "..", "..", "bin", "tke2eks");

const io = captureIo;

const RESTORE_PATH = "/apis/velero.io/v1/namespaces/velero/restores/shop-1";
const RESTORE: Reply = { status: 200, body: { apiVersion: "velero.io/v1", kind: "Restore", metadata: { name: "shop-1", namespace: "velero" }, spec: { backupName: "shop-1" }, status: { phase: "Completed" } } };
const DEPLOYMENTS_PATH = "/apis/apps/v1/namespaces/shop/deployments";
const WEB: Item = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop" },
    spec: { replicas: 1 },
    status: { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: "Available", status: "True", reason: "MinimumReplicasAvailable" }] },
};
const DEPLOYMENTS: Reply = { status: 200, body: { kind: "DeploymentList", apiVersion: "apps/v1", metadata: { resourceVersion: "7" }, items: [WEB] } };

/** B holds the Restore, the shop Namespace and its web Deployment, available. */
async function cluster(): Promise<FaultyApi> {
    const api = await faultyApi({ "/apis/apps/v1/deployments": [WEB] }, ["shop"]);
    api.script(RESTORE_PATH, [RESTORE]);
    return api;
}

function lastLine(text: string): string {
    return text.trimEnd().split("\n").pop() ?? "";
}

/** The failure is one line of its own (retries are announced as `tke2eks verify: ...`), nothing on stdout. */
function assertOneFailureLine(t: ReturnType<typeof io>): string {
    const failures = t.err().split("\n").filter((l) => l.startsWith("tke2eks: "));
    assert.equal(failures.length, 1, t.err());
    assert.equal(lastLine(t.err()), failures[0]);
    assert.equal(t.out(), "");
    return failures[0];
}

describe("tke2eks verify against a misbehaving cluster B", () => {
    let tmp: string;
    let backup: string;
    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "verify-faults-"));
        backup = path.join(tmp, "shop-1.tar.gz");
        const namespace = served({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } }, { status: { phase: "Active" } });
        const web = servedWorkload({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } })[0];
        await writeBackup(backup, backupItems([namespace, web]));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const options = (more: Partial<VerifyCliOptions>): VerifyCliOptions => ({ restore: "shop-1", namespace: [], veleroNamespace: "velero", format: "json", timeout: "10", interval: "0.05", backup, ...more });

    it("a healthy B passes (the baseline the faults below break)", async () => {
        const api = await cluster();
        try {
            const t = io({ TKE2EKS_KUBECONFIG: kubeconfigFor(api.url) });
            assert.equal(await runVerify(options(CALM), t), 0, t.err());
            assert.deepEqual((JSON.parse(t.out()) as VerifyReport).summary, { expected: 2, ready: 2, notReady: 0, missing: 0, leftOut: 0 });
            assert.equal(api.requests[0], "/api", "the core API is checked first");
        } finally {
            await api.close();
        }
    });

    const stalls: [string, string, Reply, RegExp][] = [
        ["stalls before the headers of a list", DEPLOYMENTS_PATH, { fault: "stall-headers" }, /list deployments\.apps in namespace shop/],
        ["stalls in the middle of the Restore's body", RESTORE_PATH, { fault: "stall-body", body: (RESTORE as { body: unknown }).body }, /get restores\.velero\.io velero\/shop-1/],
    ];
    // Concurrently, each against its own server: the suite stays fast, each case is timed alone.
    it("a B that stalls (before the headers, or mid-body) ends at --timeout plus one --request-timeout: exit 1, one line naming the request", async () => {
        await Promise.all(
            stalls.map(async ([what, at, reply, request]) => {
                const api = await cluster();
                try {
                    api.script(at, [reply]);
                    const t = io({ TKE2EKS_KUBECONFIG: kubeconfigFor(api.url) });
                    const { value: code, ms } = await timed(() => runVerify(options({ timeout: String(TIMEOUT_S), requestTimeout: String(REQUEST_S) }), t));
                    assert.equal(code, 1, `${what}: ${t.err()}`);
                    const slack = slackMs(MARGIN_MS);
                    assert.ok(ms >= DEADLINE_MS - 50 && ms <= DEADLINE_MS + slack, `${what}: ended after ${Math.round(ms)} ms, expected ${DEADLINE_MS} ms + at most ${Math.round(slack)} ms`);
                    const line = assertOneFailureLine(t);
                    assert.match(line, /^tke2eks: gave up after 1\.3s \(--timeout plus one --request-timeout for the last check\) while trying to /, what);
                    assert.match(line, request, what);
                    assert.match(line, / on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\); last error: no complete answer within 0\.3s \(--request-timeout\)$/, what);
                    // Each stalled try was cut at --request-timeout and tried again.
                    assert.ok(api.requests.filter((p) => p === at).length >= 2, `${what}: ${api.requests.join(" ")}`);
                } finally {
                    await api.close();
                }
            }),
        );
    });

    it("500, a 503 page and a dropped connection, then healthy: retried by the session, and the check passes", async () => {
        const api = await cluster();
        try {
            api.script(DEPLOYMENTS_PATH, [status(500, "InternalError", "etcdserver: leader changed"), HTML(503), DEPLOYMENTS]);
            api.script(RESTORE_PATH, [{ fault: "drop" }, RESTORE]);
            const t = io({ TKE2EKS_KUBECONFIG: kubeconfigFor(api.url) });
            const { value: code, ms } = await timed(() => runVerify(options(CALM), t));
            assert.equal(code, 0, t.err());
            assert.ok(ms < AT_ONCE_MS, `took ${Math.round(ms)} ms`);
            assert.equal((JSON.parse(t.out()) as VerifyReport).ok, true);
            assert.equal(api.requests.filter((p) => p === DEPLOYMENTS_PATH).length, 3);
            assert.equal(api.requests.filter((p) => p === RESTORE_PATH).length, 2);
            // Each retry said what failed, then the progress line.
            // A dropped connection, as undici's fetch (under client-node 2) reports it: UND_ERR_SOCKET "other side closed".
            assert.match(t.err(), /^tke2eks verify: cannot get restores\.velero\.io velero\/shop-1 on cluster .*: the connection closed early \(other side closed\) \(retrying in 0\.2s\)$/m);
            assert.match(t.err(), /^tke2eks verify: cannot list deployments\.apps in namespace shop on cluster .*: 500 Internal Server Error: etcdserver: leader changed \(retrying in 0\.2s\)$/m);
            assert.match(t.err(), /^tke2eks verify: cannot list deployments\.apps in namespace shop on cluster .*: 503 Service Unavailable \(retrying in 0\.4s\)$/m);
            assert.match(lastLine(t.err()), /^\[\d+s\] 2\/2 ready, 0 not ready, 0 missing$/);
        } finally {
            await api.close();
        }
    });

    const wrongServers: [string, (api: FaultyApi) => Promise<string>, RegExp][] = [
        [
            "a web page (wrong URL)",
            async (api) => {
                api.script("/api", [HTML(200)]);
                return api.url;
            },
            /^tke2eks: cannot discover the core API \(GET \/api\) on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\): the server answered 200 with text\/html, not the Kubernetes API's JSON \(is the server URL right\?\)$/,
        ],
        [
            "no core API",
            async (api) => {
                api.script("/api", [NOT_FOUND]);
                return api.url;
            },
            /^tke2eks: cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\) does not serve the Kubernetes core API \(GET \/api: 404 Not Found\): is the server URL right\?$/,
        ],
        [
            "nothing listening",
            async (api) => {
                await api.close();
                return api.url;
            },
            /^tke2eks: cannot discover the core API \(GET \/api\) on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\): connection refused \(nothing listens there: is the server URL right\?\)$/,
        ],
    ];
    it("a server that cannot be B's API (a web page, no core API, nothing listening): exit 2 at once, one line", async () => {
        for (const [what, arrange, message] of wrongServers) {
            const api = await cluster();
            try {
                const url = await arrange(api);
                const t = io({ TKE2EKS_KUBECONFIG: kubeconfigFor(url) });
                const { value: code, ms } = await timed(() => runVerify(options(CALM), t));
                assert.equal(code, 2, `${what}: ${t.err()}`);
                assert.ok(ms < AT_ONCE_MS, `${what}: took ${Math.round(ms)} ms`);
                assert.match(assertOneFailureLine(t), message, what);
                assert.equal(t.err().split("\n").filter(Boolean).length, 1, `${what}: not retried`);
                assert.ok(!api.requests.includes(RESTORE_PATH), `${what}: nothing read after the core API check`);
            } finally {
                await api.close();
            }
        }
    });

    it("as the complete stage runs it (the built CLI, a process): --request-timeout is taken, a stall ends with exit 1 naming the request", async () => {
        const api = await cluster();
        try {
            api.script(DEPLOYMENTS_PATH, [{ fault: "stall-headers" }]);
            const kubeconfig = path.join(tmp, "b.kubeconfig");
            fs.writeFileSync(kubeconfig, kubeconfigFor(api.url));
            const args = (path: string) => ["verify", "--restore", "shop-1", "--kubeconfig", path, "--backup", backup, "--format", "json", "--timeout", "0.5", "--request-timeout", "0.2", "--interval", "0.05"];
            // Asynchronously: the fault server answers from this process.
            const verify = (path: string) =>
                timed(
                    () =>
                        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
                            const child = spawn(process.execPath, [BIN, ...args(path)], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "" } });
                            let stdout = "";
                            let stderr = "";
                            child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
                            child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
                            child.on("error", reject);
                            child.on("close", (code) => resolve({ code, stdout, stderr }));
                        }),
                );
            // The start-up, measured now: the same command against a B that refuses the credentials at once (exit 1).
            const refusing = await faultyApi();
            refusing.script("/api", [status(401, "Unauthorized")]);
            const refusingConfig = path.join(tmp, "refusing.kubeconfig");
            fs.writeFileSync(refusingConfig, kubeconfigFor(refusing.url));
            const { value: refused, ms: startup } = await verify(refusingConfig).finally(() => refusing.close());
            assert.equal(refused.code, 1, refused.stderr);
            const { value: run, ms } = await verify(kubeconfig);
            assert.equal(run.code, 1, run.stderr);
            assert.equal(run.stdout, "");
            assert.match(lastLine(run.stderr), /^tke2eks: gave up after 0\.7s \(--timeout plus one --request-timeout for the last check\) while trying to list deployments\.apps in namespace shop on cluster .*; last error: no complete answer within 0\.2s \(--request-timeout\)$/);
            // 0.7 s of deadline past the start-up; the margin grows with the start-up, as a loaded machine slows both.
            assert.ok(ms <= startup + 700 + Math.max(1000, startup / 2), `took ${Math.round(ms)} ms, start-up ${Math.round(startup)} ms`);
        } finally {
            await api.close();
        }
    });
});
