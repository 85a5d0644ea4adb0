import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { registryOf } from ".";
import { resolvePointer } from "../objects";
import { inEveryController, type PodParts } from "../../test/support/controllers";
import { aggregate, check, podSpecPath } from "../../test/support/rules";

const RULE = "eks-image-registry";

const images = (...list: string[]): PodParts => ({ spec: { containers: list.map((image, i) => ({ name: `c${i}`, image })) } });

describe(RULE, () => {
    it("reads the registry host the way Docker and containerd do", () => {
        const cases: [string, string | undefined][] = [
            ["nginx", "docker.io"],
            ["nginx:1.27", "docker.io"],
            ["library/nginx:1.27", "docker.io"],
            ["bitnami/redis:7.2", "docker.io"],
            ["nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "docker.io"],
            ["docker.io/library/nginx", "docker.io"],
            ["index.docker.io/library/nginx", "docker.io"],
            ["quay.io/prometheus/node-exporter:v1.8.2", "quay.io"],
            ["ccr.ccs.tencentyun.com/shop/web:2.4.1", "ccr.ccs.tencentyun.com"],
            ["harbor.internal.example.com:8443/shop/migrate:3.0", "harbor.internal.example.com:8443"],
            ["registry:5000/app@sha256:abc", "registry:5000"],
            ["localhost/app:dev", "localhost"],
            ["Registry.Example.com/app", "registry.example.com"],
            ["MyHost/app", "myhost"],
            ["  ", undefined],
        ];
        for (const [image, registry] of cases) assert.equal(registryOf(image), registry, image);
    });

    it("one warning per registry, attached to the first object and image using it", () => {
        const objs: KubeObject[] = [
            ...inEveryController(images("nginx:1.27", "quay.io/prometheus/blackbox-exporter:v0.25.0"), "frontend").filter((o) => o.kind === "Deployment" && o.apiVersion === "apps/v1"),
            ...inEveryController(
                { spec: { initContainers: [{ name: "migrate", image: "harbor.internal.example.com:8443/shop/migrate:3.0" }], containers: [{ name: "cache", image: "bitnami/redis:7.2" }] } },
                "backend",
            ).filter((o) => o.kind === "StatefulSet" && o.apiVersion === "apps/v1"),
        ];
        const findings = aggregate(RULE, objs);
        assert.deepEqual(
            findings.map((f) => [f.message.match(/registry (\S+)/)?.[1], f.object?.name, f.path, f.severity]),
            [
                ["docker.io", "frontend", "/spec/template/spec/containers/0/image", "warning"],
                ["quay.io", "frontend", "/spec/template/spec/containers/1/image", "warning"],
                ["harbor.internal.example.com:8443", "backend", "/spec/template/spec/initContainers/0/image", "warning"],
            ],
        );
        for (const f of findings) {
            const obj = objs[Number(f.object?.source?.slice(1))];
            assert.equal(typeof resolvePointer(obj, f.path), "string");
            assert.match(f.message, /containerd 1\.4\.3/);
            assert.match(f.message, /Docker registry older than v2\.5 or Harbor older than v1\.10/);
            assert.match(f.message, /迁移限制/);
        }
        assert.match(findings[0].message, /docker\.io \(2 containers; first Deployment demo\/frontend at \/spec\/template\/spec\/containers\/0\/image: nginx:1\.27\)/);
        assert.match(findings[2].fix, /check harbor\.internal\.example\.com:8443 runs Docker registry ≥ 2\.5 or Harbor ≥ 1\.10/);
    });

    it("sees images in every Pod controller, on both profiles, and only at set level", () => {
        for (const obj of inEveryController(images("quay.io/app:1"))) {
            assert.deepEqual(check(RULE, obj), []);
            for (const profile of ["eks", "tke-serverless"] as const) {
                const [f] = aggregate(RULE, [obj], { profile });
                assert.equal(f.path, `${podSpecPath(obj)}/containers/0/image`, String(obj.kind));
            }
        }
    });

    it("ignores objects without images and odd shapes", () => {
        const odd: KubeObject[] = [
            { apiVersion: "v1", kind: "ConfigMap", data: { image: "nginx" } },
            ...inEveryController({ spec: { containers: [{ image: 5 }, { image: "" }, null, { image: ["nginx"] }] } }),
        ];
        assert.deepEqual(aggregate(RULE, odd), []);
    });
});
