import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { PodDemand } from ".";
import { refOf, resolvePointer } from "../objects";
import { aggregate, check } from "../../test/support/rules";

const RULE = "eks-pod-quota";

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: "shop", ...extra });
const template = { spec: { containers: [{ name: "c", image: "registry.example.com/c:1" }] } };

const workload = (kind: string, name: string, spec: Record<string, unknown> = {}, apiVersion = "apps/v1"): KubeObject => ({
    apiVersion,
    kind,
    metadata: meta(name),
    spec: { template, ...spec },
});
const hpa = (target: string, maxReplicas: number, apiVersion = "autoscaling/v2", kind = "Deployment"): KubeObject => ({
    apiVersion,
    kind: "HorizontalPodAutoscaler",
    metadata: meta(`${target}-hpa`),
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind, name: target }, minReplicas: 1, maxReplicas },
});
const job = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: "batch/v1", kind: "Job", metadata: meta(name), spec: { template, ...spec } });
const cronJob = (name: string, jobSpec: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta(name),
    spec: { schedule: "@hourly", jobTemplate: { spec: { template, ...jobSpec } }, ...spec },
});
const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: meta(name), spec: template.spec, ...extra });

function total(objs: KubeObject[]): number {
    const demand = new PodDemand();
    for (const o of objs) demand.add(o, refOf(o));
    return demand.totals().reduce((n, d) => n + d.total, 0);
}

