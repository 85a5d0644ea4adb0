/**
 * Why modifiers/jsonPatch.ts is not fast-json-patch or rfc6902: the cases where Velero's
 * evanphx/json-patch v5.9.11 (Velero v1.18.2 go.mod:22) and a library part ways, run against
 * both libraries and our applier. A library release that starts to agree fails here: then
 * re-check whether it can replace ours.
 */
import { strict as assert } from "node:assert";
import * as fastJsonPatch from "fast-json-patch";
import * as rfc6902 from "rfc6902";
import { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from "../../modifiers/jsonPatch";

interface Doc {
    spec: { replicas: number; ports: number[] };
    metadata: { name: string };
}

const doc = (): Doc => ({ metadata: { name: "web" }, spec: { replicas: 2, ports: [80, 443] } });

/** Ours: "ok" and the result, "test failed" (Velero skips the rule) or "error" (the restore item fails). */
function ours(ops: JsonPatchOperation[]): string {
    try {
        return `ok ${JSON.stringify(applyJsonPatch(doc(), ops))}`;
    } catch (err) {
        assert.ok(err instanceof JsonPatchError, String(err));
        return err.testFailed ? "test failed" : "error";
    }
}

/** fast-json-patch, validating and on a copy (its strictest use): "ok", the error's name, or a crash. */
function fast(ops: JsonPatchOperation[]): string {
    try {
        return `ok ${JSON.stringify(fastJsonPatch.applyPatch(doc(), ops as fastJsonPatch.Operation[], true, false).newDocument)}`;
    } catch (err) {
        return err instanceof fastJsonPatch.JsonPatchError ? err.name : `crash ${(err as Error).name}`;
    }
}

/** rfc6902: the per-operation results (null: applied) and the document as it is left. */
function rfc(ops: JsonPatchOperation[]): string {
    const d = doc();
    const results = rfc6902.applyPatch(d, ops as rfc6902.Operation[]).map((r) => r?.name ?? null);
    return `${JSON.stringify(results)} ${JSON.stringify(d)}`;
}

describe("JSON patch: evanphx/json-patch vs the npm libraries", () => {
    it("a test for null on a missing member passes (v5/patch.go:1110-1113); both libraries fail it", () => {
        const ops: JsonPatchOperation[] = [{ op: "test", path: "/metadata/labels", value: null }];
        assert.equal(ours(ops), `ok ${JSON.stringify(doc())}`);
        assert.equal(fast(ops), "TEST_OPERATION_FAILED");
        assert.equal(rfc(ops), `["TestError"] ${JSON.stringify(doc())}`);
    });

    it("a test under a missing parent is an error, not a failed test (v5/patch.go:1097-1100); rfc6902 calls it a failed test", () => {
        const ops: JsonPatchOperation[] = [{ op: "test", path: "/status/phase", value: "Running" }];
        assert.equal(ours(ops), "error");
        assert.equal(fast(ops), "OPERATION_PATH_UNRESOLVABLE");
        assert.equal(rfc(ops), `["TestError"] ${JSON.stringify(doc())}`);
    });

    it("all or nothing (v5/patch.go:1255-1276); rfc6902 keeps the operations before the failure", () => {
        const ops: JsonPatchOperation[] = [
            { op: "replace", path: "/spec/replicas", value: 1 },
            { op: "remove", path: "/spec/missing" },
        ];
        assert.equal(ours(ops), "error");
        assert.equal(fast(ops), "OPERATION_PATH_UNRESOLVABLE");
        assert.equal(rfc(ops), `[null,"MissingError"] ${JSON.stringify({ ...doc(), spec: { ...doc().spec, replicas: 1 } })}`);
    });

    it("the whole document is replaced only by an object or array, and never removed (v5/patch.go:983-1005, 954-966); fast-json-patch does both", () => {
        assert.equal(ours([{ op: "replace", path: "", value: { kind: "Pod" } }]), 'ok {"kind":"Pod"}');
        assert.equal(ours([{ op: "replace", path: "", value: 5 }]), "error");
        assert.equal(fast([{ op: "replace", path: "", value: 5 }]), "ok 5");
        assert.equal(ours([{ op: "remove", path: "" }]), "error");
        assert.equal(fast([{ op: "remove", path: "" }]), "ok null");
    });

    it("a move into its own child is a patch error (v5/patch.go:1048-1061); fast-json-patch crashes", () => {
        const ops: JsonPatchOperation[] = [{ op: "move", from: "/spec", path: "/spec/inner" }];
        assert.equal(ours(ops), "error");
        assert.equal(fast(ops), "crash TypeError");
    });

    it("where all three agree with evanphx: add at - and at the length, out of bounds, missing paths, test equality", () => {
        const same: [JsonPatchOperation[], string][] = [
            [[{ op: "add", path: "/spec/ports/-", value: 8080 }], "ok"],
            [[{ op: "add", path: "/spec/ports/2", value: 8080 }], "ok"],
            [[{ op: "add", path: "/spec/ports/3", value: 8080 }], "error"],
            [[{ op: "replace", path: "/spec/missing", value: 1 }], "error"],
            [[{ op: "remove", path: "/spec/missing" }], "error"],
            [[{ op: "test", path: "/spec", value: { ports: [80, 443], replicas: 2 } }], "ok"],
            [[{ op: "test", path: "/spec/replicas", value: "2" }], "test failed"],
        ];
        const outcome = (r: string) => (r.startsWith("ok") || r.startsWith("[null]") ? "ok" : r === "test failed" || r === "TEST_OPERATION_FAILED" || r.startsWith('["TestError"]') ? "test failed" : "error");
        for (const [ops, want] of same) {
            assert.deepEqual([ours(ops), fast(ops), rfc(ops)].map(outcome), [want, want, want], JSON.stringify(ops));
        }
    });

    it("not modelled by any of the three: evanphx's negative and zero-padded indices (v5/patch.go:24, 650-657; strconv.Atoi)", () => {
        const ops: JsonPatchOperation[] = [{ op: "replace", path: "/spec/ports/-1", value: 8443 }];
        // evanphx replaces the last element (443 → 8443).
        assert.equal(ours(ops), "error");
        assert.equal(fast(ops), "OPERATION_PATH_UNRESOLVABLE");
        // rfc6902 reports success and changes no element.
        assert.equal(rfc(ops), `[null] ${JSON.stringify(doc())}`);
    });
});
