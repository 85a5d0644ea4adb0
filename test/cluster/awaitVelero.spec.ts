import { strict as assert } from "node:assert";
import { awaitVelero, MigrationStepError } from "../../cluster/awaitVelero";
import type { VeleroStatus } from "../../cluster/veleroStatus";

/** A reader that returns each scripted state once, then the last one forever. */
function script(...states: unknown[]) {
    let i = 0;
    return async () => states[Math.min(i++, states.length - 1)];
}

function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

const backup = (phase: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: "velero.io/v1",
    kind: "Backup",
    metadata: { name: "run-1", namespace: "velero" },
    status: { phase, progress: { totalItems: 40, itemsBackedUp: 40 }, ...extra },
});

describe("awaitVelero", () => {
    it("waits through a missing object and running phases until Completed", async () => {
        const seen: (VeleroStatus | undefined)[] = [];
        const status = await awaitVelero(script(undefined, backup("New"), backup("InProgress"), backup("Completed", { warnings: 2 })), "Backup", "velero", "run-1", {
            timeoutMs: 60_000,
            intervalMs: 1000,
            onPoll: (s) => seen.push(s),
            ...clock(),
        });
        assert.equal(status.phase, "Completed");
        assert.equal(status.warnings, 2);
        assert.equal(status.doneItems, 40);
        assert.deepEqual(seen.map((s) => s?.phase), [undefined, "New", "InProgress", "Completed"]);
    });

    it("fails at once on PartiallyFailed with the counts and how to inspect", async () => {
        const err = await awaitVelero(script(backup("PartiallyFailed", { errors: 3, warnings: 5 })), "Backup", "velero", "run-1", {
            timeoutMs: 60_000,
            intervalMs: 1000,
            ...clock(),
        }).catch((e: unknown) => e);
        assert.ok(err instanceof MigrationStepError);
        assert.match(err.message, /PartiallyFailed: 40\/40 items, 3 errors, 5 warnings/);
        assert.match(err.message, /kubectl -n velero get backups\.velero\.io run-1 -o yaml/);
    });

    it("lets PartiallyFailed pass when allowed", async () => {
        const s = await awaitVelero(script(backup("PartiallyFailed", { errors: 1 })), "Restore", "velero", "run-1", {
            timeoutMs: 1000,
            intervalMs: 100,
            allowPartiallyFailed: true,
            ...clock(),
        });
        assert.equal(s.errors, 1);
    });

    it("reports FailedValidation with Velero's validation errors (it never gets a completion time)", async () => {
        const err = await awaitVelero(
            script(backup("FailedValidation", { validationErrors: ["backup storage location 'default' is in read-only mode"] })),
            "Backup",
            "velero",
            "run-1",
            { timeoutMs: 1000, intervalMs: 100, ...clock() },
        ).catch((e: unknown) => e);
        assert.ok(err instanceof MigrationStepError);
        assert.match(err.message, /FailedValidation: backup storage location 'default' is in read-only mode/);
    });

    it("times out with the last phase seen", async () => {
        const err = await awaitVelero(script(backup("InProgress")), "Backup", "velero", "run-1", {
            timeoutMs: 5000,
            intervalMs: 1000,
            ...clock(),
        }).catch((e: unknown) => e);
        assert.ok(err instanceof MigrationStepError);
        assert.match(err.message, /timed out after 5s .* \(phase InProgress, 40\/40 items\)/);
    });

    it("times out on an object that never appears (backup never synced)", async () => {
        const err = await awaitVelero(script(undefined), "Backup", "velero", "run-1", { timeoutMs: 3000, intervalMs: 1000, ...clock() }).catch(
            (e: unknown) => e,
        );
        assert.ok(err instanceof MigrationStepError);
        assert.match(err.message, /\(not found\)/);
    });
});
