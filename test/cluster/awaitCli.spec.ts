/**
 * `tke2eks await` and `tke2eks inventory` against a small Kubernetes API server on the
 * loopback address, reached by the official client through a real kubeconfig given the way
 * the migration's Commands give it (its content in TKE2EKS_KUBECONFIG).
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseYaml } from "yaml";
import { progressLines, runAwait, runInventory } from "../../cli/await";
import { captureIo } from "../support/captureIo";
import { kubeconfig } from "./verifyServer";
import { timed } from "../support/faultyApi";
import { UserError } from "../../core/errors";

interface Fake {
    url: string;
    /** Paths requested, in order. */
    requests: string[];
    close(): Promise<void>;
}

/** Answers each GET of a path with the next scripted response (the last one repeats). */
async function apiServer(routes: Record<string, { status: number; body: unknown }[]>): Promise<Fake> {
    const requests: string[] = [];
    const served: Record<string, number> = {};
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://x");
        requests.push(url.pathname + url.search);
        // Every command first checks that the server serves the core API.
        const script = url.pathname === "/api" ? [{ status: 200, body: { kind: "APIVersions", versions: ["v1"] } }] : routes[url.pathname];
        const i = Math.min(served[url.pathname] ?? 0, (script?.length ?? 1) - 1);
        served[url.pathname] = (served[url.pathname] ?? 0) + 1;
        const r = script?.[i] ?? { status: 404, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 } };
        res.writeHead(r.status, { "content-type": "application/json" });
        res.end(JSON.stringify(r.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}


const io = captureIo;

/**
 * waitedSeconds is the command's own measure of its wait, in whole seconds: at least the sleeps
 * between its polls (`minMs`: no sleep ends early), at most what the test measured around the
 * call (which starts earlier and ends later), however loaded the machine.
 */
function assertWaited(waitedSeconds: unknown, minMs: number, ms: number): void {
    assert.ok(Number.isInteger(waitedSeconds), `waitedSeconds ${String(waitedSeconds)}: a whole number`);
    const w = waitedSeconds as number;
    assert.ok(w >= Math.round(minMs / 1000) && w <= Math.round(ms / 1000), `waitedSeconds ${w} after sleeps of ${minMs} ms, in a call of ${Math.round(ms)} ms`);
}

const NOT_FOUND = { status: 404, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 } };
const backup = (phase: string, status: Record<string, unknown> = {}) => ({
    status: 200,
    body: { apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: "shop-1", namespace: "velero" }, status: { phase, progress: { totalItems: 40, itemsBackedUp: phase === "Completed" ? 40 : 12 }, ...status } },
});
const restore = (phase: string, status: Record<string, unknown> = {}) => ({
    status: 200,
    body: { apiVersion: "velero.io/v1", kind: "Restore", metadata: { name: "shop-1", namespace: "velero" }, status: { phase, progress: { totalItems: 40, itemsRestored: 37 }, ...status } },
});

const BACKUP_PATH = "/apis/velero.io/v1/namespaces/velero/backups/shop-1";
const RESTORE_PATH = "/apis/velero.io/v1/namespaces/velero/restores/shop-1";
const FAST = { namespace: "velero", timeout: "10", interval: "0.01" };

