/**
 * The Velero rules' fixtures are real objects: custom resources validate against the
 * upstream CRDs, Helm releases of chart 12 use only the chart's own keys, and the good ones
 * pass the chart's values.schema.json. Good fixtures are complete, valid setups, so they
 * pass every Velero rule, not only their own.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { AggregateScan, checkObject, engineOptions, type KubeObject, type RuleId } from "../../rules";
import { refOf } from "../../rules/objects";
import { chartMajorOf } from "../../rules/veleroVersions";
import { isVeleroRelease } from "../../rules/veleroInstall";
import { chartValuesErrors, unknownValueKeys } from "../support/chartValues";
import { customResourceErrors, hasCrd } from "../support/crds";
import { readYamlDocs, ruleFixtureDir } from "../support/reference";

const ROOT = path.join(__dirname, "..", "..", "rules");
const VELERO_RULES: RuleId[] = ["velero-no-node-agent", "velero-snapshot-class", "velero-cos-storage", "velero-versions"];

const files = VELERO_RULES.flatMap((rule) =>
    fs
        .readdirSync(ruleFixtureDir(rule))
        .filter((f) => /^(good|bad)-.+\.ya?ml$/.test(f))
        .map((f) => ({ rule, file: path.join(ruleFixtureDir(rule), f), good: f.startsWith("good-") })),
);

function docsOf(file: string): KubeObject[] {
    return readYamlDocs(file).filter((d): d is KubeObject => typeof d === "object" && d !== null);
}

describe("Velero rule fixtures are valid objects", () => {
    it("finds fixtures with custom resources and chart 12 releases", () => {
        const docs = files.flatMap((f) => docsOf(f.file));
        assert.ok(docs.filter((d) => hasCrd(d)).length >= 10);
        assert.ok(docs.filter((d) => isVeleroRelease(d) && chartMajorOf(String(d.version ?? "12")) === 12).length >= 10);
    });

    for (const { rule, file, good } of files) {
        const name = path.relative(ROOT, file);
        it(`${name}: custom resources validate against their CRDs`, () => {
            for (const doc of docsOf(file).filter((d) => hasCrd(d))) {
                // Bad fixtures may use a version old clusters still serve (the guide's v1beta1 class).
                assert.deepEqual(customResourceErrors(doc, { allowUnserved: !good }), [], `${name}: ${refOf(doc).kind} ${String(refOf(doc).name)}`);
            }
        });
        it(`${name}: chart 12 values exist in the chart${good ? " and pass its schema" : ""}`, () => {
            for (const doc of docsOf(file).filter(isVeleroRelease)) {
                // A release without a version takes the pinned chart (12.1.0).
                if (chartMajorOf(String(doc.version ?? "12")) !== 12) continue;
                assert.deepEqual(unknownValueKeys(doc.values), [], `${name}: keys not in the chart's values.yaml`);
                if (good) assert.deepEqual(chartValuesErrors(doc.values), [], `${name}: values.schema.json`);
            }
        });
        if (good) {
            it(`${name}: passes every Velero rule (not only ${rule})`, () => {
                const opts = { ...engineOptions(), only: VELERO_RULES };
                const scan = new AggregateScan(opts);
                const found: string[] = [];
                for (const doc of docsOf(file)) {
                    found.push(...checkObject(doc, opts).map((f) => `${f.rule} ${f.path}: ${f.message}`));
                    scan.add(doc, refOf(doc));
                }
                found.push(...scan.finish().map((f) => `${f.rule}: ${f.message}`));
                assert.deepEqual(found, []);
            });
        }
    }
});

describe("the fixture validators can fail", () => {
    it("the CRD validator names unknown fields, wrong types, unserved versions and unknown kinds", () => {
        const bsl = {
            apiVersion: "velero.io/v1",
            kind: "BackupStorageLocation",
            metadata: { name: "default" },
            spec: { provider: "aws", objectStorage: { bucket: "b-1250000000", prefx: "typo" }, accessMode: "ReadOnce" },
        };
        const errors = customResourceErrors(bsl);
        assert.ok(errors.some((e) => e.startsWith("/spec/objectStorage") && e.includes('"prefx"')), errors.join("\n"));
        assert.ok(errors.some((e) => e.startsWith("/spec/accessMode")), errors.join("\n"));
        const v1beta1 = { apiVersion: "snapshot.storage.k8s.io/v1beta1", kind: "VolumeSnapshotClass", metadata: { name: "c" }, driver: "d", deletionPolicy: "Delete" };
        assert.match(customResourceErrors(v1beta1).join(), /no longer served/);
        assert.deepEqual(customResourceErrors(v1beta1, { allowUnserved: true }), []);
        assert.match(customResourceErrors({ apiVersion: "velero.io/v1", kind: "Backup", metadata: {} }).join(), /metadata\/name/);
        assert.match(customResourceErrors({ apiVersion: "velero.io/v2", kind: "Backup", metadata: { name: "b" } }).join(), /no version "v2"/);
        assert.match(customResourceErrors({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" } }).join(), /no reference CRD/);
    });

    it("the chart check names keys the chart lacks and values its schema refuses", () => {
        assert.deepEqual(unknownValueKeys({ deployNodeAgents: true, configuration: { feature: "EnableCSI", backupStorageLocation: [{ bucket: "b", region: "x" }] } }), [
            "deployNodeAgents",
            "configuration.feature",
            "configuration.backupStorageLocation[0].region",
        ]);
        assert.deepEqual(unknownValueKeys({ configuration: { backupStorageLocation: [{ config: { anything: "goes" } }] }, podAnnotations: { a: "b" } }), []);
        assert.deepEqual(chartValuesErrors({}), [], "the chart's own defaults pass its schema");
        assert.ok(chartValuesErrors({ configuration: { backupStorageLocation: { bucket: "b", provider: "aws" } } }).some((e) => e.includes("backupStorageLocation")));
        assert.ok(chartValuesErrors({ deployNodeAgent: "yes" }).some((e) => e.includes("deployNodeAgent")));
    });
});
