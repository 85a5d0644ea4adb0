import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { check } from "../../test/support/rules";

const RULE = "eks-reserved-ports";
const WHY = "the serverless Pod's own agents use these ports (迁移限制: EKS Pod 不支持监听 9100 端口及 62000 以上端口)";
const FIX = "move the container to another port (and its Service's targetPort)";
const METRICS = "eks.tke.cloud.tencent.com/metrics-port";

const deployment = (container: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop" },
    spec: { template: { ...(annotations ? { metadata: { annotations } } : {}), spec: { containers: [{ name: "web", image: "web:1", ...container }] } } },
});

describe(RULE, () => {
    const lines = (obj: KubeObject, profile?: "tke-serverless") => check(RULE, obj, profile ? { profile } : {}).map((f) => [f.path, f.message, f.fix]);
    const at = "/spec/template/spec/containers/0";

    it("names the container, the field and why the port is taken, in one line", () => {
        assert.deepEqual(lines(deployment({ ports: [{ containerPort: 9100, hostPort: 62000 }, "odd", { containerPort: 61999.5 }, { containerPort: "62001" }] })), [
            [`${at}/ports/0/containerPort`, `container "web" containerPort at ${at}/ports/0/containerPort: port 9100 is reserved for the platform's monitoring agent; ${WHY}`, FIX],
            [`${at}/ports/0/hostPort`, `container "web" hostPort at ${at}/ports/0/hostPort: port 62000 is in the range 62000–65535 the serverless Pod reserves; ${WHY}`, FIX],
        ]);
    });

    it("on tke-serverless, checks probe ports too and offers the metrics-port annotation for 9100", () => {
        const probes = { ports: [{ containerPort: 9100 }], livenessProbe: { httpGet: { port: 61000 } }, readinessProbe: { tcpSocket: { port: 8080 }, grpc: { port: 65534 } }, startupProbe: "odd" };
        assert.deepEqual(lines(deployment(probes), "tke-serverless"), [
            [`${at}/ports/0/containerPort`, `container "web" containerPort at ${at}/ports/0/containerPort: port 9100 is reserved for the platform's monitoring agent; ${WHY}`, `${FIX}, or move the platform's metrics port with the ${METRICS} annotation`],
            [`${at}/livenessProbe/httpGet/port`, `container "web" livenessProbe at ${at}/livenessProbe/httpGet/port: port 61000 is in the range 61000–65534 the serverless Pod reserves; ${WHY}`, FIX],
            [`${at}/readinessProbe/grpc/port`, `container "web" readinessProbe at ${at}/readinessProbe/grpc/port: port 65534 is in the range 61000–65534 the serverless Pod reserves; ${WHY}`, FIX],
        ]);
        // The eks profile has no probe check.
        assert.deepEqual(lines(deployment({ livenessProbe: { httpGet: { port: 62000 } } })), []);
        // With the annotation the platform's agent moves off 9100; the range stays reserved.
        assert.deepEqual(lines(deployment({ ports: [{ containerPort: 9100 }, { containerPort: 61000 }] }, { [METRICS]: "9101" }), "tke-serverless").map((l) => l[0]), [`${at}/ports/1/containerPort`]);
        assert.equal(lines(deployment({ ports: [{ containerPort: 9100 }] }, { [METRICS]: "9101" })).length, 1, "the eks profile knows no such annotation");
    });
});