describe("tke2eks await", () => {
    let fake: Fake | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    it("waits through 404 (not synced yet) and running phases, then prints the status as JSON", async () => {
        fake = await apiServer({ [BACKUP_PATH]: [NOT_FOUND, NOT_FOUND, backup("New"), backup("InProgress"), backup("Completed", { warnings: 1 })] });
        const t = io({ TKE2EKS_KUBECONFIG: kubeconfig(fake.url), TKE2EKS_CONTEXT: "eks-b" });
        const { value: code, ms } = await timed(() => runAwait("backup", "shop-1", FAST, t));
        assert.equal(code, 0, t.err());
        assert.deepEqual(fake.requests, ["/api", ...Array<string>(5).fill(BACKUP_PATH)]);
        const { waitedSeconds, ...status } = JSON.parse(t.out()) as Record<string, unknown>;
        assert.deepEqual(status, { kind: "Backup", name: "shop-1", namespace: "velero", phase: "Completed", errors: 0, warnings: 1, totalItems: 40, doneItems: 40, validationErrors: [] });
        assertWaited(waitedSeconds, 0, ms);
        // A line per change, not per poll: the two 404s make one line.
        const progress = t.err().trim().split("\n").map((l) => l.replace(/^\[\d+s\] /, ""));
        assert.deepEqual(progress, [
            "Backup velero/shop-1: not found yet",
            "Backup velero/shop-1: New, 12/40 items, 0 errors, 0 warnings",
            "Backup velero/shop-1: InProgress, 12/40 items, 0 errors, 0 warnings",
            "Backup velero/shop-1: Completed, 40/40 items, 0 errors, 1 warnings",
        ]);
        assert.ok(!t.err().includes("s3cr3t"), "credentials never printed");
    });

    it("PartiallyFailed: exit 1 with the counts and how to inspect; accepted with --allow-partially-failed", async () => {
        fake = await apiServer({ [RESTORE_PATH]: [restore("InProgress"), restore("PartiallyFailed", { errors: 3, warnings: 5 })] });
        const env = { TKE2EKS_KUBECONFIG: kubeconfig(fake.url) };
        const failed = io(env);
        assert.equal(await runAwait("restore", "shop-1", FAST, failed), 1);
        assert.match(failed.err(), /tke2eks: Restore velero\/shop-1 PartiallyFailed: 37\/40 items, 3 errors, 5 warnings; inspect with: kubectl -n velero get restores\.velero\.io shop-1 -o yaml/);
        assert.equal((JSON.parse(failed.out()) as { errors: number }).errors, 3);
        const allowed = io(env);
        assert.equal(await runAwait("restore", "shop-1", { ...FAST, allowPartiallyFailed: true }, allowed), 0);
    });

    it("FailedValidation stops at once (Velero never completes it), with Velero's reasons", async () => {
        fake = await apiServer({ [RESTORE_PATH]: [restore("FailedValidation", { validationErrors: ["backup \"shop-1\" not found"] })] });
        const t = io({ TKE2EKS_KUBECONFIG: kubeconfig(fake.url) });
        assert.equal(await runAwait("restore", "shop-1", { ...FAST, timeout: "3600" }, t), 1);
        assert.match(t.err(), /FailedValidation: backup "shop-1" not found/);
        assert.deepEqual(fake.requests, ["/api", RESTORE_PATH]);
    });

    it("times out with the last phase seen (exit 1); a refused credential fails at once (exit 2)", async () => {
        fake = await apiServer({ [BACKUP_PATH]: [backup("InProgress")], "/apis/velero.io/v1/namespaces/other/backups/shop-1": [{ status: 403, body: { kind: "Status", code: 403 } }] });
        const env = { TKE2EKS_KUBECONFIG: kubeconfig(fake.url) };
        const slow = io(env);
        assert.equal(await runAwait("backup", "shop-1", { ...FAST, timeout: "1", interval: "0.2" }, slow), 1);
        assert.match(slow.err(), /tke2eks: timed out after 1s waiting for Backup velero\/shop-1 \(phase InProgress, 12\/40 items\)/);
        const denied = io(env);
        assert.equal(await runAwait("backup", "shop-1", { ...FAST, namespace: "other" }, denied), 2);
        assert.match(denied.err(), /^tke2eks: cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\): not allowed to get backups\.velero\.io other\/shop-1 \(403 Forbidden\)\n$/);
    });

    it("a Backup in phase Deleting fails at once (exit 1): Velero will never finish it", async () => {
        fake = await apiServer({ [BACKUP_PATH]: [backup("Deleting")] });
        const t = io({ TKE2EKS_KUBECONFIG: kubeconfig(fake.url) });
        assert.equal(await runAwait("backup", "shop-1", { ...FAST, timeout: "2" }, t), 1);
        assert.match(t.err(), /^tke2eks: Backup velero\/shop-1 is being deleted \(phase Deleting, 12\/40 items\): it will never finish; start a new run under a new tke2eks:run name$/m);
        assert.deepEqual(fake.requests, ["/api", BACKUP_PATH]);
        assert.equal((JSON.parse(t.out()) as { phase: string }).phase, "Deleting");
    });

    it("a Restore with a deletionTimestamp fails at once (exit 1)", async () => {
        const deleting = restore("InProgress");
        (deleting.body.metadata as Record<string, unknown>).deletionTimestamp = "2026-12-02T02:40:00Z";
        fake = await apiServer({ [RESTORE_PATH]: [restore("InProgress"), deleting] });
        const t = io({ TKE2EKS_KUBECONFIG: kubeconfig(fake.url) });
        assert.equal(await runAwait("restore", "shop-1", { ...FAST, timeout: "2" }, t), 1);
        assert.match(t.err(), /^tke2eks: Restore velero\/shop-1 is being deleted \(phase InProgress, 37\/40 items\)/m);
        assert.deepEqual(fake.requests, ["/api", RESTORE_PATH, RESTORE_PATH]);
    });

    it("an object deleted while waited on (404 after it was seen) fails at once (exit 1), the last status on stdout", async () => {
        fake = await apiServer({ [BACKUP_PATH]: [NOT_FOUND, backup("InProgress"), NOT_FOUND, backup("Completed")] });
        const t = io({ TKE2EKS_KUBECONFIG: kubeconfig(fake.url) });
        assert.equal(await runAwait("backup", "shop-1", { ...FAST, timeout: "2" }, t), 1);
        assert.match(t.err(), /^tke2eks: Backup velero\/shop-1 was deleted while waited on \(last seen: phase InProgress, 12\/40 items\)$/m);
        assert.deepEqual(fake.requests, ["/api", BACKUP_PATH, BACKUP_PATH, BACKUP_PATH]);
        assert.equal((JSON.parse(t.out()) as { phase: string }).phase, "InProgress");
    });

    it("--location: a location that does not exist fails at once; an Available one is waited through, the wait measured", async () => {
        const LOCATION_PATH = "/apis/velero.io/v1/namespaces/velero/backupstoragelocations/default";
        fake = await apiServer({ [BACKUP_PATH]: [NOT_FOUND] });
        const missing = io({ TKE2EKS_KUBECONFIG: kubeconfig(fake.url) });
        assert.equal(await runAwait("backup", "shop-1", { ...FAST, timeout: "2", location: "default" }, missing), 1);
        assert.match(missing.err(), /^tke2eks: Backup velero\/shop-1 cannot sync: BackupStorageLocation velero\/default does not exist: nothing can sync from it/m);
        assert.equal(missing.out(), "");
        await fake.close();

        const available = { status: 200, body: { apiVersion: "velero.io/v1", kind: "BackupStorageLocation", metadata: { name: "default" }, status: { phase: "Available" } } };
        fake = await apiServer({ [BACKUP_PATH]: [NOT_FOUND, NOT_FOUND, backup("Completed")], [LOCATION_PATH]: [available] });
        const t = io({ TKE2EKS_KUBECONFIG: kubeconfig(fake.url) });
        // Two polls find nothing: two sleeps of 0.6 s, a wait of at least 1 s however fast the machine.
        const { value: code, ms } = await timed(() => runAwait("backup", "shop-1", { ...FAST, location: "default", interval: "0.6" }, t));
        assert.equal(code, 0, t.err());
        assert.deepEqual(fake.requests, ["/api", BACKUP_PATH, LOCATION_PATH, BACKUP_PATH, LOCATION_PATH, BACKUP_PATH]);
        assertWaited((JSON.parse(t.out()) as { waitedSeconds: unknown }).waitedSeconds, 1200, ms);
        await assert.rejects(runAwait("backup", "shop-1", { ...FAST, location: "Default!" }, io({})), /^UserError: --location "Default!": must be a Kubernetes object name/);
    });

    it("progress: a line when it changes, else one a minute (a 4-hour wait logs tens of lines, not thousands)", () => {
        const lines: string[] = [];
        let at = 0;
        const progress = progressLines((l) => lines.push(l), () => at);
        for (const [t, line] of [[0, "a"], [5, "a"], [59, "a"], [60, "a"], [65, "b"], [70, "a"], [200, "a"]] as const) {
            at = t;
            progress(line);
        }
        assert.deepEqual(lines, ["[0s] a\n", "[60s] a\n", "[65s] b\n", "[70s] a\n", "[200s] a\n"]);
    });

    it("bad kubeconfig or usage: exit 2, one line naming what is wrong", async () => {
        const cases: [string, string, Partial<typeof FAST & { context: string }>, NodeJS.ProcessEnv, RegExp][] = [
            ["backup", "shop-1", {}, { TKE2EKS_KUBECONFIG: "not: a kubeconfig: [" }, /^kubeconfig from \$TKE2EKS_KUBECONFIG: /],
            ["backup", "shop-1", {}, { TKE2EKS_KUBECONFIG: "" }, /^kubeconfig from \$TKE2EKS_KUBECONFIG: is empty$/],
            ["backup", "shop-1", { context: "eks-c" }, { TKE2EKS_KUBECONFIG: kubeconfig("http://127.0.0.1:1") }, /^kubeconfig from \$TKE2EKS_KUBECONFIG: no context "eks-c" \(contexts: eks-b\)$/],
            ["schedule", "shop-1", {}, {}, /^await schedule: use backup or restore$/],
            ["backup", "Shop_1", {}, {}, /^backup name "Shop_1": must be a Kubernetes object name/],
            ["backup", "shop-1", { timeout: "soon" }, {}, /^--timeout soon: must be a duration like 30s, 10m or 1h30m \(a plain number is seconds\), at least 1s$/],
        ];
        for (const [kind, name, opts, env, message] of cases) {
            await assert.rejects(runAwait(kind, name, { ...FAST, ...opts }, io(env)), (err: unknown) => {
                assert.ok(err instanceof UserError, String(err));
                assert.equal(err.exitCode, 2);
                assert.match(err.message, message);
                assert.ok(!err.message.includes("\n"), "one line");
                return true;
            });
        }
        await assert.rejects(runAwait("backup", "shop-1", { ...FAST, kubeconfig: "/no/such/kubeconfig" }, io({})), /kubeconfig \/no\/such\/kubeconfig: no such file/);
    });
});

