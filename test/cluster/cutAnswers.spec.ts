/**
 * Every cluster command, as a process (bin/tke2eks), against a loopback API server that answers
 * 200 with a Content-Length and closes the connection halfway through the body, at each place a
 * command reads: discovery (GET /api, a group's resources), a get, a list. A cut answer is a
 * transient failure: retried until --timeout, then exit 1 (the live preflight 2) naming the
 * request. Node exits when
 * nothing is left to wait on, so a read that never settles (node-fetch 2 under client-node 1)
 * used to end these commands with exit 0 and no output; undici under client-node 2 fails the
 * body itself (cluster/session.ts classifies it). The invariant below holds for all of them.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { faultyApi, kubeconfigFor, type Item } from "../support/faultyApi";
import { writeBackup } from "../preflight/backupTarball";

const BIN = path.join(__dirname, "..", "..", "bin", "tke2eks");
const LIMITS = ["--timeout", "3", "--request-timeout", "2"];
/** At most this many processes at once (the machine has two cores); the limits leave room for a loaded machine. */
const PARALLEL = 5;

const WEB: Item = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { replicas: 1 } };
const RESTORE = { apiVersion: "velero.io/v1", kind: "Restore", metadata: { name: "shop-1", namespace: "velero" }, spec: { backupName: "shop-1" }, status: { phase: "Completed" } };
const BACKUP = { apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: "shop-1", namespace: "velero" }, status: { phase: "Completed" } };
const BACKUP_PATH = "/apis/velero.io/v1/namespaces/velero/backups/shop-1";
const RESTORE_PATH = "/apis/velero.io/v1/namespaces/velero/restores/shop-1";
/** Bodies long enough that half of them is no valid JSON. */
const PAD = "x".repeat(200);

interface Case {
    command: string;
    args: (files: { kubeconfig: string; backup: string }) => string[];
    /** The exit code out of time: 1, the live preflight's cluster failures 2 (preflight/cluster.ts). */
    exit: number;
    /** Cut position → path cut, and the request the message must name. */
    cuts: [position: string, path: string, named: RegExp][];
}

const CASES: Case[] = [
    {
        command: "await backup",
        exit: 1,
        args: ({ kubeconfig }) => ["await", "backup", "shop-1", "--kubeconfig", kubeconfig, "--interval", "0.05", ...LIMITS],
        cuts: [
            ["discovery", "/api", /discover the core API \(GET \/api\)/],
            ["get", BACKUP_PATH, /get backups\.velero\.io velero\/shop-1/],
        ],
    },
    {
        command: "await restore",
        exit: 1,
        args: ({ kubeconfig }) => ["await", "restore", "shop-1", "--kubeconfig", kubeconfig, "--interval", "0.05", ...LIMITS],
        cuts: [
            ["discovery", "/api", /discover the core API \(GET \/api\)/],
            ["get", RESTORE_PATH, /get restores\.velero\.io velero\/shop-1/],
        ],
    },
    {
        command: "inventory",
        exit: 1,
        args: ({ kubeconfig }) => ["inventory", "--restore-name", "shop-1", "--namespace", "shop", "--kubeconfig", kubeconfig, ...LIMITS],
        cuts: [
            ["discovery", "/api", /discover the core API \(GET \/api\)/],
            ["get", "/api/v1/namespaces/shop", /namespace/],
            ["list", "/api/v1/namespaces/shop/pods", /list pods in namespace shop/],
        ],
    },
    {
        command: "verify",
        exit: 1,
        args: ({ kubeconfig, backup }) => ["verify", "--restore", "shop-1", "--backup", backup, "--kubeconfig", kubeconfig, "--interval", "0.05", "--format", "json", ...LIMITS],
        cuts: [
            ["discovery", "/api", /GET \/api/],
            ["get", RESTORE_PATH, /restores\.velero\.io velero\/shop-1/],
            ["list", "/apis/apps/v1/namespaces/shop/deployments", /deployments/],
        ],
    },
    {
        command: "preflight (live)",
        exit: 2,
        args: ({ kubeconfig }) => ["preflight", "--kubeconfig", kubeconfig, "--namespace", "shop", "--format", "json", "--no-progress", ...LIMITS],
        cuts: [
            ["discovery", "/api", /GET \/api/],
            ["group discovery", "/apis/apps/v1", /apps\/v1/],
            ["list", "/api/v1/namespaces/shop/pods", /pods/],
        ],
    },
];

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "" } });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", (code) => resolve({ code, out, err }));
    });
}

describe("cluster commands on an answer cut before its Content-Length", function () {
    this.timeout(40_000);
    let tmp: string;
    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cut-answers-"));
        await writeBackup(path.join(tmp, "shop-1.tar.gz"), [
            { groupResource: "namespaces", obj: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } } },
            { groupResource: "deployments.apps", obj: WEB },
        ]);
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("every command, every cut position: exit 1 naming the request, and never exit 0 with nothing printed", async () => {
        const jobs = CASES.flatMap((c) => c.cuts.map(([position, cutPath, named]) => ({ c, position, cutPath, named })));
        const failures: string[] = [];
        const next = async (): Promise<void> => {
            const job = jobs.shift();
            if (!job) return;
            const { c, position, cutPath, named } = job;
            const api = await faultyApi({ "/apis/apps/v1/deployments": [WEB] }, ["shop"]);
            try {
                api.script(BACKUP_PATH, [{ status: 200, body: BACKUP }]);
                api.script(RESTORE_PATH, [{ status: 200, body: RESTORE }]);
                api.script(cutPath, [{ fault: "cut-body", body: { kind: "List", apiVersion: "v1", versions: ["v1"], items: [], pad: PAD } }]);
                const kubeconfig = path.join(tmp, `kubeconfig-${api.url.split(":").pop()}`);
                fs.writeFileSync(kubeconfig, kubeconfigFor(api.url));
                const r = await run(c.args({ kubeconfig, backup: path.join(tmp, "shop-1.tar.gz") }));
                const what = `${c.command}, cut on ${position} (${cutPath}): exit ${r.code}, stderr ${JSON.stringify(r.err.slice(-400))}`;
                // The invariant first: a command that printed nothing never passes.
                if (r.code === 0 && r.out.trim() === "") failures.push(`${what}: exit 0 with nothing printed`);
                else if (r.code !== c.exit) failures.push(`${what}: expected exit ${c.exit} (out of time)`);
                else if (!/closed in the middle of the answer/.test(r.err) || !named.test(r.err)) failures.push(`${what}: the message does not name the cut request`);
                if (!api.requests.includes(cutPath)) failures.push(`${what}: ${cutPath} was never asked`);
            } finally {
                await api.close();
            }
            return next();
        };
        await Promise.all(Array.from({ length: PARALLEL }, next));
        assert.deepEqual(failures, []);
    });
});
