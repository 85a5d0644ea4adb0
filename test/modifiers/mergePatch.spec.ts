import { strict as assert } from "node:assert";
import { applyMergePatch, applyStrategicMergePatch } from "../../modifiers/mergePatch";
import type { KubeObject } from "../../rules/types";

describe("modifiers: merge patches", () => {
    it("applies RFC 7386 as its Appendix A examples say", () => {
        // RFC 7386, Appendix A (target, patch, result).
        const cases: [unknown, unknown, unknown][] = [
            [{ a: "b" }, { a: "c" }, { a: "c" }],
            [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
            [{ a: "b" }, { a: null }, {}],
            [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
            [{ a: ["b"] }, { a: "c" }, { a: "c" }],
            [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
            [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
            [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
            [["a", "b"], ["c", "d"], ["c", "d"]],
            [{ a: "b" }, ["c"], ["c"]],
            [{ a: "foo" }, null, null],
            [{ a: "foo" }, "bar", "bar"],
            [{ e: null }, { a: 1 }, { e: null, a: 1 }],
            [[1, 2], { a: "b", c: null }, { a: "b" }],
            [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
        ];
        for (const [target, patch, result] of cases) assert.deepEqual(applyMergePatch(target, patch), result, JSON.stringify([target, patch]));
        const target = { a: { b: 1 } };
        applyMergePatch(target, { a: { b: 2 } });
        assert.deepEqual(target, { a: { b: 1 } }, "the target is not changed");
    });

    describe("strategic", () => {
        const svc = (): KubeObject => ({
            apiVersion: "v1",
            kind: "Service",
            spec: { type: "NodePort", ports: [{ name: "http", port: 80, nodePort: 30080 }, { name: "https", port: 443, nodePort: 30443 }], selector: { app: "web" } },
        });

        it("merges a Service's ports on port, deletes with null, and replaces lists without a merge key", () => {
            const out = applyStrategicMergePatch(svc(), { spec: { type: "ClusterIP", externalTrafficPolicy: null, ports: [{ port: 443, nodePort: null }], externalIPs: ["10.0.0.1"] } });
            assert.deepEqual(out.spec, { type: "ClusterIP", ports: [{ name: "http", port: 80, nodePort: 30080 }, { name: "https", port: 443 }], selector: { app: "web" }, externalIPs: ["10.0.0.1"] });
            const replaced = applyStrategicMergePatch({ apiVersion: "v1", kind: "Service", spec: { externalIPs: ["a", "b"] } }, { spec: { externalIPs: ["c"] } });
            assert.deepEqual(replaced.spec, { externalIPs: ["c"] });
        });

        it("appends an element whose key is new, removes one marked $patch: delete, and refuses one without the merge key", () => {
            const added = applyStrategicMergePatch(svc(), { spec: { ports: [{ port: 8080, name: "alt" }] } });
            assert.equal((added.spec as { ports: unknown[] }).ports.length, 3);
            const removed = applyStrategicMergePatch(svc(), { spec: { ports: [{ port: 80, $patch: "delete" }] } });
            assert.deepEqual((removed.spec as { ports: unknown[] }).ports, [{ name: "https", port: 443, nodePort: 30443 }]);
            assert.throws(() => applyStrategicMergePatch(svc(), { spec: { ports: [{ name: "http", nodePort: null }] } }), /does not contain declared merge key: port/);
        });

        it("merges a CronJob's containers by name, deep in its template", () => {
            const cron: KubeObject = {
                apiVersion: "batch/v1",
                kind: "CronJob",
                spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "a", ports: [{ containerPort: 1, hostPort: 1 }] }, { name: "b" }] } } } } },
            };
            const out = applyStrategicMergePatch(cron, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "a", ports: [{ containerPort: 1, hostPort: null }] }] } } } } } });
            assert.deepEqual(out.spec, { jobTemplate: { spec: { template: { spec: { containers: [{ name: "a", ports: [{ containerPort: 1 }] }, { name: "b" }] } } } } });
        });
    });
});
