import { strict as assert } from "node:assert";
import * as path from "node:path";
import type { KubeObject } from "..";
import { assertValidCustomResource } from "../../test/support/crds";
import { readYamlDocs } from "../../test/support/reference";
import { aggregate, applyFixes, check } from "../../test/support/rules";

const RULE = "velero-snapshot-class";
const LABEL = "velero.io/csi-volumesnapshot-class";
const LABEL_PATH = "/metadata/labels/velero.io~1csi-volumesnapshot-class";
const FIXTURES = path.join(__dirname, "fixtures");

function fixture(name: string): KubeObject[] {
    return readYamlDocs(path.join(FIXTURES, name)) as KubeObject[];
}

function snapshotClass(metadata: unknown, driver = "com.tencent.cloud.csi.cbs", apiVersion = "snapshot.storage.k8s.io/v1"): KubeObject {
    const obj: KubeObject = { apiVersion, kind: "VolumeSnapshotClass", driver, deletionPolicy: "Delete" };
    if (metadata !== undefined) obj.metadata = metadata;
    return obj;
}

function release(configuration?: Record<string, unknown>): KubeObject {
    return { apiVersion: "helm.sh/v3", kind: "Release", chart: "velero", version: "12.1.0", values: configuration ? { configuration } : {} };
}

function deployment(args: string[]): KubeObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "velero", namespace: "velero" },
        spec: { template: { spec: { containers: [{ name: "velero", image: "velero/velero:v1.18.2", args }] } } },
    };
}