describe("tke2eks inventory", () => {
    let fake: Fake | undefined;
    afterEach(async () => {
        await fake?.close();
        fake = undefined;
    });

    const list = (kind: string, items: { name: string; restored?: boolean }[]) => ({
        status: 200,
        body: { apiVersion: "v1", kind, metadata: {}, items: items.map((i) => ({ metadata: { name: i.name, labels: i.restored ? { "velero.io/restore-name": "shop-1" } : {} } })) },
    });

    it("counts per namespace, in total and what the run restored; with no namespace given, those the Restore created", async () => {
        const empty = (kind: string) => list(kind, []);
        fake = await apiServer({
            "/api/v1/namespaces": [list("NamespaceList", [{ name: "shop", restored: true }])],
            "/api/v1/namespaces/shop": [{ status: 200, body: { kind: "Namespace", apiVersion: "v1", metadata: { name: "shop" } } }],
            "/api/v1/namespaces/minio": [{ status: 200, body: { kind: "Namespace", apiVersion: "v1", metadata: { name: "minio" } } }],
            "/apis/apps/v1/namespaces/shop/deployments": [list("DeploymentList", [{ name: "web", restored: true }])],
            "/apis/apps/v1/namespaces/shop/statefulsets": [list("StatefulSetList", [{ name: "orders", restored: true }])],
            "/api/v1/namespaces/shop/services": [list("ServiceList", [{ name: "web", restored: true }, { name: "orders", restored: true }])],
            "/api/v1/namespaces/shop/persistentvolumeclaims": [list("PersistentVolumeClaimList", [{ name: "data-orders-0", restored: true }])],
            "/api/v1/namespaces/shop/pods": [list("PodList", [{ name: "web-1" }, { name: "web-2" }, { name: "orders-0" }])],
            "/apis/apps/v1/namespaces/minio/deployments": [empty("DeploymentList")],
            "/apis/apps/v1/namespaces/minio/statefulsets": [empty("StatefulSetList")],
            "/api/v1/namespaces/minio/services": [empty("ServiceList")],
            "/api/v1/namespaces/minio/persistentvolumeclaims": [empty("PersistentVolumeClaimList")],
            "/api/v1/namespaces/minio/pods": [empty("PodList")],
        });
        const env = { TKE2EKS_KUBECONFIG: kubeconfig(fake.url) };
        const auto = io(env);
        assert.equal(await runInventory({ namespace: [], restoreName: "shop-1" }, auto), 0, auto.err());
        const inventory = JSON.parse(auto.out()) as { restoreName: string; namespaces: Record<string, Record<string, { total: number; restored: number }>> };
        assert.deepEqual(inventory, {
            restoreName: "shop-1",
            namespaces: {
                shop: {
                    deployments: { total: 1, restored: 1 },
                    statefulSets: { total: 1, restored: 1 },
                    services: { total: 2, restored: 2 },
                    persistentVolumeClaims: { total: 1, restored: 1 },
                    pods: { total: 3, restored: 0 },
                },
            },
        });
        assert.ok(fake.requests.some((p) => p.startsWith("/api/v1/namespaces?") && decodeURIComponent(p).includes("labelSelector=velero.io/restore-name=shop-1")));
        const given = io(env);
        assert.equal(await runInventory({ namespace: ["shop", "minio"], restoreName: "shop-1" }, given), 0);
        assert.deepEqual(Object.keys((JSON.parse(given.out()) as { namespaces: object }).namespaces), ["minio", "shop"]);
        // -o yaml: the same counts.
        const yaml = io(env);
        assert.equal(await runInventory({ namespace: ["shop", "minio"], restoreName: "shop-1", format: "yaml" }, yaml), 0, yaml.err());
        assert.deepEqual(parseYaml(yaml.out()), JSON.parse(given.out()));
        await assert.rejects(runInventory({ namespace: [], restoreName: "shop-1", format: "table" }, io(env)), /^UserError: -o\/--output "table": use one of json, yaml$/);
        const missing = io(env);
        assert.equal(await runInventory({ namespace: ["web"], restoreName: "shop-1" }, missing), 2);
        assert.match(missing.err(), /^tke2eks: namespace web does not exist on cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\)\n$/);
    });
});
