/**
 * The sync gate as Pulumi runs it: the restore stage's `backup-synced` Command line, run as a
 * process (the built bin/tke2eks, as `npm ci` leaves it) with the kubeconfig in the
 * environment, against the fault-injecting loopback API server. The gate must end within its
 * deadline, whatever the server does, with the exit code and line the stage reports.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { declareMigration } from "../../program";
import { record } from "../../rules/objects";
import { declare, devConfig } from "../components/harness";
import { faultyApi, kubeconfigFor, status, type FaultyApi, type Reply } from "../support/faultyApi";

const ROOT = path.join(__dirname, "..", "..");
const BACKUP_PATH = "/apis/velero.io/v1/namespaces/velero/backups/shop-1";
const LOCATION_PATH = "/apis/velero.io/v1/namespaces/velero/backupstoragelocations/default";
const location = (phase: string, status: Record<string, unknown> = {}): Reply => ({
    status: 200,
    body: { apiVersion: "velero.io/v1", kind: "BackupStorageLocation", metadata: { name: "default", namespace: "velero" }, status: { phase, lastValidationTime: "2026-12-02T02:40:00Z", ...status } },
});
/**
 * The gate's deadline here (its own is tke2eks:restore.syncTimeout). A request's limit of a
 * second, not less: eight processes start at once on a small machine, and a slower answer
 * would be a retry the expected lines do not show.
 */
const TIMEOUT_S = 2;
const REQUEST_S = 1;
const LIMITS = ["--timeout", String(TIMEOUT_S), "--request-timeout", String(REQUEST_S)];
const MARGIN_MS = 1000;

interface Ran {
    code: number | null;
    stdout: string;
    stderr: string;
    ms: number;
}

function runGate(create: string, env: NodeJS.ProcessEnv): Promise<Ran> {
    const start = performance.now();
    return new Promise((resolve, reject) => {
        const child = spawn("sh", ["-c", `${create} ${LIMITS.join(" ")}`], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - start }));
    });
}

describe("the sync gate (await run by a Pulumi Command) against a misbehaving API server", function () {
    this.timeout(30_000);
    let create: string;
    let context: string;
    before(async () => {
        const d = await declare(() => declareMigration(devConfig(["tke2eks:stage=restore"]), { offline: true }), { stack: "dev" });
        const gate = d.one("command:local:Command", "migration-run-backup-synced");
        create = String(gate.inputs.create);
        context = String(record(gate.inputs.environment).TKE2EKS_CONTEXT);
        assert.match(create, /^node bin\/tke2eks await backup shop-1 --namespace velero --timeout \d+ --location default$/);
    });

    /** What: the Backup's replies, exit code, stderr, more checks, B's location (default: Available). */
    const cases: [string, Reply[], number, RegExp, (r: Ran, api: FaultyApi) => void, Reply[]?][] = [
        ["B has not synced the backup (404 until the deadline)", [status(404, "NotFound", 'backups.velero.io "shop-1" not found')], 1, new RegExp(`^tke2eks: timed out after ${TIMEOUT_S}s waiting for Backup velero/shop-1 \\(not found\\)$`, "m"), () => {}],
        ["the API server stalls", [{ fault: "stall-headers" }], 1, new RegExp(`^tke2eks: timed out after ${TIMEOUT_S}s waiting for Backup velero/shop-1 \\(not found\\); gave up after ${TIMEOUT_S}s \\(--timeout\\) .*last error: no complete answer within ${REQUEST_S}s \\(--request-timeout\\)$`, "m"), () => {}],
        [
            "B lists the backup",
            [{ status: 200, body: { apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: "shop-1" }, status: { phase: "Completed", progress: { totalItems: 4, itemsBackedUp: 4 } } } }],
            0,
            /Backup velero\/shop-1: Completed, 4\/4 items/,
            (r) => assert.equal((JSON.parse(r.stdout) as { phase: string }).phase, "Completed"),
        ],
        // Velero skips an Unavailable location's sync (pkg/controller/backup_sync_controller.go:94-96 at v1.18.2): fail at once, not after the deadline.
        [
            "B's location is Unavailable",
            [status(404, "NotFound", 'backups.velero.io "shop-1" not found')],
            1,
            /^tke2eks: Backup velero\/shop-1 cannot sync: BackupStorageLocation velero\/default is Unavailable, last validated 2026-12-02T02:40:00Z: BackupStorageLocation "default" is unavailable: rpc error: code = Unknown desc = AccessDenied; Velero does not sync backups from an unavailable location \(inspect with: kubectl -n velero get backupstoragelocations\.velero\.io default -o yaml\)$/m,
            // At once: one look at the Backup and one at the location, not polls until the deadline.
            (_r, api) => assert.deepEqual(api.requests.filter((p) => p.startsWith("/apis/velero.io")), [BACKUP_PATH, LOCATION_PATH]),
            [location("Unavailable", { message: 'BackupStorageLocation "default" is unavailable: rpc error: code = Unknown desc = AccessDenied' })],
        ],
    ];

    // Concurrently, each against its own server. A process's start-up (loading the Kubernetes
    // client) varies with the machine's load, so the bound is measured: a run that fails at
    // once (refused credentials, exit 2) started alongside, plus the deadline and a margin.
    it("ends within its deadline with the stage's exit code and one clear line, whatever the server does", async () => {
        const refusing = await faultyApi();
        refusing.script(BACKUP_PATH, [status(403, "Forbidden")]);
        const baseline = runGate(create, { TKE2EKS_KUBECONFIG: kubeconfigFor(refusing.url, context), TKE2EKS_CONTEXT: context }).finally(() => refusing.close());
        await Promise.all(
            cases.map(async ([what, replies, code, message, more, bsl = [location("Available")]]) => {
                const api: FaultyApi = await faultyApi();
                try {
                    api.script(BACKUP_PATH, replies);
                    api.script(LOCATION_PATH, bsl);
                    const r = await runGate(create, { TKE2EKS_KUBECONFIG: kubeconfigFor(api.url, context), TKE2EKS_CONTEXT: context });
                    assert.equal(r.code, code, `${what}: ${r.stderr}`);
                    assert.match(r.stderr, message, what);
                    assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
                    const startup = (await baseline).ms;
                    // Start-ups of processes launched together differ more the slower they all are: the margin grows with the measured one.
                    const margin = Math.max(MARGIN_MS, startup / 2);
                    assert.ok(r.ms <= startup + TIMEOUT_S * 1000 + margin, `${what}: ended after ${Math.round(r.ms)} ms (start-up ${Math.round(startup)} ms)`);
                    if (code !== 0) assert.equal(r.stdout, "", `${what}: no status on stdout when none was read`);
                    more(r, api);
                } finally {
                    await api.close();
                }
            }),
        );
        const refused = await baseline;
        assert.equal(refused.code, 2, refused.stderr);
        assert.match(refused.stderr, /^tke2eks: cluster http:\/\/127\.0\.0\.1:\d+ \(context eks-b\): not allowed to get backups\.velero\.io velero\/shop-1 \(403 Forbidden\)\n$/);
    });
});
