/**
 * The rules' declarative fixes: applied to a plain object (what the policy pack's remediation
 * and the tests replay), and resolved into what the modifier builder writes for each Velero.
 */
import { strict as assert } from "node:assert";
import { applyFixEdits, resolveFixes, type ResolvedEdit } from "../../modifiers/fixEdits";
import type { FixEdit, KubeObject } from "../../rules/types";

const deploy = (): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", namespace: "shop", labels: { app: "api" } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: "api", image: "api:1" }] } } },
});

describe("modifiers: applying fix edits", () => {
    it("sets through missing, null or scalar members by making maps, and leaves its input alone", () => {
        const obj = deploy();
        const out = applyFixEdits(obj, [
            { op: "set", path: "/spec/template/metadata/annotations/a~1b", value: "x" },
            { op: "set", path: "/spec/replicas/nested", value: 1 },
            { op: "set", path: "/spec/template/spec/containers/0/image", value: "api:2" },
            { op: "set", path: "/spec/template/spec/containers/0", value: { name: "new" } },
        ]);
        assert.deepEqual(out.spec, { replicas: { nested: 1 }, template: { metadata: { annotations: { "a/b": "x" } }, spec: { containers: [{ name: "new" }] } } });
        assert.deepEqual(obj, deploy());
        // A list the path goes through by a key is "another type" too.
        assert.deepEqual(applyFixEdits(deploy(), [{ op: "set", path: "/spec/template/spec/containers/main/image", value: "x" }]).spec, { replicas: 2, template: { spec: { containers: { main: { image: "x" } } } } });
    });

    it("unsets only what is there: a missing map on the way is nothing to clear", () => {
        const out = applyFixEdits(deploy(), [
            { op: "unset", path: "/spec/template/metadata/labels/x" },
            { op: "unset", path: "/spec/replicas/x" },
            { op: "unset", path: "/metadata/labels/app" },
            { op: "unset", path: "/spec/template/spec/containers/0/image" },
        ]);
        assert.deepEqual(out, { ...deploy(), metadata: { name: "api", namespace: "shop", labels: {} }, spec: { replicas: 2, template: { spec: { containers: [{ name: "api" }] } } } });
    });

    it("refuses, naming the path, what a fix cannot mean", () => {
        const fails = (edit: FixEdit, message: string) => assert.throws(() => applyFixEdits(deploy(), [edit]), (err: Error) => err.message === message, `${edit.op} ${edit.path}`);
        fails({ op: "set", path: "", value: {} }, "a fix may not replace the whole object");
        fails({ op: "set", path: "/spec/template/spec/containers/1/image", value: "x" }, "/spec/template/spec/containers/1/image: no element 1 in the list");
        fails({ op: "set", path: "/spec/template/spec/containers/1", value: {} }, "/spec/template/spec/containers/1: no element 1 in the list");
        // Inside a list (here a list of lists) only an existing element's index addresses it; no "-": a fix never appends.
        const matrix: KubeObject = { spec: { matrix: [[1]] } };
        for (const t of ["1", "01", "a0", "0a", "1a", "-"]) {
            for (const path of [`/spec/matrix/0/${t}`, `/spec/matrix/0/${t}/x`]) {
                assert.throws(() => applyFixEdits(matrix, [{ op: "set", path, value: 1 }]), (err: Error) => err.message === `${path}: no element ${t} in the list`, path);
            }
        }
        fails({ op: "unset", path: "/spec/template/spec/containers/0" }, "/spec/template/spec/containers/0: unset addresses a map member, not a list element");
        const ports: KubeObject = { spec: { ports: [3] } };
        assert.throws(() => applyFixEdits(ports, [{ op: "set", path: "/spec/ports/0/x", value: 1 }]), /^Error: \/spec\/ports\/0\/x: "0" is not a map or list$/);
    });
});

describe("modifiers: resolving fixes against their object", () => {
    const one = (obj: KubeObject, edit: FixEdit): ResolvedEdit => {
        const r = resolveFixes(obj, [[edit]]);
        assert.deepEqual(r.problems, []);
        return r.fixes[0].edits[0];
    };

    it("counts how much of each path exists, crossing lists only at an index", () => {
        assert.deepEqual(one(deploy(), { op: "unset", path: "/metadata/labels/app" }), { op: "unset", tokens: ["metadata", "labels", "app"], elements: [], existing: 3 });
        assert.deepEqual(one(deploy(), { op: "set", path: "/spec/replicas", value: 1 }), { op: "set", tokens: ["spec", "replicas"], value: 1, elements: [], existing: 2 });
        assert.equal(one(deploy(), { op: "set", path: "/spec/replicas/x", value: 1 }).existing, 1, "replicas is no map");
        assert.equal(one(deploy(), { op: "set", path: "/spec/replicas/0", value: 1 }).existing, 1, "nor a list");
        assert.equal(one(deploy(), { op: "set", path: "/spec/template/metadata/labels/a", value: "b" }).existing, 2);
        assert.equal(one(deploy(), { op: "set", path: "/spec/template/spec/containers/0/image", value: "b" }).existing, 6);
    });

    it("names each list element it passes by its merge key when the value is unique", () => {
        const image = one(deploy(), { op: "set", path: "/spec/template/spec/containers/0/image", value: "b" });
        assert.deepEqual(image.elements, [{ at: 4, key: { name: "name", value: "api" } }]);
        const twins = deploy();
        (twins.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers.push({ name: "api" });
        assert.deepEqual(one(twins, { op: "set", path: "/spec/template/spec/containers/1/image", value: "b" }).elements, [{ at: 4 }]);
        const args = one(deploy(), { op: "set", path: "/spec/template/spec/containers/0/args", value: ["x"] });
        assert.deepEqual(args.elements, [{ at: 4, key: { name: "name", value: "api" } }]);
    });

    it("keeps the map a string value lives in when Velero before v1.12.2 would read the string as something else", () => {
        const fixes: FixEdit[][] = [
            [{ op: "set", path: "/spec/template/spec/containers/9/image", value: "x" }],
            [{ op: "set", path: "/metadata/labels/on", value: "true" }],
            [{ op: "set", path: "/metadata/labels/short", value: "t" }],
            [{ op: "set", path: "/metadata/labels/plain", value: "web" }],
            [{ op: "set", path: "/metadata/annotations/deep/er", value: "true" }],
            [{ op: "set", path: "/spec/template/spec/containers/0", value: "true" }],
            [{ op: "set", path: "/spec/replicas", value: true }],
            [{ op: "unset", path: "/metadata/labels/app" }],
            [{ op: "set", path: "/metadata/labels/on", value: "true" }],
            [],
        ];
        const r = resolveFixes(deploy(), fixes);
        // The fix that cannot apply is reported and leaves the others' result alone; the repeated one and the empty one are dropped.
        assert.deepEqual(r.problems, ["/spec/template/spec/containers/9/image: no element 9 in the list"]);
        const labels = { on: "true", short: "t", plain: "web" };
        assert.deepEqual(
            r.fixes.map((f) => f.edits[0].legacyParent),
            [labels, labels, undefined, undefined, undefined, undefined, undefined],
        );
        assert.equal(r.fixes.length, 7);
    });
});
