/**
 * evaluatePolicies, the plan's way to run the pack: config reconciled and checked as the
 * engine would (plus unknown policy names), enforcement levels, remediation reported as the
 * change it makes, the stack judged per serverless cluster. server.spec.ts holds it to the
 * SDK's own server.
 */
import { strict as assert } from "node:assert";
import type { KubeObject } from "../../rules";
import { evaluatePolicies, PolicyConfigError } from "../../policy/evaluate";
import { provider, resourceOf, SOURCE, TARGET, UNKNOWN } from "./harness";
import type { PlannedResource } from "../../policy/engineArgs";

const nodePort: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "shop" },
    spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] },
};
const hostPath: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "logs", namespace: "ops" },
    spec: {
        replicas: 1,
        template: { spec: { containers: [{ name: "c", image: "ccr.ccs.tencentyun.com/ops/logs:1" }], volumes: [{ name: "var-log", hostPath: { path: "/var/log" } }] } },
    },
};
const replicas = (name: string, n: number): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "shop" },
    spec: { replicas: n, template: { spec: { containers: [{ name: "c", image: "ccr.ccs.tencentyun.com/shop/app:1" }] } } },
});

const policiesOf = async (rs: PlannedResource[], config = {}) => (await evaluatePolicies(rs, config)).map((v) => `${v.policy}:${v.level}`);

