/** Autofixes applied to engine inputs: only the patched paths copied, unknown and secret values kept. */
import { strict as assert } from "node:assert";
import { Secret } from "@pulumi/policy";
import { describeChanges, propertyChanges } from "../../policy/propertyChanges";
import { applyAutofix } from "../../policy/remediation";
import { unknownCheckingProxy } from "../../policy/sdkProxy";
import { UNKNOWN } from "./harness";

describe("applyAutofix", () => {
    it("patches through the unknown-checking proxy without reading the unknown values", async () => {
        const raw = { metadata: { name: "cbs", uid: UNKNOWN }, parameters: UNKNOWN, driver: "com.tencent.cloud.csi.cbs" };
        const out = await applyAutofix(unknownCheckingProxy(raw), [{ op: "set", path: "/metadata/labels/velero.io~1csi-volumesnapshot-class", value: "true" }]);
        assert.deepEqual(out, { metadata: { name: "cbs", uid: UNKNOWN, labels: { "velero.io/csi-volumesnapshot-class": "true" } }, parameters: UNKNOWN, driver: "com.tencent.cloud.csi.cbs" });
        assert.deepEqual(raw.metadata, { name: "cbs", uid: UNKNOWN }, "the input is not changed");
    });

    it("copies only the containers on the patched path; set creates maps, unset of what is absent does nothing", async () => {
        const raw = { spec: { ports: [{ port: 80, nodePort: 30080 }] }, metadata: { labels: { a: "b" } } };
        const fixed = await applyAutofix(raw, [
            { op: "set", path: "/spec/type", value: "ClusterIP" },
            { op: "unset", path: "/spec/ports/0/nodePort" },
            { op: "unset", path: "/spec/externalTrafficPolicy" },
            { op: "unset", path: "/spec/template/metadata/annotations/x" },
            { op: "set", path: "/spec/selector/app", value: "web" },
            { op: "set", path: "/metadata/annotations/a", value: "b" },
        ]);
        assert.deepEqual(fixed.spec, { ports: [{ port: 80 }], type: "ClusterIP", selector: { app: "web" } });
        assert.deepEqual(fixed.metadata, { labels: { a: "b" }, annotations: { a: "b" } });
        assert.equal(fixed.metadata.labels, raw.metadata.labels, "untouched subtrees are shared");
        const replaced = await applyAutofix({ metadata: { labels: "x" } }, [{ op: "set", path: "/metadata/labels/a", value: "b" }]);
        assert.deepEqual(replaced, { metadata: { labels: { a: "b" } } }, "a map is made where the path needs one");
        assert.deepEqual(raw.spec, { ports: [{ port: 80, nodePort: 30080 }] });
    });

    it("keeps secrets secret: inside a secret container, and when replacing a secret value", async () => {
        const props = { values: new Secret({ deployNodeAgent: true, credentials: { secretContents: { cloud: "key" } } }), token: new Secret("old") };
        const out = await applyAutofix(props, [
            { op: "set", path: "/values/deployNodeAgent", value: false },
            { op: "set", path: "/token", value: "new" },
        ]);
        assert.ok(out.values instanceof Secret);
        assert.deepEqual((out.values as Secret).value, { deployNodeAgent: false, credentials: { secretContents: { cloud: "key" } } });
        assert.ok(out.token instanceof Secret);
        assert.equal((out.token as Secret).value, "new");
        assert.equal((props.values.value as { deployNodeAgent: boolean }).deployNodeAgent, true);
    });

    it("names the path it cannot follow", async () => {
        await assert.rejects(applyAutofix({ a: [1] }, [{ op: "set", path: "/a/0/x", value: 1 }]), /autofix path \/a\/0\/x: nothing to patch at "0"/);
        await assert.rejects(applyAutofix({ a: [{}] }, [{ op: "unset", path: "/a/3/b" }]), /"3" is not an index of an array of 1/);
        await assert.rejects(applyAutofix({}, [{ op: "set", path: "", value: {} }]), /may not replace the whole resource/);
    });
});

describe("propertyChanges", () => {
    it("lists what was added, removed and replaced, as JSON pointers", () => {
        const changes = propertyChanges({ spec: { type: "NodePort", ports: [{ port: 80, nodePort: 1 }] }, metadata: { name: "a" } }, { spec: { type: "ClusterIP", ports: [{ port: 80 }] }, metadata: { name: "a", labels: { "x/y": "1" } } });
        assert.deepEqual(changes, [
            { op: "replace", path: "/spec/type", value: "ClusterIP" },
            { op: "remove", path: "/spec/ports/0/nodePort" },
            { op: "add", path: "/metadata/labels", value: { "x/y": "1" } },
        ]);
        assert.equal(describeChanges(changes), 'replace /spec/type = "ClusterIP", remove /spec/ports/0/nodePort, add /metadata/labels = {"x/y":"1"}');
        assert.deepEqual(propertyChanges({ a: [1, 2] }, { a: [1] }), [{ op: "replace", path: "/a", value: [1] }]);
    });
});
