/**
 * The live `tke2eks preflight` against a loopback API server that misbehaves
 * (test/support/faultyApi.ts): exit code, the one line on stderr, nothing on stdout that could
 * read as a pass, and the time taken (deadline plus a small margin, measured).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { runPreflight, type PreflightOptions } from "../../cli/preflight";
import { DISCOVERY, faultyApi, HTML, kubeconfigFor, NOT_FOUND, status, timed, type FaultyApi, type Item } from "../support/faultyApi";
import { UserError } from "../../core/errors";
import { slackMs } from "../support/slack";

/** Stalls: a 1 s deadline, 0.3 s per request; the margin covers the last abort and a loaded machine. */
const STALL = { timeout: "1", requestTimeout: "0.3", progress: false, format: "json" };
const MARGIN_MS = 800;
/** Everything else: limits no healthy answer comes near; a permanent failure must end far sooner. */
const LIMITS = { timeout: "10", requestTimeout: "5", progress: false, format: "json" };
const AT_ONCE_MS = 2000;

const POD: Item = { metadata: { name: "web-1", namespace: "shop" }, spec: { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80 }] }] } };

async function preflight(opts: PreflightOptions): Promise<{ code: number | UserError; stdout: string; stderr: string; ms: number }> {
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks = { out: [] as string[], err: [] as string[] };
    out.on("data", (c: Buffer) => chunks.out.push(c.toString()));
    err.on("data", (c: Buffer) => chunks.err.push(c.toString()));
    const { value, ms } = await timed(() =>
        runPreflight([], opts, { stdin: Readable.from([]), stdout: out, stderr: err as unknown as NodeJS.WriteStream }).catch((e: unknown) => {
            if (e instanceof UserError) return e;
            throw e;
        }),
    );
    return { code: value, stdout: chunks.out.join(""), stderr: chunks.err.join(""), ms };
}