describe(RULE, () => {
    describe("counting Pods (PodDemand)", () => {
        it("replicas of each replicated kind, 1 when unset", () => {
            assert.equal(
                total([
                    workload("Deployment", "a", { replicas: 4 }),
                    workload("Deployment", "legacy", { replicas: 2 }, "extensions/v1beta1"),
                    workload("StatefulSet", "b", { replicas: 3 }),
                    workload("ReplicaSet", "c", { replicas: 2 }),
                    workload("ReplicationController", "d", { replicas: 5 }, "v1"),
                    workload("Deployment", "e"),
                    workload("Deployment", "off", { replicas: 0 }),
                ]),
                4 + 2 + 3 + 2 + 5 + 1,
            );
        });

        it("an HPA's maxReplicas replaces its target's replicas, in any autoscaling version and either order", () => {
            for (const version of ["autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta1", "autoscaling/v2beta2"]) {
                assert.equal(total([workload("Deployment", "web", { replicas: 3 }), hpa("web", 60, version)]), 60, version);
                assert.equal(total([hpa("web", 60, version), workload("Deployment", "web", { replicas: 3 })]), 60, version);
            }
            assert.equal(total([workload("StatefulSet", "db", { replicas: 3 }), hpa("db", 9, "autoscaling/v2", "StatefulSet")]), 9);
            // Two HPAs on one target: the larger max is what the target may reach.
            assert.equal(total([workload("Deployment", "web"), hpa("web", 20), hpa("web", 30)]), 30);
        });

        it("an HPA without its target in the set, on a workload scaled to 0, or in another group counts nothing", () => {
            assert.equal(total([hpa("elsewhere", 50)]), 0);
            assert.equal(total([workload("Deployment", "web", { replicas: 0 }), hpa("web", 50)]), 0);
            const other = { ...hpa("web", 50), apiVersion: "example.com/v1" };
            assert.equal(total([workload("Deployment", "web", { replicas: 2 }), other]), 2);
            const otherNs = { ...hpa("web", 50), metadata: { name: "h", namespace: "other" } };
            assert.equal(total([workload("Deployment", "web", { replicas: 2 }), otherNs]), 2);
        });

        it("Jobs and CronJobs: parallelism (default 1) capped by completions; suspended ones run none", () => {
            assert.equal(total([job("a", { parallelism: 30, completions: 500 })]), 30);
            assert.equal(total([job("b", { parallelism: 30, completions: 4 })]), 4);
            assert.equal(total([job("c", {})]), 1);
            assert.equal(total([job("d", { parallelism: 5, suspend: true })]), 0);
            assert.equal(total([cronJob("e", { parallelism: 5 })]), 5);
            assert.equal(total([cronJob("f", {})]), 1);
            assert.equal(total([cronJob("g", { parallelism: 5 }, { suspend: true })]), 0);
        });

        it("bare Pods count once unless finished; owned objects and DaemonSets never", () => {
            const owner = { ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: "u" }] };
            assert.equal(
                total([
                    pod("debug"),
                    pod("done", { status: { phase: "Succeeded" } }),
                    pod("web-1-abc", { metadata: meta("web-1-abc", owner) }),
                    { ...workload("ReplicaSet", "web-1", { replicas: 40 }), metadata: meta("web-1", { ownerReferences: [{ kind: "Deployment", name: "web" }] }) },
                    { ...job("cleanup-1", {}), metadata: meta("cleanup-1", { ownerReferences: [{ kind: "CronJob", name: "cleanup" }] }) },
                    workload("DaemonSet", "agent"),
                    { apiVersion: "v1", kind: "PodTemplate", metadata: meta("t"), template },
                ]),
                1,
            );
        });

        it("says for each workload how many Pods, from which field, largest first; finished and suspended ones are left out of the list", () => {
            const objs = [
                workload("Deployment", "web", { replicas: 3 }),
                workload("StatefulSet", "db"),
                workload("Deployment", "big", { replicas: 20 }),
                hpa("big", 10),
                workload("Deployment", "api", { replicas: 2 }),
                hpa("api", 12),
                { ...hpa("api", 4), metadata: meta("api-small") },
                // maxReplicas that no API server accepts leave the StatefulSet's replicas alone.
                { ...hpa("db", -1, "autoscaling/v2", "StatefulSet"), metadata: meta("bad-1") },
                { ...hpa("db", 1.5, "autoscaling/v2", "StatefulSet"), metadata: meta("bad-2") },
                { ...hpa("db", 40, "keda.sh/v1alpha1", "StatefulSet"), metadata: meta("not-autoscaling") },
                job("batch", { parallelism: 3, completions: 2 }),
                job("one", {}),
                cronJob("nightly", { parallelism: 4 }, { suspend: true }),
                pod("done", { status: { phase: "Failed" } }),
                pod("ok", { status: { phase: "Succeeded" } }),
                pod("debug"),
            ];
            const demand = new PodDemand();
            for (const o of objs) demand.add(o, refOf(o));
            const [only, ...rest] = demand.totals();
            assert.deepEqual(rest, []);
            assert.equal(only.total, 12 + 10 + 3 + 2 + 1 + 1 + 1);
            assert.ok(!("cluster" in only), "no cluster named");
            // Not a whole number of replicas: the default.
            assert.equal(total([workload("ReplicaSet", "odd", { replicas: 2.5 })]), 1);
            assert.deepEqual(
                only.entries.map((e) => [e.ref.name, e.pods, e.path, e.how]),
                [
                    // An HPA's maxReplicas replaces the replicas, lower or higher; of two HPAs the larger max wins.
                    ["api", 12, "/spec/replicas", "HPA api-hpa maxReplicas at /spec/maxReplicas"],
                    ["big", 10, "/spec/replicas", "HPA big-hpa maxReplicas at /spec/maxReplicas"],
                    ["web", 3, "/spec/replicas", "replicas at /spec/replicas"],
                    ["batch", 2, "/spec/parallelism", "parallelism at /spec/parallelism"],
                    ["db", 1, "", "replicas (default 1)"],
                    ["one", 1, "", "parallelism (default 1)"],
                    ["debug", 1, "", "bare Pod"],
                ],
            );
        });

        it("the same object twice counts once; clusters are counted apart", () => {
            const d = workload("Deployment", "web", { replicas: 7 });
            assert.equal(total([d, structuredClone(d)]), 7);
            const demand = new PodDemand();
            demand.add(d, { ...refOf(d), cluster: "urn:a" });
            demand.add(d, { ...refOf(d), cluster: "urn:b" });
            demand.add(workload("Deployment", "api", { replicas: 2 }), { ...refOf(d), name: "api", cluster: "urn:b" });
            assert.deepEqual(
                demand.totals().map((t) => [t.cluster, t.total]),
                [
                    ["urn:b", 9],
                    ["urn:a", 7],
                ],
            );
        });
    });

    describe("the set-level finding", () => {
        const set = [
            workload("Deployment", "web", { replicas: 3 }),
            hpa("web", 60),
            workload("StatefulSet", "orders", { replicas: 20 }),
            job("backfill", { parallelism: 30, completions: 500 }),
            cronJob("reports", { parallelism: 5 }),
            pod("debug"),
        ];

        it("reports the total above the quota with the top contributors, attached to the largest", () => {
            const findings = aggregate(RULE, set);
            assert.equal(findings.length, 1);
            const [f] = findings;
            assert.equal(f.severity, "warning");
            assert.equal(f.object?.name, "web");
            assert.equal(f.object?.kind, "Deployment");
            assert.equal(f.path, "/spec/replicas");
            assert.notEqual(resolvePointer(set[Number(f.object?.source?.slice(1))], f.path), undefined);
            assert.match(f.message, /ask for up to 116 Pods, above the quota of 100 Pods per cluster/);
            assert.match(f.message, /每个集群默认仅可创建 100 个 Pod/);
            assert.match(
                f.message,
                /largest: Deployment shop\/web 60 \(HPA web-hpa maxReplicas at \/spec\/maxReplicas\), Job shop\/backfill 30 \(parallelism at \/spec\/parallelism\), StatefulSet shop\/orders 20 \(replicas at \/spec\/replicas\), CronJob shop\/reports 5 .*, Pod shop\/debug 1 \(bare Pod\)$/,
            );
            assert.match(f.fix, /raise the cluster's Pod quota/);
            assert.match(f.fix, /scale down/);
        });

        it("lists the five largest and counts the rest", () => {
            const many = ["a", "b", "c", "d", "e", "f", "g"].map((n, i) => workload("Deployment", n, { replicas: 20 - i }));
            const [f] = aggregate(RULE, many);
            assert.match(f.message, /ask for up to 119 Pods, above the quota of 100 Pods per cluster/);
            assert.match(f.message, /largest: Deployment shop\/a 20 \(replicas at \/spec\/replicas\), Deployment shop\/b 19 .*, Deployment shop\/e 16 \(replicas at \/spec\/replicas\) and 2 more$/);
            assert.doesNotMatch(f.message, /shop\/f/);
        });

        it("stays silent at or under the quota, and follows a quota override", () => {
            assert.deepEqual(aggregate(RULE, set, { thresholds: { podQuota: 116 } }), []);
            assert.equal(aggregate(RULE, set.slice(2), { thresholds: { podQuota: 50 } }).length, 1);
            assert.deepEqual(aggregate(RULE, [workload("Deployment", "web", { replicas: 100 })]), []);
        });

        it("names the cluster and judges each cluster on its own quota", () => {
            const findings = aggregate(RULE, [...set, ...set], {}, (i) => (i < set.length ? "urn:source" : "urn:target"));
            assert.deepEqual(findings.map((f) => f.message.match(/on (urn:\w+)/)?.[1]).sort(), ["urn:source", "urn:target"]);
        });
    });

    describe("the per-workload replica limit (profile tke-serverless)", () => {
        it("reports replicas or HPA maxReplicas above 100 on tke-serverless only", () => {
            const big = workload("Deployment", "crawler", { replicas: 150 });
            const [f] = check(RULE, big, { profile: "tke-serverless" });
            assert.equal(f.path, "/spec/replicas");
            assert.equal(f.severity, "warning");
            assert.match(f.message, /Deployment replicas 150 at \/spec\/replicas exceeds the 100 replicas a workload may have/);
            assert.match(f.message, /cloud\.tencent\.com\/document\/product\/457\/39815/);
            assert.deepEqual(check(RULE, big), [], "profile eks has no per-workload limit");

            assert.deepEqual(
                check(RULE, hpa("crawler", 300), { profile: "tke-serverless" }).map((x) => x.path),
                ["/spec/maxReplicas"],
            );
            assert.deepEqual(check(RULE, workload("Deployment", "ok", { replicas: 100 }), { profile: "tke-serverless" }), []);
            assert.deepEqual(check(RULE, workload("Deployment", "x", { replicas: 150 }), { profile: "tke-serverless", thresholds: { replicaLimit: 200 } }), []);
        });

        it("skips owned objects (the Deployment above them is reported)", () => {
            const rs = { ...workload("ReplicaSet", "crawler-1", { replicas: 150 }), metadata: meta("crawler-1", { ownerReferences: [{ kind: "Deployment", name: "crawler" }] }) };
            assert.deepEqual(check(RULE, rs, { profile: "tke-serverless" }), []);
        });
    });

    it("does not throw on odd shapes", () => {
        const odd: KubeObject[] = [
            { kind: "Deployment", spec: { replicas: "3" } },
            { kind: "Deployment", spec: { replicas: -1 } },
            { kind: "HorizontalPodAutoscaler", apiVersion: "autoscaling/v2", spec: { scaleTargetRef: "web", maxReplicas: 1.5 } },
            { kind: "Job", spec: { parallelism: null, completions: "all" } },
            { kind: "CronJob", spec: { jobTemplate: [] } },
            { kind: "Pod", metadata: { ownerReferences: {} }, status: null },
        ];
        assert.doesNotThrow(() => aggregate(RULE, odd, { thresholds: { podQuota: 1 } }));
        for (const o of odd) assert.doesNotThrow(() => check(RULE, o, { profile: "tke-serverless" }));
        // Unreadable counts fall back to the defaults: 1 + 1 + 1 + 1 + 1 bare Pod (ownerReferences not a list).
        assert.equal(total(odd), 5);
    });
});
