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
        for (const bad of ["NaN", "Inf", "+1", ".5", "5.", "0x1p3", "{not json", '"a"b"']) {
            assert.throws(() => decodeVeleroValue(bad), /not valid JSON/, bad);
        }
    });

    it("decodes a whole patch entry and refuses paths Velero would garble", () => {
        assert.deepEqual(decodeVeleroPatch({ operation: "remove", path: "/spec/ports/0/nodePort" }), { op: "remove", path: "/spec/ports/0/nodePort" });
        assert.deepEqual(decodeVeleroPatch({ operation: "add", path: "/a", value: '"yes"' }), { op: "add", path: "/a", value: "yes" });
        assert.deepEqual(decodeVeleroPatch({ operation: "copy", from: "/a", path: "/b" }), { op: "copy", from: "/a", path: "/b" });
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
