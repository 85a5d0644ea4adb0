/**
 * The two-pass migration's stages through the program under mocks: what cutover and rollback
 * declare, in which order each step waits for the one before, the Backup's hooks against
 * Velero's CRD, and the config's refusals of a cut-over that cannot be right.
 */
import { strict as assert } from "node:assert";
import { declareMigration } from "../../program";
import { ConfigError } from "../../config";
import { record } from "../../rules/objects";
import type { PlanResource } from "../../plan/model";
import { assertValidCustomResource } from "../support/crds";
import { declare, devConfig, type Declared } from "../components/harness";
import { closure } from "./support";

const BACKUP = "kubernetes:velero.io/v1:Backup";
const RESTORE = "kubernetes:velero.io/v1:Restore";
const COMMAND = "command:local:Command";
const RUN = "migration-run-";
const CUTOVER = ["tke2eks:stage=cutover", "tke2eks:run=shop-2", "tke2eks:cutover.firstRun=shop-1"];

function stage(overrides: string[]): Promise<Declared> {
    return declare(() => declareMigration(devConfig(overrides), { offline: true }), { stack: "dev" });
}

function command(d: Declared, name: string): PlanResource {
    return d.one(COMMAND, RUN + name);
}

function configProblems(overrides: string[]): string {
    try {
        devConfig(overrides);
    } catch (err) {
        if (err instanceof ConfigError) return err.message;
        throw err;
    }
    return assert.fail("config loaded, expected a ConfigError");
}

describe("stages: the cut-over and the rollback", () => {
    it("cutover: first pass checked on B, A scaled down, then Backup, Restore with update, B scaled up, verify, each after the one before", async () => {
        const d = await stage(CUTOVER);
        const first = command(d, "first-pass-restored");
        const down = command(d, "source-scaled-down");
        const backup = d.one(BACKUP);
        const restore = d.one(RESTORE);
        const up = command(d, "target-scaled-up");
        const verify = command(d, "verify");
        assert.equal(first.inputs.create, "node bin/tke2eks await restore shop-1 --namespace velero --timeout 30");
        assert.equal(first.inputs.environment && record(first.inputs.environment).TKE2EKS_CONTEXT, "eks-b");
        assert.equal(down.inputs.create, "node bin/tke2eks cutover scale-down --namespace shop --namespace minio --timeout 600");
        assert.equal(record(down.inputs.environment).TKE2EKS_CONTEXT, "tke-a");
        assert.equal(up.inputs.create, "node bin/tke2eks cutover scale-back --namespace minio --namespace shop --timeout 600");
        assert.equal(record(up.inputs.environment).TKE2EKS_CONTEXT, "eks-b");
        assert.ok(closure(d, down).has(first.urn), "A is scaled down only after the first pass is known to be restored");
        assert.ok(closure(d, backup).has(down.urn), "the final Backup waits for A to be quiet");
        assert.ok(closure(d, up).has(command(d, "restore-completed").urn));
        assert.ok(closure(d, verify).has(up.urn), "verify waits for B's workloads to get their counts");
        assert.equal(record(backup.inputs.metadata).name, "shop-2");
        assert.equal(record(restore.inputs.spec).existingResourcePolicy, "update");
        assert.equal(record(restore.inputs.spec).backupName, "shop-2");
        assertValidCustomResource(restore.inputs, "Restore");
    });

    it("rollback: only the scale-back on A, no Backup or Restore", async () => {
        const d = await stage(["tke2eks:stage=rollback"]);
        assert.deepEqual(d.ofType(BACKUP), []);
        assert.deepEqual(d.ofType(RESTORE), []);
        assert.deepEqual(
            d.ofType(COMMAND).map((c) => c.inputs.create),
            ["node bin/tke2eks cutover scale-back --namespace shop --namespace minio --timeout 600"],
        );
    });

    it("backup hooks per namespace become the Backup's exec hooks, CRD-valid", async () => {
        const hooks = { shop: { labelSelector: { matchLabels: { app: "db" } }, pre: [{ container: "db", command: ["sh", "-c", "sync"], onError: "Continue", timeout: "1m" }], post: [{ command: ["true"] }] }, minio: {} };
        const d = await stage(["tke2eks:stage=backup", `tke2eks:backup=${JSON.stringify({ includedNamespaces: ["shop", "minio"], hooks })}`]);
        const backup = d.one(BACKUP).inputs;
        assertValidCustomResource(backup, "Backup");
        assert.deepEqual(record(backup.spec).hooks, {
            resources: [
                {
                    name: "tke2eks-shop",
                    includedNamespaces: ["shop"],
                    includedResources: ["pods"],
                    labelSelector: { matchLabels: { app: "db" } },
                    pre: [{ exec: { container: "db", command: ["sh", "-c", "sync"], onError: "Continue", timeout: "1m" } }],
                    post: [{ exec: { command: ["true"], onError: "Fail", timeout: "30s" } }],
                },
            ],
        });
        assert.equal(record((await stage(["tke2eks:stage=backup"])).one(BACKUP).inputs.spec).hooks, undefined);
    });

    it("refused with a clear message: no first run, the same run name, every namespace, a bad hook", () => {
        assert.match(configProblems(["tke2eks:stage=cutover", "tke2eks:run=shop-2"]), /tke2eks:cutover\.firstRun: required in stage cutover: the run name of the first pass/);
        assert.match(configProblems(["tke2eks:stage=cutover", "tke2eks:run=shop-1", "tke2eks:cutover.firstRun=shop-1"]), /tke2eks:cutover\.firstRun = "shop-1": must differ from tke2eks:run in stage cutover/);
        assert.match(configProblems(["tke2eks:stage=rollback", 'tke2eks:backup={"includedNamespaces":["*"]}']), /tke2eks:backup\.includedNamespaces = \["\*"\]: must name the migrated namespaces in stage rollback/);
        assert.match(configProblems([...CUTOVER, "tke2eks:cutover.timeout=5"]), /tke2eks:cutover\.timeout.*5.*must be a whole number from 10 to 86400/);
        assert.match(configProblems(['tke2eks:backup={"includedNamespaces":["shop"],"hooks":{"shop":{"pre":[{"command":[]}]}}}']), /tke2eks:backup\.hooks\.shop\.pre\[0\]\.command.*must hold the command/);
        assert.match(configProblems(['tke2eks:backup={"includedNamespaces":["shop"],"hooks":{"shop":{"pre":[{"command":["x"],"onError":"Ignore"}]}}}']), /onError.*must be Fail .* or Continue/);
    });
});
