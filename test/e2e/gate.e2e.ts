/**
 * `tke2eks await backup` against the real clusters and a real Velero: the wait on A for a
 * Backup to complete, and B's sync gate (`--location`), which passes once Velero on B has
 * synced the Backup from the bucket and fails at once when the location can never bring it
 * (missing, or Unavailable: Velero's backup sync skips an unavailable location,
 * pkg/controller/backup_sync_controller.go:94-96 at v1.18.2).
 */
import { strict as assert } from "node:assert";
import { must, Sandbox, startSandbox, stopSandbox, tke2eks, type Ran } from "./support";

const BACKUP = "gate-1";

interface Status {
    phase: string;
    waitedSeconds?: number;
}

describe("e2e: await backup and B's sync gate against real Velero", function () {
    // Velero on B syncs the bucket every minute (its default --backup-sync-period).
    this.timeout(10 * 60_000);
    let sandbox: Sandbox;
    const timings: string[] = [];

    /** `tke2eks await backup NAME` on a cluster, timed. */
    async function awaitBackup(what: string, cluster: "a" | "b", name: string, args: string[]): Promise<Ran> {
        const started = Date.now();
        const ran = await tke2eks(["await", "backup", name, "--kubeconfig", sandbox.kubeconfig(cluster), "--interval", "1", ...args]);
        timings.push(`${what}: exit ${ran.code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return ran;
    }

    before("sandbox up", async () => {
        sandbox = await startSandbox();
    });

    after("sandbox down", async () => {
        await stopSandbox(sandbox);
        for (const line of timings) process.stderr.write(`      ${line}\n`);
    });

    it("waits on A until the Backup is Completed", async () => {
        must("namespace", await sandbox.kubectl("a", ["create", "namespace", "gate"]));
        must("configmap", await sandbox.kubectl("a", ["create", "configmap", "settings", "-n", "gate", "--from-literal=mode=rehearsal"]));
        const backup = { apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: BACKUP, namespace: "velero" }, spec: { includedNamespaces: ["gate"], storageLocation: "default" } };
        must("backup", await sandbox.kubectl("a", ["create", "-f", "-"], JSON.stringify(backup)));
        const ran = must("await backup on A", await awaitBackup("await on A", "a", BACKUP, ["--timeout", "300"]));
        assert.equal((JSON.parse(ran.stdout) as Status).phase, "Completed");
    });

    it("passes the gate on B once Velero on B has synced the Backup from the bucket", async () => {
        const ran = must("the gate on B", await awaitBackup("gate on B, synced", "b", BACKUP, ["--location", "default", "--timeout", "300"]));
        const status = JSON.parse(ran.stdout) as Status;
        assert.equal(status.phase, "Completed");
        assert.equal(typeof status.waitedSeconds, "number");
    });

    it("keeps waiting for a Backup that does not exist while its location is Available, until its timeout", async () => {
        const ran = await awaitBackup("gate on B, no such backup, location Available", "b", "never-made", ["--location", "default", "--timeout", "5"]);
        assert.equal(ran.code, 1, ran.stderr);
        assert.match(ran.stderr, /timed out after 5s waiting for Backup velero\/never-made \(not found\)/);
        assert.doesNotMatch(ran.stderr, /BackupStorageLocation/);
    });

    // The waits below are given 10 minutes, longer than this test may take: a gate that waited
    // instead of failing at once would fail the test on mocha's timeout, not pass late.
    it("fails at once, naming it, when the location does not exist", async function () {
        this.timeout(120_000);
        const ran = await awaitBackup("gate on B, no such location", "b", "never-made", ["--location", "nowhere", "--timeout", "600"]);
        assert.equal(ran.code, 1, ran.stderr);
        assert.match(ran.stderr, /Backup velero\/never-made cannot sync: BackupStorageLocation velero\/nowhere does not exist/);
    });

    it("fails at once, naming it and Velero's reason, when the location is Unavailable (a bucket that does not exist)", async function () {
        this.timeout(4 * 60_000);
        const bsl = JSON.parse(must("default location", await sandbox.kubectl("b", ["get", "backupstoragelocations.velero.io", "default", "-n", "velero", "-o", "json"])).stdout) as {
            spec: { objectStorage: Record<string, unknown> };
        };
        const broken = {
            apiVersion: "velero.io/v1",
            kind: "BackupStorageLocation",
            metadata: { name: "broken", namespace: "velero" },
            spec: { ...bsl.spec, default: false, objectStorage: { ...bsl.spec.objectStorage, bucket: "no-such-bucket" } },
        };
        must("broken location", await sandbox.kubectl("b", ["create", "-f", "-"], JSON.stringify(broken)));
        // Velero validates a new location at once (its controller, not this test, decides the phase).
        must("Unavailable", await sandbox.kubectl("b", ["wait", "--for=jsonpath={.status.phase}=Unavailable", "backupstoragelocations.velero.io/broken", "-n", "velero", "--timeout=180s"]));
        this.timeout(120_000);
        const ran = await awaitBackup("gate on B, location Unavailable", "b", "never-made", ["--location", "broken", "--timeout", "600"]);
        assert.equal(ran.code, 1, ran.stderr);
        assert.match(ran.stderr, /Backup velero\/never-made cannot sync: BackupStorageLocation velero\/broken is Unavailable, last validated [^:]+:\d\d:\d\dZ: .*NoSuchBucket/s);
    });
});
