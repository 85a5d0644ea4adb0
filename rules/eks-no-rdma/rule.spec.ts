import { strict as assert } from "node:assert";
import { escapePointer } from "../objects";
import { inEveryController, type PodParts } from "../../test/support/controllers";
import { check, podMetadataPath, podSpecPath } from "../../test/support/rules";

const RULE = "eks-no-rdma";

describe(RULE, () => {
    it("reports RDMA resources in requests and limits of app, init and ephemeral containers, in every Pod controller", () => {
        const pod: PodParts = {
            spec: {
                initContainers: [{ name: "probe", resources: { limits: { "rdma/hca": "1" } } }],
                containers: [
                    { name: "cpu-only", resources: { requests: { cpu: "2", "nvidia.com/gpu": "1" } } },
                    { name: "worker", resources: { requests: { "tke.cloud.tencent.com/tke-shared-rdma": "1" }, limits: { "tke.cloud.tencent.com/tke-shared-rdma": "1" } } },
                ],
                ephemeralContainers: [{ name: "debug", resources: { limits: { "example.com/RDMA-port": "1" } } }],
            },
        };
        for (const obj of inEveryController(pod)) {
            const spec = podSpecPath(obj);
            const findings = check(RULE, obj);
            assert.deepEqual(
                findings.map((f) => f.path),
                [
                    `${spec}/containers/1/resources/requests/${escapePointer("tke.cloud.tencent.com/tke-shared-rdma")}`,
                    `${spec}/containers/1/resources/limits/${escapePointer("tke.cloud.tencent.com/tke-shared-rdma")}`,
                    `${spec}/initContainers/0/resources/limits/rdma~1hca`,
                    `${spec}/ephemeralContainers/0/resources/limits/example.com~1RDMA-port`,
                ],
                String(obj.kind),
            );
            assert.ok(findings.every((f) => f.severity === "error"));
            assert.match(findings[0].message, /container "worker" requests the RDMA resource tke.cloud.tencent.com\/tke-shared-rdma at /);
            assert.match(findings[0].message, /迁移限制: EKS 不支持 RDMA/);
        }
    });

    it("reports an RDMA network annotation on the Pod template or the controller", () => {
        const annotations = { "k8s.v1.cni.cncf.io/networks": '[{"name": "rdma-sriov-net"}]', "example.com/rdma-note": "rdma" };
        for (const obj of inEveryController({ metadata: { annotations }, spec: { containers: [{ name: "c" }] } })) {
            const [f, ...rest] = check(RULE, obj);
            assert.equal(rest.length, 0, "only .../networks annotations count");
            assert.equal(f.path, `${podMetadataPath(obj)}/annotations/k8s.v1.cni.cncf.io~1networks`);
            assert.match(f.message, /attaches an RDMA network/);
        }
        const controller = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "s", annotations: { "tke.cloud.tencent.com/networks": "tke-route-eni,tke-shared-rdma" } }, spec: { template: { spec: {} } } };
        assert.deepEqual(
            check(RULE, controller).map((f) => f.path),
            ["/metadata/annotations/tke.cloud.tencent.com~1networks"],
        );
    });

    it("passes the same in both profiles, and passes Pods without RDMA", () => {
        const pod: PodParts = { spec: { containers: [{ name: "c", resources: { limits: { "rdma/hca": "1" } } }] } };
        for (const obj of inEveryController(pod)) assert.equal(check(RULE, obj, { profile: "tke-serverless" }).length, 1);
        for (const obj of inEveryController({ metadata: { annotations: { "tke.cloud.tencent.com/networks": "tke-route-eni" } }, spec: { containers: [{ name: "c", resources: { limits: { "nvidia.com/gpu": "1" } } }] } })) {
            assert.deepEqual(check(RULE, obj), []);
        }
    });

    it("does not throw on odd shapes", () => {
        const odd: PodParts[] = [
            { spec: { containers: [{ resources: null }, { resources: { limits: [] } }, { resources: { requests: "rdma" } }] } },
            { metadata: { annotations: { "x/networks": 5 } }, spec: { containers: "rdma" } },
        ];
        for (const pod of odd) for (const obj of inEveryController(pod)) assert.deepEqual(check(RULE, obj), []);
    });
});
