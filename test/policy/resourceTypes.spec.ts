/**
 * The type tokens the policies judge are the ones @pulumi/kubernetes really registers, every
 * old API group included, and the adapter turns their inputs into the objects rules expect.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { podTemplate } from "../../rules/podTemplates";
import { objectsOf, selectType } from "../../policy/resourceTypes";
import { AUTOSCALERS, HELM_RELEASES, POD_CONTROLLERS, SERVICES, SNAPSHOT_CLASSES, veleroKinds, type KindRef } from "../../rules/kinds";
import { unknownCheckingProxy } from "../../policy/sdkProxy";
import { typeTokenOf, UNKNOWN } from "./harness";

const SDK = path.dirname(require.resolve("@pulumi/kubernetes/package.json"));

/** Every `__pulumiType` the SDK's generated classes declare. */
function sdkTokens(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : sdkTokens(full);
        if (!e.name.endsWith(".js")) return [];
        return [...fs.readFileSync(full, "utf8").matchAll(/__pulumiType = '(kubernetes:[^']+)'/g)].map((m) => m[1]);
    });
}

const judgedKinds = (refs: readonly KindRef[]) => new Set(refs.map((r) => r.kind));

describe("resource types", () => {
    const tokens = sdkTokens(SDK);

    for (const [what, refs] of [
        ["Pod-making kinds", POD_CONTROLLERS],
        ["Services", SERVICES],
        ["autoscalers", AUTOSCALERS],
    ] as const) {
        it(`judges every token @pulumi/kubernetes has for ${what}, with its patch and list forms, and nothing it lacks`, () => {
            const kinds = judgedKinds(refs);
            const ours = tokens.filter((t) => {
                const name = t.split(":")[2];
                return [...kinds].some((k) => name === k || name === `${k}Patch` || name === `${k}List`);
            });
            assert.ok(ours.length >= refs.length * 3, `only ${ours.length} tokens found`);
            for (const t of ours) {
                const [, module, name] = t.split(":");
                const sel = selectType(t, refs);
                assert.ok(sel, `${t} is not judged`);
                assert.equal(sel.apiVersion, module.replace(/^core\//, ""), t);
                assert.equal(sel.list, name.endsWith("List"), t);
                assert.ok(name.startsWith(sel.kind), t);
            }
            for (const ref of refs) {
                assert.ok(
                    ours.some((t) => selectType(t, [ref])),
                    `${ref.group || "core"}/${ref.kind} matches no token of the SDK`,
                );
            }
        });
    }

    it("covers every kind of the SDK the rules' Pod-template walker knows, and no other", () => {
        const sdkKinds = new Set(tokens.map((t) => t.split(":")[2]));
        const walked = [...sdkKinds].filter((kind) => podTemplate({ apiVersion: "v1", kind }) !== undefined);
        assert.deepEqual(walked.sort(), [...judgedKinds(POD_CONTROLLERS)].sort());
    });

    it("matches the tokens the SDK gives CustomResources and Helm releases", function () {
        this.timeout(30_000);
        // Under the SDK's mocks, in a child process so no other spec's mocks are disturbed.
        const script = `
            const pulumi = require("@pulumi/pulumi");
            const types = [];
            pulumi.runtime.setMocks({ newResource: (a) => { types.push(a.type); return { id: "id", state: a.inputs }; }, call: (a) => a.inputs }, "p", "s", false);
            const { CustomResource } = require("@pulumi/kubernetes/apiextensions/customResource");
            const { Release } = require("@pulumi/kubernetes/helm/v3/release");
            new CustomResource("b", { apiVersion: "velero.io/v1", kind: "Backup" });
            new CustomResource("l", { apiVersion: "velero.io/v1", kind: "BackupStorageLocation" });
            new CustomResource("c", { apiVersion: "snapshot.storage.k8s.io/v1beta1", kind: "VolumeSnapshotClass" });
            new Release("r", { chart: "velero" });
            setTimeout(() => process.stdout.write(JSON.stringify(types)), 200);`;
        const types = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 25_000 })) as string[];
        assert.deepEqual(types, [
            typeTokenOf({ apiVersion: "velero.io/v1", kind: "Backup" }),
            typeTokenOf({ apiVersion: "velero.io/v1", kind: "BackupStorageLocation" }),
            typeTokenOf({ apiVersion: "snapshot.storage.k8s.io/v1beta1", kind: "VolumeSnapshotClass" }),
            "kubernetes:helm.sh/v3:Release",
        ]);
        assert.deepEqual(selectType(types[0], veleroKinds("Backup")), { apiVersion: "velero.io/v1", kind: "Backup", list: false });
        assert.deepEqual(selectType(types[2], SNAPSHOT_CLASSES), { apiVersion: "snapshot.storage.k8s.io/v1beta1", kind: "VolumeSnapshotClass", list: false });
        assert.deepEqual(selectType(types[3], HELM_RELEASES), { apiVersion: "helm.sh/v3", kind: "Release", list: false });
        assert.equal(selectType("kubernetes:helm.sh/v4:Chart", HELM_RELEASES), undefined);
        assert.equal(selectType("aws:s3/bucket:Bucket", POD_CONTROLLERS), undefined);
    });

    describe("objects from inputs", () => {
        it("takes apiVersion and kind from the token when the inputs omit them", () => {
            const [{ object, prefix }] = objectsOf(selectType("kubernetes:helm.sh/v3:Release", HELM_RELEASES)!, { chart: "velero", values: {} });
            assert.equal(prefix, "");
            assert.deepEqual({ ...object }, { chart: "velero", values: {}, apiVersion: "helm.sh/v3", kind: "Release" });
            const [patch] = objectsOf(selectType("kubernetes:apps/v1:DaemonSetPatch", POD_CONTROLLERS)!, { metadata: { name: "x" } });
            assert.equal(patch.object.kind, "DaemonSet");
            assert.equal(patch.object.apiVersion, "apps/v1");
        });

        it("keeps the inputs' own apiVersion and kind", () => {
            const [{ object }] = objectsOf(selectType("kubernetes:core/v1:Pod", POD_CONTROLLERS)!, { apiVersion: "v1", kind: "Pod" });
            assert.equal(object.apiVersion, "v1");
        });

        it("reads each item of a list, with its pointer", () => {
            const items = [{ metadata: { name: "a" } }, "junk", { metadata: { name: "b" } }];
            const got = objectsOf(selectType("kubernetes:apps/v1:DeploymentList", POD_CONTROLLERS)!, { items });
            assert.deepEqual(
                got.map((o) => [o.prefix, o.object.kind, (o.object.metadata as { name: string }).name]),
                [
                    ["/items/0", "Deployment", "a"],
                    ["/items/2", "Deployment", "b"],
                ],
            );
        });

        it("reads nothing until a rule asks, so unknown inputs elsewhere do not matter", () => {
            const props = unknownCheckingProxy({ metadata: { name: "web" }, spec: UNKNOWN });
            const [{ object }] = objectsOf(selectType("kubernetes:apps/v1:Deployment", POD_CONTROLLERS)!, props);
            assert.equal((object.metadata as { name: string }).name, "web");
            assert.throws(() => object.spec, /value at \.spec can't be known during preview/);
        });
    });
});
