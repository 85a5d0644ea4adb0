import { strict as assert } from "node:assert";
import fc from "fast-check";
import { FindingStore, type ReportFinding } from "../../preflight/findingStore";
import { streamed, streamJson } from "../../preflight/format/streamJson";

function finding(i: number, extra: Partial<ReportFinding> = {}): ReportFinding {
    return {
        rule: i % 2 ? "eks-fixed-ip" : "eks-no-daemonset",
        severity: i % 2 ? "warning" : "error",
        kind: "Deployment",
        apiVersion: "apps/v1",
        namespace: `ns-${i % 3}`,
        name: `app-${i}`,
        source: `f.yaml:${i}`,
        origin: { file: "f.yaml", line: i },
        path: "/spec",
        message: `message ${i} — 迁移限制 "quoted"\nsecond line`,
        fix: "fix it",
        autofix: i % 4 === 1,
        ...extra,
    };
}

describe("preflight: finding store", () => {
    it("gives back every finding as added, in scan order or any order of its index", () => {
        const store = new FindingStore();
        try {
            const all = Array.from({ length: 2500 }, (_, i) => finding(i));
            all.forEach((f) => store.add(f));
            assert.deepEqual([...store.findings(store.entries)], all);
            const reversed = [...store.entries].reverse();
            assert.deepEqual([...store.findings(reversed)], [...all].reverse());
            assert.deepEqual(
                store.entries.slice(0, 3).map((e) => [e.rule, e.severity, e.namespace, e.autofix]),
                [
                    ["eks-no-daemonset", "error", "ns-0", false],
                    ["eks-fixed-ip", "warning", "ns-1", true],
                    ["eks-no-daemonset", "error", "ns-2", false],
                ],
            );
            // One copy of each namespace string, however many findings name it.
            assert.ok(store.entries[0].namespace === store.entries[3].namespace);
        } finally {
            store.close();
        }
    });

    it("keeps waived findings apart and counts what counts", () => {
        const store = new FindingStore();
        try {
            store.add(finding(0));
            store.add(finding(1, { waiver: { reason: "ok", expires: "2099-01-01", expired: false, entry: 1 } }));
            store.add(finding(2, { waiver: { reason: "old", expires: "2001-01-01", expired: true, entry: 2 } }));
            store.add(finding(5));
            assert.deepEqual(store.counts(), { errors: 2, warnings: 1, waived: 1, autofix: 1 });
            assert.deepEqual([...store.findings(store.waived())].map((f) => f.name), ["app-1"]);
            assert.deepEqual([...store.findings(store.counted())].map((f) => f.name), ["app-0", "app-2", "app-5"]);
            assert.deepEqual(store.entries.map((e) => e.expired), [false, false, true, false]);
        } finally {
            store.close();
        }
    });
});

describe("preflight: streamed JSON", () => {
    it("writes exactly what JSON.stringify(value, null, 2) writes", () => {
        fc.assert(
            fc.property(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 4 }), fc.array(fc.jsonValue(), { maxLength: 2 }), (head, a, b) => {
                const full = { head, a, nested: { b, after: 1 }, empty: [] };
                const value = { head, a: streamed("a"), nested: { b: streamed("b"), after: 1 }, empty: streamed("none") };
                const text = [...streamJson(value, new Map([["a", a], ["b", b], ["none", []]]))].join("");
                assert.equal(text, JSON.stringify(full, null, 2));
            }),
        );
    });
});
