/**
 * `tke2eks await` and `tke2eks inventory` against a loopback API server that misbehaves
 * (test/support/faultyApi.ts): each case checks the exit code, the message, and that the
 * command ends within its deadline plus a small margin, measured.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { runAwait, runInventory, type AwaitCliOptions } from "../../cli/await";
import { faultyApi, HTML, kubeconfigFor, NOT_FOUND, status, timed, type FaultyApi, type Reply } from "../support/faultyApi";
import { captureIo } from "../support/captureIo";
import { UserError } from "../../core/errors";
import { slackMs } from "../support/slack";

/** Stalls: a 1 s deadline, 0.3 s per request; the margin covers the last abort and a loaded machine. */
const DEADLINE_S = 1;
const REQUEST_S = 0.3;
const MARGIN_MS = 800;
/** Everything else: limits no healthy answer comes near; a permanent failure must end far sooner. */
const CALM = { timeout: "10", requestTimeout: "5" };
const AT_ONCE_MS = 2000;

const io = captureIo;

const BACKUP_PATH = "/apis/velero.io/v1/namespaces/velero/backups/shop-1";
const backup = (phase: string): Reply => ({
    status: 200,
    body: { apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: "shop-1", namespace: "velero" }, status: { phase, progress: { totalItems: 4, itemsBackedUp: 4 } } },
});
const AWAIT: AwaitCliOptions = { namespace: "velero", timeout: String(DEADLINE_S), interval: "0.05", requestTimeout: String(REQUEST_S) };

/** Asserts the one-line stderr message and that it took at most `maxMs`. */
function assertEnds(ms: number, maxMs: number) {
    assert.ok(ms <= maxMs, `ended after ${Math.round(ms)} ms, allowed ${maxMs} ms`);
}

