import { strict as assert } from "node:assert";
import fc from "fast-check";
import { decodeVeleroPatch, decodeVeleroValue, encodePatchValue, goStringOf } from "../../modifiers/veleroFormat";

describe("modifiers: Velero's patch value rules", () => {
    it("reads a YAML scalar into a Go string as sigs.k8s.io/yaml does", () => {
        assert.equal(goStringOf(8080), "8080");
        assert.equal(goStringOf(true), "true");
        assert.equal(goStringOf(null), "");
        assert.equal(goStringOf(undefined), "");
        assert.equal(goStringOf("x"), "x");
    });

    it("pastes null, booleans, numbers, objects and arrays unquoted, other text quoted", () => {
        const cases: [string | number | boolean | null, unknown][] = [
            ["ClusterIP", "ClusterIP"],
            ["null", null],
            ["true", true],
            ["FALSE", "FALSE"], // pasted raw as FALSE: not JSON, see below
            ["8080", 8080],
            [8080, 8080],
            ["1e3", 1000],
            ['{"a":1}', { a: 1 }],
            ["[1,2]", [1, 2]],
            ["", ""],
            [null, ""],
            ['"true"', "true"],
            ['"8080"', "8080"],
            ['"', ""],
        ];
        for (const [value, expected] of cases) {
            if (value === "FALSE") {
                assert.throws(() => decodeVeleroValue(value), /not valid JSON/);
                continue;
            }
            assert.deepEqual(decodeVeleroValue(value), expected, `value ${JSON.stringify(value)}`);
        }
    });

    it("fails on text Velero would paste as invalid JSON", () => {
        // A quote at one end only is pasted inside quotes as it is (json_patch.go:34-38 at v1.18.2 trims only a pair).
        for (const bad of ["NaN", "Inf", "+1", ".5", "5.", "0x1p3", "{not json", '"a"b"', '"abc', 'abc"']) {
            assert.throws(() => decodeVeleroValue(bad), /not valid JSON/, bad);
        }
    });

    it("pastes whatever Go's strconv.ParseFloat accepts unquoted (json_patch.go:51-54 at v1.18.2), so JSON decides", () => {
        // ParseFloat takes signs, hex floats with an exponent, inf and nan: pasted raw, not JSON.
        for (const raw of ["+1", ".55", "0x1p3", "+0x1p3", "-0x1P-2", "0x1Fp3", "0x.8Ap1", "0x1p10", "0x1.8p1", "0x1F.8p1", "+inf", "-Infinity", "nan"]) {
            assert.throws(() => decodeVeleroValue(raw), new RegExp(`paste "\\${raw[0]}?.*" into its JSON patch as ${raw.replace(/[.+]/g, "\\$&")}, which is not valid JSON`), raw);
        }
        assert.equal(decodeVeleroValue("12.5"), 12.5);
        assert.equal(decodeVeleroValue("-3e2"), -300);
        // Anything else is quoted, however number-like its start or end.
        for (const text of ["a1", "1a", "1e", "0x1", "0x1p3x", "x0x1p3", "xinf", "infx", "1.2.3"]) assert.equal(decodeVeleroValue(text), text, text);
    });

    it("follows v1.12.0-v1.12.1's rules when asked: Go booleans raw, no quoted form", () => {
        assert.equal(decodeVeleroValue("1", "1.12"), 1);
        assert.equal(decodeVeleroValue("null", "1.12"), null);
        assert.equal(decodeVeleroValue("true", "1.12"), true);
        assert.deepEqual(decodeVeleroValue("[1]", "1.12"), [1]);
        assert.deepEqual(decodeVeleroValue('{"a":1}', "1.12"), { a: 1 });
        assert.equal(decodeVeleroValue("ClusterIP", "1.12"), "ClusterIP");
        assert.equal(decodeVeleroValue("", "1.12"), "");
        for (const raw of ["t", "F", "True", "0x1p3", '"true"']) assert.throws(() => decodeVeleroValue(raw, "1.12"), /not valid JSON/, raw);
        // The newer rules read the same text differently.
        assert.equal(decodeVeleroValue("t"), "t");
        assert.equal(decodeVeleroValue('"true"'), "true");
        assert.equal(encodePatchValue("T"), "T");
        assert.throws(() => encodePatchValue("T", "1.12"), /^Error: the value "T" cannot be written so that Velero before v1.12.2 reads it back unchanged$/);
        assert.throws(() => encodePatchValue("x\"y", "1.12"), /^Error: the value "x\\"y" cannot be written so that Velero before v1.12.2 reads it back unchanged$/);
    });

    it("decodes a whole patch entry and refuses paths Velero would garble", () => {
        assert.deepEqual(decodeVeleroPatch({ operation: "remove", path: "/spec/ports/0/nodePort" }), { op: "remove", path: "/spec/ports/0/nodePort" });
        assert.deepEqual(decodeVeleroPatch({ operation: "add", path: "/a", value: '"yes"' }), { op: "add", path: "/a", value: "yes" });
        assert.deepEqual(decodeVeleroPatch({ operation: "copy", from: "/a", path: "/b" }), { op: "copy", from: "/a", path: "/b" });
        assert.deepEqual(decodeVeleroPatch({ operation: "move", from: "/a", path: "/b" }), { op: "move", from: "/a", path: "/b" });
        assert.deepEqual(decodeVeleroPatch({ operation: "test", path: "/a", value: "1" }), { op: "test", path: "/a", value: 1 });
        assert.deepEqual(decodeVeleroPatch({ operation: "replace", path: "/a", value: "t" }), { op: "replace", path: "/a", value: "t" });
        assert.throws(() => decodeVeleroPatch({ operation: "replace", path: "/a", value: "t" }, "1.12"), /^Error: Velero would build the JSON patch \{"op": "replace", "from": "", "path": "\/a", "value": t\}, which is not valid JSON$/);
        assert.throws(() => decodeVeleroPatch({ operation: "copy", from: "/a\\u0062", path: "/b" }), /unescaped/);
        assert.throws(() => decodeVeleroPatch({ operation: "remove", path: '/a"b' }), /not valid JSON/);
        assert.throws(() => decodeVeleroPatch({ operation: "remove", path: "/a\\u0062" }), /unescaped/);
    });

    it("encodes readable values plainly and the rest so that Velero reads them back unchanged", () => {
        assert.equal(encodePatchValue("ClusterIP"), "ClusterIP");
        assert.equal(encodePatchValue("true"), '"true"');
        assert.equal(encodePatchValue("100"), '"100"');
        assert.equal(encodePatchValue(100), 100);
        assert.equal(encodePatchValue(false), false);
        assert.equal(encodePatchValue(null), "null");
        assert.equal(encodePatchValue({ "eks.tke.cloud.tencent.com/retain-ip": "true" }), '{"eks.tke.cloud.tencent.com/retain-ip":"true"}');
        assert.throws(() => encodePatchValue(undefined), /must be JSON/);
    });

    it("round-trips any JSON value through Velero's decoding", () => {
        fc.assert(
            fc.property(fc.jsonValue(), (value) => {
                // Compared as JSON: JSON has no -0, which JSON.stringify writes as 0.
                assert.deepEqual(decodeVeleroValue(encodePatchValue(value)), JSON.parse(JSON.stringify(value)));
            }),
            { numRuns: 500 },
        );
    });
});