describe(RULE, () => {
    describe("CBS VolumeSnapshotClass", () => {
        const cases: { name: string; metadata: unknown; path: string; op: string }[] = [
            { name: "no labels", metadata: { name: "cbs" }, path: "/metadata", op: `set ${LABEL_PATH}` },
            { name: "other labels", metadata: { name: "cbs", labels: { team: "storage" } }, path: "/metadata/labels", op: `set ${LABEL_PATH}` },
            { name: 'label "false"', metadata: { name: "cbs", labels: { [LABEL]: "false" } }, path: LABEL_PATH, op: `set ${LABEL_PATH}` },
            { name: "labels: null", metadata: { name: "cbs", labels: null }, path: "/metadata", op: `set ${LABEL_PATH}` },
            { name: "no metadata", metadata: undefined, path: "", op: `set ${LABEL_PATH}` },
        ];
        for (const apiVersion of ["snapshot.storage.k8s.io/v1", "snapshot.storage.k8s.io/v1beta1"]) {
            for (const c of cases) {
                it(`${apiVersion}, ${c.name}: reported at ${c.path || "the object"}; the autofix adds the label and the class then passes`, () => {
                    const obj = snapshotClass(structuredClone(c.metadata), undefined, apiVersion);
                    const findings = check(RULE, obj);
                    assert.deepEqual(findings.map((f) => [f.path, f.severity]), [[c.path, "error"]]);
                    assert.deepEqual(findings[0].autofix?.map((op) => `${op.op} ${op.path}`), [c.op]);
                    assert.match(findings[0].message, new RegExp(LABEL));
                    const fixed = applyFixes(obj, findings);
                    assert.equal((fixed.metadata as { labels: Record<string, string> }).labels[LABEL], "true");
                    assert.deepEqual(check(RULE, fixed), []);
                    if (c.metadata !== undefined && apiVersion.endsWith("/v1")) {
                        assertValidCustomResource(fixed, "the fixed class");
                    }
                });
            }
        }

        it("keeps the class's other labels when fixing", () => {
            const obj = snapshotClass({ name: "cbs", labels: { team: "storage" } });
            const fixed = applyFixes(obj, check(RULE, obj));
            assert.deepEqual((fixed.metadata as Record<string, unknown>).labels, { team: "storage", [LABEL]: "true" });
        });

        it("leaves labelled CBS classes and other drivers alone", () => {
            assert.deepEqual(check(RULE, snapshotClass({ name: "cbs", labels: { [LABEL]: "true" } })), []);
            assert.deepEqual(check(RULE, snapshotClass({ name: "cfs" }, "com.tencent.cloud.csi.cfs")), []);
            assert.deepEqual(check(RULE, { ...snapshotClass({ name: "x" }), apiVersion: "example.com/v1" }), []);
        });
    });

    describe("Velero without EnableCSI", () => {
        it("reports a release at its features, or where they would go, saying how to switch the rule off", () => {
            const [obj] = fixture("bad-release-no-enablecsi.yaml");
            const [f] = check(RULE, obj);
            assert.equal(f.path, "/values/configuration/features");
            assert.equal(f.severity, "error");
            assert.match(f.message, /EnableAPIGroupVersions/);
            assert.match(f.fix, /no PVC data/);
            assert.match(f.fix, /enforcementLevel disabled/);
            assert.equal(f.autofix, undefined);
            assert.deepEqual(check(RULE, release()).map((x) => x.path), ["/values"]);
            assert.deepEqual(check(RULE, release({ uploaderType: "kopia" })).map((x) => x.path), ["/values/configuration"]);
        });

        it("accepts EnableCSI from configuration.features or extraArgs, among others, case-sensitively", () => {
            assert.deepEqual(check(RULE, release({ features: "EnableAPIGroupVersions, EnableCSI" })), []);
            assert.deepEqual(check(RULE, release({ extraArgs: ["--features=EnableCSI"] })), []);
            assert.equal(check(RULE, release({ features: "enablecsi" })).length, 1);
            assert.equal(check(RULE, release({ features: ["EnableCSI"] })).length, 1, "a list renders as --features=[EnableCSI], which Velero does not read");
        });

        it("reads the server's --features arguments in both forms", () => {
            assert.deepEqual(check(RULE, deployment(["server", "--features=EnableAPIGroupVersions,EnableCSI"])), []);
            assert.deepEqual(check(RULE, deployment(["server", "--features", "EnableCSI"])), []);
            assert.deepEqual(check(RULE, deployment(["server", "--features=EnableAPIGroupVersions"])).map((f) => f.path), ["/spec/template/spec/containers/0/args/1"]);
            assert.deepEqual(check(RULE, deployment(["server"])).map((f) => f.path), ["/spec/template/spec/containers/0/args"]);
        });
    });

    describe("each finding as one line", () => {
        const lines = (obj: KubeObject) => check(RULE, obj).map((f) => [f.path, f.message, f.fix]);
        const flag = "Velero takes and restores CSI snapshots only with the EnableCSI feature flag, still required since the CSI plugin was built in (1.14)";
        const off = "if the migration moves no PVC data, switch this rule off instead: enforcementLevel disabled for velero-snapshot-class in the policy pack config, or a waiver in preflight";

        it("names the install's shape, its features and where they are (/ for the object itself)", () => {
            assert.deepEqual(lines(release()), [["/values", `Velero release features (none) at /values lack EnableCSI: ${flag}`, `add EnableCSI to configuration.features (e.g. EnableCSI,EnableAPIGroupVersions); ${off}`]]);
            assert.deepEqual(lines({ apiVersion: "helm.sh/v3", kind: "Release", chart: "velero", version: "12.1.0" }), [["", `Velero release features (none) at / lack EnableCSI: ${flag}`, `add EnableCSI to configuration.features (e.g. EnableCSI,EnableAPIGroupVersions); ${off}`]]);
            assert.deepEqual(lines(deployment(["server", "--features=A"])), [
                ["/spec/template/spec/containers/0/args/1", `Velero Deployment features (A) at /spec/template/spec/containers/0/args/1 lack EnableCSI: ${flag}`, `add EnableCSI to the server's --features= argument (e.g. EnableCSI,EnableAPIGroupVersions); ${off}`],
            ]);
        });

        it("names the class, or the place of its missing metadata", () => {
            const why =
                'Velero picks the VolumeSnapshotClass for a CSI driver by the label velero.io/csi-volumesnapshot-class: "true" (https://velero.io/docs/v1.18/csi/); ' +
                "without it Velero falls back to the class annotated as the default, else the driver's only class, and fails the PVC's snapshot when there are several " +
                '(docs/velero.md, "CSI snapshots")';
            const fix = 'add the label velero.io/csi-volumesnapshot-class: "true" (one class per driver)';
            assert.deepEqual(lines(snapshotClass({ name: "cbs" })), [["/metadata", `VolumeSnapshotClass cbs for com.tencent.cloud.csi.cbs lacks the label velero.io/csi-volumesnapshot-class: "true" (at /metadata): ${why}`, fix]]);
            assert.deepEqual(lines(snapshotClass(undefined)), [["", `VolumeSnapshotClass for com.tencent.cloud.csi.cbs lacks the label velero.io/csi-volumesnapshot-class: "true" (at /): ${why}`, fix]]);
            // Other kinds of the snapshot group are no classes.
            assert.deepEqual(lines({ ...snapshotClass({ name: "c" }), kind: "VolumeSnapshotContent" }), []);
        });

        it("names the clusters and the classes that share the label, only CBS ones", () => {
            const labelled = (name: string, driver?: string) => snapshotClass({ name, labels: { [LABEL]: "true" } }, driver);
            const findings = aggregate(RULE, [labelled("a"), labelled("b"), labelled("c"), labelled("d"), labelled("ebs", "ebs.csi.aws.com")], {}, (i) => (i < 2 ? undefined : "urn:b"));
            assert.deepEqual(
                findings.map((f) => [f.object?.source, f.path, f.message, f.fix]),
                [
                    ["#1", LABEL_PATH, `2 VolumeSnapshotClasses for com.tencent.cloud.csi.cbs carry ${LABEL}: VolumeSnapshotClass a, VolumeSnapshotClass b; Velero takes whichever it lists first`, "keep the label on one class per driver"],
                    ["#3", LABEL_PATH, `2 VolumeSnapshotClasses for com.tencent.cloud.csi.cbs in cluster urn:b carry ${LABEL}: VolumeSnapshotClass c, VolumeSnapshotClass d; Velero takes whichever it lists first`, "keep the label on one class per driver"],
                ],
            );
        });
    });

    describe("across a set", () => {
        const labelled = snapshotClass({ name: "cbs", labels: { [LABEL]: "true" } });
        const noCsi = deployment(["server"]);

        it("does not repeat at set level what the Velero install itself reports", () => {
            assert.equal(check(RULE, noCsi).length, 1);
            assert.deepEqual(aggregate(RULE, [labelled, noCsi]), []);
        });

        it("counts labelled classes per cluster", () => {
            const second = snapshotClass({ name: "cbs-retain", labels: { [LABEL]: "true" } });
            assert.deepEqual(aggregate(RULE, [labelled, second], {}, (i) => (i === 0 ? "target" : "source")), []);
        });

        it("warns when more than one CBS class carries the label", () => {
            const second = snapshotClass({ name: "cbs-retain", labels: { [LABEL]: "true" } });
            const findings = aggregate(RULE, [labelled, second]);
            assert.deepEqual(findings.map((f) => [f.severity, f.object?.name, f.path]), [["warning", "cbs-retain", LABEL_PATH]]);
        });
    });
});
