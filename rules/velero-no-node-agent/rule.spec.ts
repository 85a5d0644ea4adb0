import { strict as assert } from "node:assert";
import * as path from "node:path";
import type { KubeObject } from "..";
import { veleroNoNodeAgent } from ".";
import { escapePointer } from "../objects";
import { chartValuesErrors } from "../../test/support/chartValues";
import { inEveryController } from "../../test/support/controllers";
import { readYamlDocs } from "../../test/support/reference";
import { applyFixes, check, podMetadataPath } from "../../test/support/rules";

const RULE = "velero-no-node-agent";
const FIXTURES = path.join(__dirname, "fixtures");

function fixture(name: string): KubeObject[] {
    return readYamlDocs(path.join(FIXTURES, name)) as KubeObject[];
}

function release(values: Record<string, unknown>, chart = "velero", version = "12.1.0"): KubeObject {
    return { apiVersion: "helm.sh/v3", kind: "Release", name: "velero", namespace: "velero", chart, version, values };
}

function veleroDeployment(args: string[]): KubeObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "velero", namespace: "velero" },
        spec: { template: { spec: { containers: [{ name: "velero", image: "velero/velero:v1.18.2", command: ["/velero"], args }] } } },
    };
}

describe(RULE, () => {
    describe("Helm release", () => {
        it("reports deployNodeAgent as an error at its value, and the autofix gives a release that passes and the chart accepts", () => {
            const [obj] = fixture("bad-release-node-agent.yaml");
            const findings = check(RULE, obj);
            const agent = findings.find((f) => f.path === "/values/deployNodeAgent");
            assert.ok(agent, findings.map((f) => f.path).join());
            assert.equal(agent.severity, "error");
            assert.match(agent.message, /node-agent DaemonSet/);
            assert.match(agent.message, /DaemonSet/);
            assert.deepEqual(agent.autofix, [{ op: "set", path: "/values/deployNodeAgent", value: false }]);

            const fixed = applyFixes(obj, [agent]);
            assert.equal((fixed.values as Record<string, unknown>).deployNodeAgent, false);
            assert.deepEqual(check(RULE, fixed).map((f) => f.path), ["/values/configuration/defaultVolumesToFsBackup"], "only the unfixable finding is left");
            assert.deepEqual(chartValuesErrors(fixed.values), []);
        });

        it("recognises the chart by name, repo-qualified or OCI, and ignores other charts", () => {
            for (const chart of ["velero", "vmware-tanzu/velero", "oci://registry.example.com/charts/velero"]) {
                assert.deepEqual(check(RULE, release({ deployNodeAgent: true }, chart)).map((f) => f.path), ["/values/deployNodeAgent"], chart);
            }
            for (const chart of ["velero-ui", "bitnami/nginx", "my-velero"]) {
                assert.deepEqual(check(RULE, release({ deployNodeAgent: true }, chart)), [], chart);
            }
            assert.deepEqual(check(RULE, release({ deployNodeAgent: false })), []);
        });

        it("reports chart 2.x's deployRestic and defaultVolumesToRestic; only the former has an autofix", () => {
            const [obj] = fixture("bad-release-restic-chart2.yaml");
            const findings = check(RULE, obj);
            assert.deepEqual(findings.map((f) => f.path), ["/values/deployRestic", "/values/configuration/defaultVolumesToRestic"]);
            assert.match(findings[0].message, /restic DaemonSet/);
            assert.deepEqual(findings[0].autofix, [{ op: "set", path: "/values/deployRestic", value: false }]);
            assert.equal(findings[1].autofix, undefined, "turning file-system backup off silently drops volume data: no autofix");
        });

        it("reports server defaults and schedules that use file-system backup or the data mover", () => {
            const findings = check(
                RULE,
                release({
                    configuration: {
                        defaultVolumesToFsBackup: true,
                        defaultSnapshotMoveData: "true",
                        extraArgs: ["--log-level=debug", "--default-volumes-to-restic=true"],
                    },
                    schedules: {
                        nightly: { schedule: "0 3 * * *", template: { snapshotMoveData: true } },
                        weekly: { schedule: "0 4 * * 0", template: { defaultVolumesToFsBackup: true } },
                        off: { disabled: true, schedule: "0 5 * * *", template: { defaultVolumesToFsBackup: true } },
                    },
                }),
            );
            assert.deepEqual(findings.map((f) => f.path).sort(), [
                "/values/configuration/defaultSnapshotMoveData",
                "/values/configuration/defaultVolumesToFsBackup",
                "/values/configuration/extraArgs/1",
                "/values/schedules/nightly/template/snapshotMoveData",
                "/values/schedules/weekly/template/defaultVolumesToFsBackup",
            ]);
            assert.ok(findings.every((f) => f.severity === "error" && f.autofix === undefined));
            assert.match(findings.find((f) => f.path.endsWith("snapshotMoveData"))!.message, /data mover/);
        });

        it("leaves values that turn nothing on alone", () => {
            const values = { deployNodeAgent: false, configuration: { defaultVolumesToFsBackup: false, defaultSnapshotMoveData: false, extraArgs: ["--default-snapshot-move-data=false"] } };
            assert.deepEqual(check(RULE, release(values)), []);
        });
    });

    describe("live objects", () => {
        it("reports the node-agent and the old restic DaemonSet at their name", () => {
            for (const file of ["bad-node-agent-daemonset.yaml", "bad-restic-daemonset.yaml"]) {
                const [obj] = fixture(file);
                const findings = check(RULE, obj);
                assert.deepEqual(findings.map((f) => [f.path, f.severity]), [["/metadata/name", "error"]], file);
                assert.match(findings[0].message, /node agent/);
            }
        });

        it("knows a node agent by the Velero image and its command, not by its name alone", () => {
            const [agent] = fixture("bad-node-agent-daemonset.yaml");
            const renamed = structuredClone(agent);
            (renamed.metadata as Record<string, unknown>).name = "backup-agent";
            assert.equal(check(RULE, renamed).length, 1);
            const exporter = { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "node-agent" }, spec: { template: { spec: { containers: [{ name: "exporter", image: "prom/node-exporter:v1.8.2" }] } } } };
            assert.deepEqual(check(RULE, exporter), []);
        });

        it("reports the velero server's flags that send every backup through the node agent", () => {
            const findings = check(RULE, veleroDeployment(["server", "--default-volumes-to-fs-backup", "--default-snapshot-move-data=true", "--features=EnableCSI"]));
            assert.deepEqual(findings.map((f) => f.path), ["/spec/template/spec/containers/0/args/1", "/spec/template/spec/containers/0/args/2"]);
            assert.deepEqual(check(RULE, veleroDeployment(["server", "--default-snapshot-move-data=false"])), []);
        });

        it("reports Backups and Schedule templates by field, and only when true", () => {
            const docs = fixture("bad-backup-fs.yaml");
            assert.deepEqual(
                docs.map((d) => check(RULE, d).map((f) => f.path)),
                [["/spec/defaultVolumesToFsBackup"], ["/spec/defaultVolumesToRestic"], ["/spec/template/snapshotMoveData"]],
            );
            const off = { apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: "b" }, spec: { defaultVolumesToFsBackup: false, snapshotMoveData: false } };
            assert.deepEqual(check(RULE, off), []);
            const foreign = { apiVersion: "backup.example.com/v1", kind: "Backup", metadata: { name: "b" }, spec: { defaultVolumesToFsBackup: true } };
            assert.deepEqual(check(RULE, foreign), []);
        });

        it("reports Pods opting volumes into file-system backup, in every controller", () => {
            const key = "backup.velero.io/backup-volumes";
            for (const obj of inEveryController({ metadata: { annotations: { [key]: "data,logs" } }, spec: { containers: [{ name: "app", image: "app:1" }] } })) {
                const findings = check(RULE, obj);
                assert.deepEqual(findings.map((f) => f.path), [`${podMetadataPath(obj)}/annotations/${escapePointer(key)}`], `${String(obj.kind)} ${String(obj.apiVersion)}`);
                assert.match(findings[0].message, /data,logs/);
            }
            for (const annotations of [{ [key]: "" }, { "backup.velero.io/backup-volumes-excludes": "tmp" }]) {
                for (const obj of inEveryController({ metadata: { annotations }, spec: { containers: [] } })) assert.deepEqual(check(RULE, obj), []);
            }
        });
    });
    describe("each finding as one line", () => {
        const WHY = veleroNoNodeAgent.why;
        const FIX = veleroNoNodeAgent.fix.replace(/^keep deployNodeAgent false; /, "");
        const lines = (obj: KubeObject) => check(RULE, obj).map((f) => [f.path, f.message, f.fix]);
        const needs = (path: string, what: string, fix: string) => [path, `${what} at ${path} needs Velero's node agent: ${WHY}`, `${fix}; ${FIX}`];

        it("names each release value, schedule and server flag that needs the agent, with its pointer", () => {
            const values = {
                deployRestic: true,
                configuration: { defaultVolumesToFsBackup: true, defaultSnapshotMoveData: "true", extraArgs: ["--default-volumes-to-fs-backup=true"] },
                schedules: { daily: { template: { defaultVolumesToFsBackup: true } }, off: { disabled: true, template: { defaultVolumesToFsBackup: true } } },
            };
            assert.deepEqual(lines({ apiVersion: "helm.sh/v3", kind: "Release", chart: "velero", version: "12.1.0", values }), [
                ["/values/deployRestic", `Velero release value deployRestic at /values/deployRestic deploys the restic DaemonSet: ${WHY}`, `set deployRestic: false; ${FIX}`],
                needs("/values/configuration/defaultVolumesToFsBackup", "Velero release value configuration.defaultVolumesToFsBackup (file-system backup of every volume)", "leave configuration.defaultVolumesToFsBackup unset"),
                needs("/values/configuration/defaultSnapshotMoveData", "Velero release value configuration.defaultSnapshotMoveData (the CSI data mover)", "leave configuration.defaultSnapshotMoveData unset"),
                needs("/values/schedules/daily/template/defaultVolumesToFsBackup", 'Velero release schedule "daily" defaultVolumesToFsBackup: true (file-system backup of every volume)', "set defaultVolumesToFsBackup to false or leave it out"),
                needs("/values/configuration/extraArgs/0", "velero server flag --default-volumes-to-fs-backup=true (file-system backup of every volume)", "remove --default-volumes-to-fs-backup"),
            ]);
        });

        it("names Backups, Schedules and a nameless node agent by kind", () => {
            assert.deepEqual(lines({ apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: "b" }, spec: { snapshotMoveData: true } }), [needs("/spec/snapshotMoveData", "Backup snapshotMoveData: true (the CSI data mover)", "set snapshotMoveData to false or leave it out")]);
            assert.deepEqual(lines({ apiVersion: "velero.io/v1", kind: "Schedule", metadata: { name: "s" }, spec: { template: { defaultVolumesToFsBackup: true } } }), [
                needs("/spec/template/defaultVolumesToFsBackup", "Schedule template defaultVolumesToFsBackup: true (file-system backup of every volume)", "set defaultVolumesToFsBackup to false or leave it out"),
            ]);
            // A Restore or a Backup of another group says nothing of backups.
            assert.deepEqual(lines({ apiVersion: "velero.io/v1", kind: "Restore", metadata: { name: "r" }, spec: { defaultVolumesToFsBackup: true, template: { defaultVolumesToFsBackup: true } } }), []);
            assert.deepEqual(lines({ apiVersion: "velero.io/v1", kind: "Backup", metadata: { name: "b" }, spec: { template: { snapshotMoveData: true } } }), []);
            assert.deepEqual(lines({ apiVersion: "apps/v1", kind: "DaemonSet", spec: { template: { spec: { containers: [{ name: "node-agent", args: ["node-agent", "server"] }] } } } }), [
                ["/kind", `DaemonSet is Velero's node agent: ${WHY}`, `do not restore or install it (deployNodeAgent: false, velero install without --use-node-agent); ${FIX}`],
            ]);
        });
    });
});