describe("evaluatePolicies", () => {
    it("reports each resource's violations with its URN, then the stack's", async () => {
        const rs = [resourceOf(nodePort), resourceOf(hostPath)];
        const got = await evaluatePolicies(rs);
        assert.deepEqual(
            got.map((v) => [v.policy, v.level, v.urn]),
            [
                ["eks-no-nodeport-service", "mandatory", rs[0].urn],
                ["eks-no-hostpath", "advisory", rs[1].urn],
                ["eks-image-registry", "advisory", rs[1].urn],
            ],
        );
        assert.match(got[0].message, /^No NodePort Services\n/);
    });

    it("leaves the source cluster's resources and resources without a provider alone", async () => {
        const noProvider = resourceOf(nodePort, null);
        assert.deepEqual(await evaluatePolicies([resourceOf(nodePort, SOURCE), noProvider]), []);
    });

    describe("enforcement levels", () => {
        it("takes a policy's own level, else all's, else the rule's", async () => {
            const rs = [resourceOf(nodePort), resourceOf(hostPath)];
            assert.deepEqual(await policiesOf(rs, { "eks-no-hostpath": { enforcementLevel: "mandatory", profile: "tke-serverless" } }), [
                "eks-no-nodeport-service:mandatory",
                "eks-no-hostpath:mandatory",
                "eks-image-registry:advisory",
            ]);
            assert.deepEqual(await policiesOf(rs, { all: { enforcementLevel: "advisory" }, "eks-image-registry": { enforcementLevel: "disabled" } }), [
                "eks-no-nodeport-service:advisory",
                "eks-no-hostpath:advisory",
            ]);
            assert.deepEqual(await policiesOf(rs, { all: { enforcementLevel: "disabled" } }), []);
        });

        it("remediates at level remediate, reports the change, and judges the remediated inputs", async () => {
            const lb = { ...nodePort, spec: { ...(nodePort.spec as object), externalTrafficPolicy: "Local" } };
            const r = resourceOf(lb);
            const got = await evaluatePolicies([r], { "eks-no-nodeport-service": { enforcementLevel: "remediate", nodePortServiceType: "LoadBalancer" } });
            const [fix, ...rest] = got;
            assert.equal(fix.policy, "eks-no-nodeport-service");
            assert.equal(fix.level, "advisory");
            assert.deepEqual(fix.changes, [
                { op: "replace", path: "/spec/type", value: "LoadBalancer" },
                { op: "remove", path: "/spec/ports/0/nodePort" },
            ]);
            assert.match(fix.message, /remediated: replace \/spec\/type = "LoadBalancer", remove \/spec\/ports\/0\/nodePort$/);
            assert.deepEqual(rest, [], "nothing left to report once remediated");
            assert.equal((r.props.spec as { type: string }).type, "NodePort", "the caller's resource is untouched");
        });

        it("reports as mandatory what a remediation cannot fix", async () => {
            const ds = resourceOf({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "a", namespace: "ops" }, spec: { template: { spec: { containers: [] } } } });
            assert.deepEqual(await policiesOf([ds], { "eks-no-daemonset": { enforcementLevel: "remediate" } }), ["eks-no-daemonset:mandatory"]);
        });
    });

    it("turns an unknown value a policy needs into an advisory note, as during a preview", async () => {
        const r = resourceOf(nodePort);
        (r.props.spec as Record<string, unknown>).type = UNKNOWN;
        const [v] = await evaluatePolicies([r]);
        assert.deepEqual(v, {
            policy: "eks-no-nodeport-service",
            level: "advisory",
            urn: r.urn,
            message: "can't run policy 'eks-no-nodeport-service' from policy pack 'tke2eks@v0.1.0' during preview: string value at .spec.type can't be known during preview",
        });
    });

    it("counts Pods per serverless cluster", async () => {
        const other = provider("prod-serverless");
        const split = [resourceOf(replicas("a", 60)), resourceOf(replicas("b", 60), other), resourceOf(replicas("c", 80), SOURCE)];
        assert.ok(!(await policiesOf(split)).includes("eks-pod-quota:advisory"), "60 + 60 on two clusters, the source not counted");
        const one = [resourceOf(replicas("a", 60)), resourceOf(replicas("b", 60))];
        const quota = (await evaluatePolicies(one)).filter((v) => v.policy === "eks-pod-quota");
        assert.equal(quota.length, 1);
        assert.match(quota[0].message, /ask for up to 120 Pods on urn:pulumi:dev::tke2eks::pulumi:providers:kubernetes::dev-target, above the quota of 100/);
        assert.equal(quota[0].urn, one[0].urn);
        const raised = (await evaluatePolicies(one, { "eks-pod-quota": { podQuota: 200 } })).filter((v) => v.policy === "eks-pod-quota");
        assert.deepEqual(raised, []);
    });

    describe("bad config", () => {
        it("names an unknown policy, listing the pack's", async () => {
            await assert.rejects(evaluatePolicies([], { "eks-no-daemonsets": { enforcementLevel: "advisory" } }), (e: Error) => {
                assert.ok(e instanceof PolicyConfigError);
                assert.match(e.message, /unknown policy "eks-no-daemonsets"; the pack has: all, eks-no-daemonset, eks-no-nodeport-service,/);
                return true;
            });
        });

        it("lists every bad entry at once, before judging anything", async () => {
            await assert.rejects(
                evaluatePolicies([resourceOf(nodePort)], {
                    all: { enforcementLevel: "advisory", profile: "eks" },
                    "eks-no-hostpath": { enforcementLevel: "strict" },
                    "eks-reserved-ports": { reservedRangeTo: 70000 },
                }),
                (e: Error) => {
                    assert.match(e.message, /"all" takes only enforcementLevel, got enforcementLevel, profile/);
                    assert.match(e.message, /eks-no-hostpath\.enforcementLevel = "strict": must be one of advisory, mandatory, remediate, disabled/);
                    assert.match(e.message, /policy eks-reserved-ports: bad config: reservedRangeTo = 70000: must be an integer from 1 to 65535/);
                    return true;
                },
            );
        });

        it("refuses a reserved range that runs backwards, naming both ends", async () => {
            const pod = resourceOf({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [] } });
            await assert.rejects(evaluatePolicies([pod], { "eks-reserved-ports": { reservedRangeFrom: 63000, reservedRangeTo: 62000 } }), (e: Error) => {
                assert.ok(e instanceof PolicyConfigError);
                assert.match(e.message, /reservedRangeFrom = 63000 is above reservedRangeTo = 62000 \(profile eks\)/);
                return true;
            });
        });

        it("refuses a glob that does not compile, naming the key and the glob", async () => {
            await assert.rejects(evaluatePolicies([resourceOf(hostPath, TARGET)], { "eks-no-hostpath": { excludeNamespaces: ["kube-[system"] } }), (e: Error) => {
                assert.ok(e instanceof PolicyConfigError);
                assert.match(e.message, /^policy eks-no-hostpath: bad config: excludeNamespaces "kube-\[system": glob "kube-\[system" has an unclosed "\["$/);
                return true;
            });
        });
    });

    it("honours exemptions from the config", async () => {
        assert.deepEqual(await evaluatePolicies([resourceOf(hostPath, TARGET)], { "eks-no-hostpath": { excludeNamespaces: ["ops"] }, "eks-image-registry": { enforcementLevel: "disabled" } }), []);
    });
});
