/**
 * The Velero rules read objects of any shape (a half-written release, a truncated backup
 * item) and must never throw: every finding points at a real place and every autofix applies.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { KubeObject, RuleId } from "../../rules";
import { resolvePointer } from "../../rules/objects";
import { aggregate, applyFixes, check } from "../support/rules";

const RULES: RuleId[] = ["velero-no-node-agent", "velero-snapshot-class", "velero-cos-storage", "velero-versions"];

const any = fc.jsonValue({ maxDepth: 4 });
/** Values near the ones the rules look for, so the arbitrary objects reach deep branches. */
const word = fc.constantFrom("velero", "server", "node-agent", "--features=EnableCSI", "--default-volumes-to-fs-backup", "aws", "true", "", "v1.18.1", "v1.14.2", "velero/velero-plugin-for-csi:v0.7.1", "https://cos.ap-guangzhou.myqcloud.com", "ap-guangzhou");
const loose = fc.oneof(any, word, fc.array(fc.oneof(word, any), { maxLength: 4 }), fc.dictionary(word, fc.oneof(word, any), { maxKeys: 4 }));

const objects: fc.Arbitrary<KubeObject> = fc.oneof(
    fc.record({ apiVersion: fc.constant("helm.sh/v3"), kind: fc.constant("Release"), chart: fc.constantFrom("velero", "x/velero"), version: fc.oneof(word, fc.constantFrom("12.1.0", "11.4.0", "5.0.0")), values: fc.record({ image: fc.record({ tag: loose }), deployNodeAgent: loose, initContainers: loose, configuration: fc.record({ features: loose, backupStorageLocation: loose, extraArgs: loose, defaultVolumesToFsBackup: loose }), schedules: loose, upgradeCRDs: loose }, { requiredKeys: [] }) }, { requiredKeys: ["apiVersion", "kind", "chart"] }),
    fc.record({ apiVersion: fc.constant("apps/v1"), kind: fc.constantFrom("Deployment", "DaemonSet"), metadata: loose, spec: fc.record({ template: fc.record({ metadata: loose, spec: fc.record({ containers: fc.array(fc.record({ name: loose, image: fc.oneof(word, any), command: loose, args: loose }, { requiredKeys: [] }), { maxLength: 2 }), initContainers: loose }, { requiredKeys: [] }) }, { requiredKeys: [] }) }, { requiredKeys: [] }) }, { requiredKeys: ["apiVersion", "kind"] }),
    fc.record({ apiVersion: fc.constantFrom("velero.io/v1"), kind: fc.constantFrom("BackupStorageLocation", "Backup", "Schedule"), metadata: loose, spec: fc.oneof(loose, fc.record({ provider: loose, objectStorage: loose, config: loose, template: loose, defaultVolumesToFsBackup: loose }, { requiredKeys: [] })) }, { requiredKeys: ["apiVersion", "kind"] }),
    fc.record({ apiVersion: fc.constantFrom("snapshot.storage.k8s.io/v1", "snapshot.storage.k8s.io/v1beta1"), kind: fc.constant("VolumeSnapshotClass"), metadata: fc.oneof(loose, fc.record({ name: loose, labels: loose }, { requiredKeys: [] })), driver: fc.oneof(fc.constant("com.tencent.cloud.csi.cbs"), loose) }, { requiredKeys: ["apiVersion", "kind"] }),
);

describe("the Velero rules on arbitrary input", () => {
    for (const rule of RULES) {
        it(`${rule} never throws, points at real places and its autofixes apply`, () => {
            fc.assert(
                fc.property(objects, (obj) => {
                    const findings = check(rule, obj);
                    for (const f of findings) {
                        assert.notEqual(resolvePointer(obj, f.path), undefined, `${f.path} does not resolve`);
                        assert.ok(f.message.length > 0 && f.fix.length > 0);
                    }
                    if (findings.some((f) => f.autofix)) assert.deepEqual(check(rule, applyFixes(obj, findings)).filter((f) => f.autofix), []);
                }),
                { numRuns: 300 },
            );
        });
        it(`${rule}'s set-level check never throws`, () => {
            fc.assert(
                fc.property(fc.array(objects, { maxLength: 5 }), fc.array(fc.constantFrom("a", "b"), { minLength: 5, maxLength: 5 }), (objs, clusters) => {
                    for (const f of aggregate(rule, objs, {}, (i) => clusters[i])) assert.ok(f.message.length > 0);
                }),
                { numRuns: 100 },
            );
        });
    }
});
