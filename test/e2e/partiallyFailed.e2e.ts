/**
 * Why a Restore was PartiallyFailed, against the real Velero: A backs up a namespace of
 * ConfigMaps; in B the same namespace carries a ResourceQuota that allows no ConfigMap, so B's
 * API server refuses each one Velero creates (the ResourceQuota admission plugin, on by
 * default) and Velero records `error restoring configmaps/<ns>/<name>: ...` per object
 * (pkg/restore/restore.go:1665 at v1.18.2) and ends the Restore PartiallyFailed. `await restore`
 * and `verify` fetch those results through a DownloadRequest and print them per object.
 */
import { strict as assert } from "node:assert";
import { must, Sandbox, startSandbox, Steps, stopSandbox, tke2eks } from "./support";

const RUN = "refused-1";
const NS = "refused";
const REFUSED = ["settings", "flags"];

interface Entry {
    scope: string;
    object?: string;
    message: string;
}
interface Awaited {
    phase: string;
    errors: number;
    results?: { errors: Entry[]; warnings: Entry[] };
    resultsError?: string;
}

const steps = new Steps();
const timed = steps.timed.bind(steps);

describe("e2e: a PartiallyFailed restore, explained object by object", function () {
    this.timeout(20 * 60_000);
    this.bail(true);
    let sandbox: Sandbox;
    const log = (line: string) => process.stderr.write(`      ${line}\n`);
    const on = (cluster: "a" | "b", args: string[]) => tke2eks([...args, "--kubeconfig", sandbox.kubeconfig(cluster)]);

    before(
        "sandbox up",
        timed("sandbox up", async () => {
            sandbox = await startSandbox();
        }),
    );

    after("sandbox down", async () => {
        await stopSandbox(sandbox);
        steps.report(log);
    });

    it(
        "backs up A's namespace and lets B sync the backup",
        timed("backup", async () => {
            const objects = [
                { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
                ...REFUSED.map((name) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: NS }, data: { key: name } })),
            ];
            must("objects in A", await sandbox.kubectl("a", ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: objects })));
            const backup = { apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: RUN, namespace: "velero" }, spec: { includedNamespaces: [NS], storageLocation: "default", snapshotVolumes: false } };
            must("Backup in A", await sandbox.kubectl("a", ["apply", "-f", "-"], JSON.stringify(backup)));
            must("backup completed", await on("a", ["await", "backup", RUN, "--timeout", "300", "--interval", "1"]));
            must("backup synced to B", await on("b", ["await", "backup", RUN, "--timeout", "300", "--interval", "1", "--location", "default"]));
        }),
    );

    it(
        "await restore: B refuses the ConfigMaps; the failure names them, the JSON and the table list every error by object",
        timed("restore", async () => {
            const quota = { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "no-configmaps", namespace: NS }, spec: { hard: { configmaps: "0" } } };
            must("namespace and quota in B", await sandbox.kubectl("b", ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }, quota] })));
            const restore = { apiVersion: "velero.io/v1", kind: "Restore", metadata: { name: RUN, namespace: "velero" }, spec: { backupName: RUN, includedNamespaces: [NS] } };
            must("Restore in B", await sandbox.kubectl("b", ["apply", "-f", "-"], JSON.stringify(restore)));

            const ran = must("await restore", await on("b", ["await", "restore", RUN, "--timeout", "300", "--interval", "1"]), [1]);
            const status = JSON.parse(ran.stdout) as Awaited;
            assert.equal(status.phase, "PartiallyFailed", ran.stderr);
            assert.equal(status.resultsError, undefined);
            const errors = status.results?.errors ?? [];
            for (const name of REFUSED) {
                const e = errors.find((x) => x.object === `configmaps/${NS}/${name}`);
                assert.ok(e, `an error for ConfigMap ${name} in ${JSON.stringify(errors)}`);
                assert.equal(e.scope, NS);
                assert.match(e.message, /exceeded quota: no-configmaps/);
            }
            assert.equal(errors.length, status.errors, "every error Velero counted is listed");
            assert.match(ran.stderr, new RegExp(`tke2eks: Restore velero/${RUN} PartiallyFailed: .*; errors: ${NS} configmaps/${NS}/(settings|flags): error restoring`));

            const table = must("await restore -o table", await on("b", ["await", "restore", RUN, "--timeout", "60", "-o", "table"]), [1]);
            for (const name of REFUSED) assert.match(table.stdout, new RegExp(`^ {4}configmaps/${NS}/${name} {2}error restoring configmaps/${NS}/${name}: .*exceeded quota`, "m"));
            assert.match(table.stdout, new RegExp(`^Errors \\(${status.errors}\\):\\n {2}${NS}\\n`, "m"));
        }),
    );

    it(
        "verify: the report carries the Restore's phase and Velero's errors beside what is missing",
        timed("verify", async () => {
            const ran = must("verify", await on("b", ["verify", "--restore", RUN, "-o", "json", "--timeout", "5"]), [1]);
            const report = JSON.parse(ran.stdout) as { restorePhase?: string; results?: { errors: Entry[] }; namespaces: Record<string, { missing: { name: string }[] }> };
            assert.equal(report.restorePhase, "PartiallyFailed");
            // Subsets: the namespace's kube-root-ca.crt may be refused as well.
            const missing = report.namespaces[NS].missing.map((o) => o.name);
            const objects = (report.results?.errors ?? []).map((e) => e.object);
            for (const name of REFUSED) {
                assert.ok(missing.includes(name), `${name} missing in ${missing.join(", ")}`);
                assert.ok(objects.includes(`configmaps/${NS}/${name}`), `${name} among ${objects.join(", ")}`);
            }
            assert.match(ran.stderr, new RegExp(`tke2eks: Restore velero/${RUN} ended PartiallyFailed; errors: `));
        }),
    );
});