describe("preflight: a live cluster that misbehaves", function () {
    this.timeout(10_000);
    let dir: string;
    let api: FaultyApi;
    let kubeconfig: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-faults-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    beforeEach(async () => {
        api = await faultyApi({ "/api/v1/pods": [POD] });
        kubeconfig = path.join(dir, "kubeconfig");
        fs.writeFileSync(kubeconfig, kubeconfigFor(api.url));
    });
    afterEach(() => api.close());

    /** A failure: UserError exit 2, one line, nothing on stdout. */
    function assertStopped(r: Awaited<ReturnType<typeof preflight>>, message: RegExp, maxMs: number) {
        assert.ok(r.code instanceof UserError, `expected a UserError, got exit ${String(r.code)}; stderr: ${r.stderr}`);
        assert.equal(r.code.exitCode, 2);
        assert.ok(!r.code.message.includes("\n"), "one line");
        assert.match(r.code.message, message);
        assert.equal(r.stdout, "");
        assert.ok(r.ms <= maxMs, `ended after ${Math.round(r.ms)} ms, allowed ${maxMs} ms`);
    }

    it("scans a healthy cluster through a plain-http kubeconfig (what `kubectl proxy` serves)", async () => {
        const r = await preflight({ kubeconfig, ...LIMITS });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { summary: { objects: number } }).summary.objects, 1);
    });

    it("a list that stalls before its headers or in its body: retried, then exit 2 at --timeout naming the list, the server and the last error", async () => {
        for (const fault of [{ fault: "stall-headers" as const }, { fault: "stall-body" as const, body: { kind: "PodList", items: [POD] } }]) {
            api.script("/api/v1/pods", [fault]);
            const r = await preflight({ kubeconfig, ...STALL });
            // The first retry waits 0.2 s, or less when the deadline is nearer (on a loaded machine the stalled try itself ran late).
            assertStopped(r, /^gave up after 1s \(--timeout\) while trying to list pods on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\); last error: no complete answer within 0\.3s \(--request-timeout\)$/, 1000 + slackMs(MARGIN_MS));
            assert.match(r.stderr, /tke2eks preflight: cannot list pods on cluster .*: no complete answer within 0\.3s \(--request-timeout\) \(retrying in 0\.[12]s\)/);
        }
    });

    it("resets, dropped connections, 429 and 500 during discovery and lists are retried, then the scan completes", async () => {
        api.script("/apis/apps/v1", [{ fault: "reset" }, status(429, "TooManyRequests", "slow down"), { status: 200, body: { kind: "APIResourceList", groupVersion: "apps/v1", resources: DISCOVERY["/apis/apps/v1"].map((r) => ({ ...r, singularName: "", verbs: ["list"] })) } }]);
        api.script("/api/v1/pods", [{ fault: "drop" }, status(500, "InternalError", "etcd"), { status: 200, body: { kind: "PodList", metadata: {}, items: [POD] } }]);
        const r = await preflight({ kubeconfig, ...LIMITS });
        assert.equal(r.code, 0, r.stderr);
        assert.equal((JSON.parse(r.stdout) as { summary: { objects: number } }).summary.objects, 1);
        assert.equal(r.stderr.split("\n").filter((l) => l.startsWith("tke2eks preflight: ")).length, 4, r.stderr);
    });

    it("not a Kubernetes API (a web page, a 404 on the core API, a partial discovery with none of the core kinds): exit 2 at once", async () => {
        const cases: [() => void, RegExp][] = [
            [() => api.script("/api", [HTML(200)]), /^cannot discover the core API \(GET \/api\) on cluster .*: the server answered 200 with text\/html, not the Kubernetes API's JSON \(is the server URL right\?\)$/],
            [() => api.script("/api", [NOT_FOUND]), /does not serve the Kubernetes core API \(GET \/api: 404 Not Found\): is the server URL right\?$/],
            [() => api.script("/api/v1", [NOT_FOUND]), /^cannot discover v1 Pod on cluster .*: 404 Not Found: the server could not find the requested resource$/],
            [
                () => {
                    api.script("/api/v1", [{ status: 200, body: { kind: "APIResourceList", groupVersion: "v1", resources: [] } }]);
                    api.script("/apis/apps/v1", [NOT_FOUND]);
                },
                /^the discovery of cluster .* found none of Pod, Service, Deployment, StatefulSet: nothing to scan there \(is the server URL right\?\)$/,
            ],
        ];
        for (const [setup, message] of cases) {
            api.heal();
            setup();
            assertStopped(await preflight({ kubeconfig, ...LIMITS, failOn: "warning" }), message, AT_ONCE_MS);
        }
    });

    it("a namespace that does not exist, an empty cluster and refused credentials: exit 2 with one line", async () => {
        assertStopped(await preflight({ kubeconfig, ...LIMITS, namespace: ["shop", "shpo"] }), /^namespace shpo does not exist on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\)$/, AT_ONCE_MS);
        api.script("/api/v1/pods", [{ status: 200, body: { kind: "PodList", metadata: {}, items: [] } }]);
        const empty = await preflight({ kubeconfig, ...LIMITS });
        assert.equal(empty.code, 2);
        assert.equal(empty.stdout, "");
        assert.equal(empty.stderr, "tke2eks: nothing scanned: no Kubernetes objects in the cluster (--allow-empty accepts an empty scan)\n");
        assert.equal((await preflight({ kubeconfig, ...LIMITS, allowEmpty: true })).code, 0);
        api.script("/api", [status(401, "Unauthorized")]);
        assertStopped(await preflight({ kubeconfig, ...LIMITS }), /refused the credentials \(401 Unauthorized\) to discover the core API \(GET \/api\)$/, AT_ONCE_MS);
    });

    it("cluster B's discovery (--target-kubeconfig) obeys the same limits: a B that stalls ends the scan at --timeout, exit 2", async () => {
        const manifest = path.join(dir, "pod.json");
        fs.writeFileSync(manifest, JSON.stringify({ apiVersion: "v1", kind: "Pod", ...POD }));
        api.script("/apis", [{ fault: "stall-headers" }]);
        const { value, ms } = await timed(() =>
            runPreflight([manifest], { targetKubeconfig: kubeconfig, ...STALL }, { stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough() as unknown as NodeJS.WriteStream }).catch((e: unknown) => e),
        );
        assert.ok(value instanceof UserError, String(value));
        assert.equal(value.exitCode, 2);
        assert.match(value.message, /^gave up after 1s \(--timeout\) while trying to read the API groups \(GET \/apis\) on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\)/);
        assert.ok(ms <= 1000 + slackMs(MARGIN_MS), `ended after ${Math.round(ms)} ms`);
    });
});
