import { strict as assert } from "node:assert";
import { escapePointer } from "../objects";
import { inEveryController, type PodParts } from "../../test/support/controllers";
import { check, podMetadataPath, podSpecPath } from "../../test/support/rules";

const RULE = "eks-sysctls";
const ANNOTATION = "eks.tke.cloud.tencent.com/host-sysctls";

const sysctls = (...names: string[]) => ({
    securityContext: { sysctls: names.map((name) => ({ name, value: "1" })) },
    containers: [{ name: "app", image: "registry.example.com/app:1.0" }],
});

describe(RULE, () => {
    it("profile eks refuses net.* sysctls (dotted or slashed) in every Pod controller, as errors citing the guide", () => {
        for (const obj of inEveryController({ spec: sysctls("kernel.shm_rmid_forced", "net.core.somaxconn", "net/ipv4/ip_forward") })) {
            const findings = check(RULE, obj);
            const base = `${podSpecPath(obj)}/securityContext/sysctls`;
            assert.deepEqual(
                findings.map((f) => [f.path, f.severity]),
                [
                    [`${base}/1`, "error"],
                    [`${base}/2`, "error"],
                ],
                `${String(obj.apiVersion)} ${String(obj.kind)}`,
            );
            assert.match(findings[0].message, /sysctl "net.core.somaxconn" at .*\/sysctls\/1 is refused/);
            assert.match(findings[0].message, /迁移限制: EKS 不支持自定义 net 前缀的内核参数/);
        }
    });

    it("a name that only starts with the letters net is not a net.* sysctl", () => {
        const [obj] = inEveryController({ spec: sysctls("netfilter.fake", "kernel.msgmax") });
        assert.deepEqual(check(RULE, obj), []);
    });

    it("profile tke-serverless refuses everything but net.*, citing its source", () => {
        for (const obj of inEveryController({ spec: sysctls("net.core.somaxconn", "kernel.shm_rmid_forced", "vm.max_map_count") })) {
            const findings = check(RULE, obj, { profile: "tke-serverless" });
            const base = `${podSpecPath(obj)}/securityContext/sysctls`;
            assert.deepEqual(
                findings.map((f) => f.path),
                [`${base}/1`, `${base}/2`],
            );
            assert.equal(findings[0].severity, "error");
            assert.match(findings[0].message, /only net\.\* kernel parameters may be customised/);
            assert.match(findings[0].message, /cloud\.tencent\.com\/document\/product\/457\/39815/);
        }
    });

    describe("the host-sysctls annotation (tke-serverless)", () => {
        const annotated = (value: string) => inEveryController({ metadata: { annotations: { [ANNOTATION]: value } }, spec: { containers: [{ name: "app" }] } });
        const annotationPath = (obj: Record<string, unknown>) => `${podMetadataPath(obj)}/annotations/${escapePointer(ANNOTATION)}`;

        it("judges each entry like securityContext.sysctls, at the annotation's path", () => {
            const value = JSON.stringify([
                { name: "net.core.rmem_max", value: "26214400" },
                { name: "vm.max_map_count", value: "262144" },
            ]);
            for (const obj of annotated(value)) {
                const findings = check(RULE, obj, { profile: "tke-serverless" });
                assert.equal(findings.length, 1, String(obj.kind));
                assert.equal(findings[0].path, annotationPath(obj));
                assert.match(findings[0].message, /"vm.max_map_count" \(entry 1 of annotation/);
            }
        });

        it("says so when the annotation is not JSON, not a list, or an entry has no name", () => {
            const [obj] = annotated('[{"name": "net.core.somaxconn"');
            const [bad] = check(RULE, obj, { profile: "tke-serverless" });
            assert.equal(bad.path, annotationPath(obj));
            assert.match(bad.message, /is not valid JSON/);
            assert.match(bad.fix, /\[\{"name": "net\.core\.somaxconn", "value": "4096"\}\]/);

            const [notList] = check(RULE, annotated('{"name": "net.core.somaxconn"}')[0], { profile: "tke-serverless" });
            assert.match(notList.message, /is not a JSON list/);
            const [noName] = check(RULE, annotated('[{"value": "1"}]')[0], { profile: "tke-serverless" });
            assert.match(noName.message, /entry 0 has no "name"/);
        });

        it("is ignored by profile eks, which names no such annotation", () => {
            for (const obj of annotated("not json")) assert.deepEqual(check(RULE, obj), []);
        });

        it("passes a valid net.* annotation", () => {
            for (const obj of annotated('[{"name": "net.core.rmem_max", "value": "26214400"}]')) {
                assert.deepEqual(check(RULE, obj, { profile: "tke-serverless" }), []);
            }
        });
    });

    it("ignores objects that make no Pods and odd shapes", () => {
        assert.deepEqual(check(RULE, { apiVersion: "v1", kind: "ConfigMap", data: { sysctls: "net.core.somaxconn" } }), []);
        const odd: PodParts[] = [
            { spec: { securityContext: { sysctls: "net.core.somaxconn" } } },
            { spec: { securityContext: { sysctls: [null, 1, { name: 7 }, { value: "1" }] } } },
            { spec: { securityContext: null } },
        ];
        for (const pod of odd) {
            for (const obj of inEveryController(pod)) {
                assert.deepEqual(check(RULE, obj), []);
                assert.deepEqual(check(RULE, obj, { profile: "tke-serverless" }), []);
            }
        }
    });
});