describe("cluster commands against a misbehaving API server", function () {
    this.timeout(10_000);
    let api: FaultyApi;
    let env: NodeJS.ProcessEnv;
    beforeEach(async () => {
        api = await faultyApi();
        env = { TKE2EKS_KUBECONFIG: kubeconfigFor(api.url), TKE2EKS_CONTEXT: "eks-b" };
    });
    afterEach(() => api.close());

    describe("await", () => {
        const deadlineCases: [string, Reply, RegExp][] = [
            ["stalls before the headers", { fault: "stall-headers" }, /no complete answer within 0\.3s \(--request-timeout\)/],
            ["stalls in the middle of the body", { fault: "stall-body", body: { kind: "Backup", status: { phase: "InProgress" } } }, /no complete answer within 0\.3s \(--request-timeout\)/],
            ["answers 500 again and again", status(500, "InternalError", "etcdserver: request timed out"), /500 Internal Server Error: etcdserver: request timed out/],
            ["answers 503 from a proxy's web page", HTML(503), /503 Service Unavailable/],
        ];
        // Concurrently, each against its own server: the suite stays fast, each case is timed alone.
        it("stalls, a stalled body, 500s and 503 pages: retried until --timeout, then exit 1 saying what failed last", async () => {
            await Promise.all(
                deadlineCases.map(async ([what, reply, lastError]) => {
                    const own = await faultyApi();
                    try {
                        own.script(BACKUP_PATH, [reply]);
                        const t = io({ TKE2EKS_KUBECONFIG: kubeconfigFor(own.url) });
                        const { value: code, ms } = await timed(() => runAwait("backup", "shop-1", AWAIT, t));
                        assert.equal(code, 1, `${what}: ${t.err()}`);
                        assertEnds(ms, DEADLINE_S * 1000 + slackMs(MARGIN_MS));
                        const last = t.err().trim().split("\n").pop() ?? "";
                        assert.match(last, /^tke2eks: timed out after 1s waiting for Backup velero\/shop-1 \(not found\); gave up after 1s \(--timeout\) while trying to get backups\.velero\.io velero\/shop-1 on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\); last error: /);
                        assert.match(last, lastError, what);
                        assert.match(t.err(), /tke2eks await: cannot get backups\.velero\.io velero\/shop-1 on cluster .*\(retrying in 0\.2s\)/, `${what}: the progress says what failed`);
                        assert.equal(t.out(), "", "nothing on stdout: no status was read");
                        assert.ok(own.requests.filter((p) => p === BACKUP_PATH).length >= 2, `${what}: transient failures are retried`);
                    } finally {
                        await own.close();
                    }
                }),
            );
        });

        it("the overall deadline aborts a request under way (the default request timeout is 30 s)", async () => {
            api.script(BACKUP_PATH, [{ fault: "stall-headers" }]);
            const t = io(env);
            const { value: code, ms } = await timed(() => runAwait("backup", "shop-1", { ...AWAIT, requestTimeout: undefined, timeout: "1" }, t));
            assert.equal(code, 1);
            assertEnds(ms, 1000 + slackMs(MARGIN_MS));
            assert.match(t.err(), /timed out after 1s waiting for Backup velero\/shop-1 \(not found\); gave up after 1s \(--timeout\) while trying to get backups\.velero\.io/);
        });

        it("resets and dropped connections, 429 and 503 are retried with backoff, then the wait goes on", async () => {
            const cases: [Reply[], RegExp[]][] = [
                [[{ fault: "reset" }, { fault: "drop" }], [/ECONNRESET|connection closed early/, /ECONNRESET|connection closed early/]],
                [[status(429, "TooManyRequests", "rate limited"), status(503, "ServiceUnavailable", "etcd leader changed")], [/: 429 Too Many Requests: rate limited \(retrying in 0\.2s\)$/, /: 503 Service Unavailable: etcd leader changed \(retrying in 0\.4s\)$/]],
            ];
            for (const [faults, lines] of cases) {
                api.script(BACKUP_PATH, [...faults, backup("Completed")]);
                const t = io(env);
                const code = await runAwait("backup", "shop-1", { ...AWAIT, ...CALM }, t);
                assert.equal(code, 0, t.err());
                assert.equal((JSON.parse(t.out()) as { phase: string }).phase, "Completed");
                const retries = t.err().split("\n").filter((l) => l.startsWith("tke2eks await: "));
                assert.equal(retries.length, lines.length, t.err());
                lines.forEach((re, i) => assert.match(retries[i], re));
            }
        });

        const permanent: [string, (a: FaultyApi) => void, RegExp][] = [
            ["a web server (HTML where the API should be)", (a) => a.script("/api", [HTML(200)]), /GET \/api\) on cluster .*: the server answered 200 with text\/html, not the Kubernetes API's JSON \(is the server URL right\?\)$/],
            ["a wrong proxy path (404 on the core API)", (a) => a.script("/api", [HTML(404)]), /does not serve the Kubernetes core API \(GET \/api: 404 Not Found\): is the server URL right\?/],
            ["refused credentials", (a) => a.script(BACKUP_PATH, [status(401, "Unauthorized")]), /refused the credentials \(401 Unauthorized\) to get backups\.velero\.io velero\/shop-1$/],
            ["a forbidden Backup", (a) => a.script(BACKUP_PATH, [status(403, "Forbidden", 'backups.velero.io "shop-1" is forbidden')]), /not allowed to get backups\.velero\.io velero\/shop-1 \(403 Forbidden: backups\.velero\.io "shop-1" is forbidden\)$/],
        ];
        for (const [what, setup, message] of permanent) {
            it(`${what}: exit 2 at once, one line`, async () => {
                setup(api);
                const t = io(env);
                const { value: code, ms } = await timed(() => runAwait("backup", "shop-1", { ...AWAIT, ...CALM }, t));
                assert.equal(code, 2, t.err());
                assertEnds(ms, AT_ONCE_MS);
                assert.match(t.err(), /^tke2eks: /);
                assert.equal(t.err().trim().split("\n").length, 1, t.err());
                assert.match(t.err().trim(), message);
            });
        }

        it("nothing listening (a closed port) and an https server that does not speak TLS: exit 2 at once", async () => {
            const url = api.url;
            // A port that just closed: fetch (undici, under client-node 2) refuses port 1 itself ("bad port").
            const closed = net.createServer().listen(0, "127.0.0.1");
            await new Promise((resolve) => closed.once("listening", resolve));
            const port = (closed.address() as net.AddressInfo).port;
            await new Promise((resolve) => closed.close(resolve));
            const cases: [string, RegExp][] = [
                [url.replace("http:", "https:"), /TLS failed \(ERR_SSL_|TLS failed \(EPROTO/],
                [url.replace(/:\d+$/, `:${port}`), /connection refused \(nothing listens there: is the server URL right\?\)/],
            ];
            for (const [server, message] of cases) {
                const t = io({ TKE2EKS_KUBECONFIG: kubeconfigFor(server) });
                const { value: code, ms } = await timed(() => runAwait("backup", "shop-1", { ...AWAIT, ...CALM }, t));
                assert.equal(code, 2, t.err());
                assertEnds(ms, AT_ONCE_MS);
                assert.match(t.err(), message);
                assert.match(t.err(), new RegExp(`discover the core API \\(GET /api\\) on cluster ${server.replace(/[.]/g, "\\.")} `));
            }
        });

        it("an http:// server as `kubectl proxy` serves it needs no TLS flag; https keeps its checks", async () => {
            api.script(BACKUP_PATH, [backup("Completed")]);
            const t = io(env);
            assert.equal(await runAwait("backup", "shop-1", { ...AWAIT, ...CALM }, t), 0, t.err());
            assert.doesNotMatch(kubeconfigFor(api.url), /insecure-skip-tls-verify/);
        });

        it("no kubeconfig at all, or an empty one: exit 2 naming it, no request to localhost:8080", async () => {
            const home = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-home-"));
            try {
                await assert.rejects(runAwait("backup", "shop-1", AWAIT, io({ HOME: home })), (err: unknown) => {
                    assert.ok(err instanceof UserError && err.exitCode === 2);
                    assert.equal(err.message, "no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config");
                    return true;
                });
                const empty = path.join(home, "empty");
                fs.writeFileSync(empty, "\n");
                await assert.rejects(runAwait("backup", "shop-1", { ...AWAIT, kubeconfig: empty }, io({ HOME: home })), new RegExp(`^UserError: kubeconfig ${empty.replace(/[.]/g, "\\.")}: is empty$`));
                fs.writeFileSync(empty, kubeconfigFor("ftp://example.test"));
                await assert.rejects(runAwait("backup", "shop-1", { ...AWAIT, kubeconfig: empty }, io({ HOME: home })), /cluster "b" has server "ftp:\/\/example\.test", not an http:\/\/ or https:\/\/ URL$/);
            } finally {
                fs.rmSync(home, { recursive: true, force: true });
            }
        });
    });

    describe("inventory", () => {
        const INVENTORY = { restoreName: "shop-1", timeout: String(DEADLINE_S), requestTimeout: String(REQUEST_S) };

        it("a stalled list: retried until --timeout, then exit 1 naming the list and the server", async () => {
            api.script("/api/v1/namespaces/shop/pods", [{ fault: "stall-body", body: { kind: "PodList", items: [] } }]);
            const t = io(env);
            const { value: code, ms } = await timed(() => runInventory({ ...INVENTORY, namespace: ["shop"] }, t));
            assert.equal(code, 1, t.err());
            assertEnds(ms, DEADLINE_S * 1000 + slackMs(MARGIN_MS));
            assert.match(t.err(), /tke2eks: cannot count the restored objects: gave up after 1s \(--timeout\) while trying to list pods in namespace shop on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\); last error: .*no complete answer within 0\.3s/);
            assert.equal(t.out(), "");
        });

        it("a 403 names the resource; a namespace that does not exist and a Restore that created none are exit 2", async () => {
            api.script("/api/v1/namespaces/shop/persistentvolumeclaims", [status(403, "Forbidden")]);
            const denied = io(env);
            assert.equal(await runInventory({ ...INVENTORY, ...CALM, namespace: ["shop"] }, denied), 2);
            assert.match(denied.err(), /^tke2eks: cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\): not allowed to list persistentvolumeclaims in namespace shop \(403 Forbidden\)\n$/);

            const missing = io(env);
            assert.equal(await runInventory({ ...INVENTORY, ...CALM, namespace: ["web"] }, missing), 2);
            assert.match(missing.err(), /^tke2eks: namespace web does not exist on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\)\n$/);

            api.script("/api/v1/namespaces", [{ status: 200, body: { kind: "NamespaceList", items: [] } }]);
            const none = io(env);
            assert.equal(await runInventory({ ...INVENTORY, ...CALM, namespace: [] }, none), 2);
            assert.match(none.err(), /nothing to count: no namespace on .* carries velero\.io\/restore-name=shop-1/);
            assert.equal(none.out(), "");
            const allowed = io(env);
            assert.equal(await runInventory({ ...INVENTORY, ...CALM, namespace: [], allowEmpty: true }, allowed), 0);
            assert.deepEqual(JSON.parse(allowed.out()), { restoreName: "shop-1", namespaces: {} });
        });

        it("429 and 503 on the lists are retried, then it counts", async () => {
            api.script("/apis/apps/v1/namespaces/shop/deployments", [status(429, "TooManyRequests"), status(503, "ServiceUnavailable"), { status: 200, body: { kind: "DeploymentList", items: [{ metadata: { name: "web", labels: { "velero.io/restore-name": "shop-1" } } }] } }]);
            const t = io(env);
            assert.equal(await runInventory({ ...INVENTORY, ...CALM, namespace: ["shop"] }, t), 0, t.err());
            const inv = JSON.parse(t.out()) as { namespaces: { shop: { deployments: { total: number; restored: number } } } };
            assert.deepEqual(inv.namespaces.shop.deployments, { total: 1, restored: 1 });
            assert.equal(t.err().split("\n").filter((l) => l.startsWith("tke2eks inventory: ")).length, 2);
        });

        it("a web server instead of the API: exit 2 at once", async () => {
            api.script("/api", [NOT_FOUND]);
            const t = io(env);
            const { value: code, ms } = await timed(() => runInventory({ ...INVENTORY, ...CALM, namespace: ["shop"] }, t));
            assert.equal(code, 2);
            assertEnds(ms, AT_ONCE_MS);
            assert.match(t.err(), /does not serve the Kubernetes core API/);
        });
    });
});
