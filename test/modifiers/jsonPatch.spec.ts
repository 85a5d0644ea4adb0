import { strict as assert } from "node:assert";
import { applyJsonPatch, JsonPatchError, parsePointer, type JsonPatchOperation } from "../../modifiers/jsonPatch";
import { pointer } from "../../rules/objects";

const doc = () => ({
    metadata: { name: "web", annotations: { "tke.cloud.tencent.com/networks": "tke-route-eni", "a~b": "x" } },
    spec: { ports: [{ port: 80, nodePort: 30080 }, { port: 443 }] },
});

function fails(ops: JsonPatchOperation[], pattern: RegExp, input: unknown = doc()) {
    assert.throws(() => applyJsonPatch(input, ops), (err: unknown) => err instanceof JsonPatchError && pattern.test(err.message));
}

describe("modifiers: RFC 6902 JSON patch", () => {
    it("parses and formats pointers with ~0 and ~1 escapes", () => {
        assert.deepEqual(parsePointer("/metadata/annotations/tke.cloud.tencent.com~1networks"), ["metadata", "annotations", "tke.cloud.tencent.com/networks"]);
        assert.deepEqual(parsePointer("/a~0b/~01"), ["a~b", "~1"]);
        assert.deepEqual(parsePointer(""), []);
        assert.equal(pointer("a/b", "c~d"), "/a~1b/c~0d");
        assert.throws(() => parsePointer("metadata"), /must be empty or start with/);
        assert.throws(() => parsePointer("/a~2"), /not followed by 0 or 1/);
    });

    it("adds, removes and replaces, leaving the input untouched", () => {
        const input = doc();
        const out = applyJsonPatch(input, [
            { op: "remove", path: "/metadata/annotations/tke.cloud.tencent.com~1networks" },
            { op: "replace", path: "/spec/ports/0/port", value: 8080 },
            { op: "add", path: "/spec/type", value: "ClusterIP" },
            { op: "remove", path: "/metadata/annotations/a~0b" },
        ]);
        assert.deepEqual(out.metadata.annotations, {});
        assert.equal(out.spec.ports[0].port, 8080);
        assert.equal((out.spec as Record<string, unknown>).type, "ClusterIP");
        assert.deepEqual(input, doc(), "the input must not change");
    });

    it("adds into arrays by index and with -, and removes array elements", () => {
        const out = applyJsonPatch(doc(), [
            { op: "add", path: "/spec/ports/1", value: { port: 8443 } },
            { op: "add", path: "/spec/ports/-", value: { port: 9000 } },
            { op: "remove", path: "/spec/ports/0" },
        ]);
        assert.deepEqual(out.spec.ports.map((p) => p.port), [8443, 443, 9000]);
    });

    it("moves, copies and tests", () => {
        const out = applyJsonPatch(doc(), [
            { op: "test", path: "/metadata/name", value: "web" },
            { op: "copy", from: "/metadata/name", path: "/metadata/labels" },
            { op: "move", from: "/spec/ports/1", path: "/spec/first" },
        ]);
        assert.equal((out.metadata as Record<string, unknown>).labels, "web");
        assert.deepEqual((out.spec as Record<string, unknown>).first, { port: 443 });
        assert.equal(out.spec.ports.length, 1);
    });

    it("replaces the whole document with an empty path", () => {
        assert.deepEqual(applyJsonPatch(doc(), [{ op: "add", path: "", value: { a: 1 } }]), { a: 1 });
    });

    it("is strict: a missing path fails, as in Velero's json-patch", () => {
        fails([{ op: "remove", path: "/metadata/labels" }], /does not exist/);
        fails([{ op: "replace", path: "/spec/type", value: "x" }], /does not exist/);
        fails([{ op: "add", path: "/spec/template/metadata/annotations", value: {} }], /no "template"/);
        fails([{ op: "remove", path: "/spec/ports/2" }], /out of bounds/);
        fails([{ op: "add", path: "/spec/ports/3", value: 1 }], /out of bounds/);
        fails([{ op: "remove", path: "/spec/ports/01" }], /not an array index/);
        fails([{ op: "move", from: "/spec", path: "/spec/x" }], /own child/);
        fails([{ op: "remove", path: "" }], /whole document/);
    });

    it("is all-or-nothing and names the failing operation", () => {
        const input = doc();
        assert.throws(
            () => applyJsonPatch(input, [{ op: "remove", path: "/metadata/name" }, { op: "remove", path: "/nope" }]),
            (err: unknown) => err instanceof JsonPatchError && err.index === 1 && /operation 1 \(remove \/nope\)/.test(err.message),
        );
        assert.equal(input.metadata.name, "web");
    });

    it("marks a failed test so callers can skip the rule like Velero", () => {
        assert.throws(
            () => applyJsonPatch(doc(), [{ op: "test", path: "/metadata/name", value: "api" }]),
            (err: unknown) => err instanceof JsonPatchError && err.testFailed,
        );
        // As evanphx/json-patch v5: a missing member is a failed test (or a match for null); a missing parent is an error.
        assert.throws(
            () => applyJsonPatch(doc(), [{ op: "test", path: "/nope", value: 1 }]),
            (err: unknown) => err instanceof JsonPatchError && err.testFailed,
        );
        assert.deepEqual(applyJsonPatch(doc(), [{ op: "test", path: "/nope", value: null }]), doc());
        assert.throws(
            () => applyJsonPatch(doc(), [{ op: "test", path: "/nope/deeper", value: 1 }]),
            (err: unknown) => err instanceof JsonPatchError && !err.testFailed,
        );
    });

    it("copies values so later changes do not alias", () => {
        const value = { a: [1] };
        const out = applyJsonPatch({}, [{ op: "add", path: "/x", value }, { op: "copy", from: "/x", path: "/y" }, { op: "add", path: "/y/a/-", value: 2 }]) as Record<string, { a: number[] }>;
        assert.deepEqual(out.x.a, [1]);
        assert.deepEqual(value.a, [1]);
        assert.deepEqual(out.y.a, [1, 2]);
    });
});
