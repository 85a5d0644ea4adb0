import { strict as assert } from "node:assert";
import { inEveryController, type PodParts } from "../../test/support/controllers";
import { check, podSpecPath } from "../../test/support/rules";

const RULE = "eks-no-hostpath";

const pod: PodParts = {
    spec: {
        containers: [{ name: "app", image: "registry.example.com/app:1" }],
        volumes: [
            { name: "config", configMap: { name: "app" } },
            { name: "logs", hostPath: { path: "/var/log/app", type: "DirectoryOrCreate" } },
            { name: "scratch", emptyDir: {} },
            { name: "docker", hostPath: { path: "/var/run/docker.sock" } },
        ],
    },
};

describe(RULE, () => {
    it("reports each hostPath volume in every Pod controller: a warning on eks", () => {
        for (const obj of inEveryController(pod)) {
            const findings = check(RULE, obj);
            const volumes = `${podSpecPath(obj)}/volumes`;
            assert.deepEqual(
                findings.map((f) => [f.path, f.severity]),
                [
                    [`${volumes}/1/hostPath`, "warning"],
                    [`${volumes}/3/hostPath`, "warning"],
                ],
                String(obj.kind),
            );
            assert.match(findings[0].message, /hostPath volume "logs" \(\/var\/log\/app\) at .*\/volumes\/1\/hostPath/);
            assert.match(findings[0].message, /lost when the Pod is rebuilt/);
            assert.match(findings[0].message, /cloud\.tencent\.com\/document\/product\/457\/39815/);
            assert.match(findings[0].fix, /emptyDir/);
            assert.match(findings[0].fix, /PersistentVolumeClaim/);
        }
    });

    it("profile tke-serverless makes it an error and says the cluster refuses it", () => {
        for (const obj of inEveryController(pod)) {
            const findings = check(RULE, obj, { profile: "tke-serverless" });
            assert.deepEqual(
                findings.map((f) => f.severity),
                ["error", "error"],
            );
            assert.match(findings[0].message, /serverless clusters refuse hostPath volumes/);
            assert.match(findings[0].message, /cloud\.tencent\.com\/document\/product\/457\/39815/);
        }
    });

    it("passes Pods without hostPath and ignores odd shapes", () => {
        const clean: PodParts = { spec: { volumes: [{ name: "a", emptyDir: {} }, { name: "b", persistentVolumeClaim: { claimName: "b" } }] } };
        const odd: PodParts[] = [{ spec: { volumes: { hostPath: { path: "/" } } } }, { spec: { volumes: [null, { hostPath: "/" }, { hostPath: null }] } }];
        for (const p of [clean, ...odd]) for (const obj of inEveryController(p)) assert.deepEqual(check(RULE, obj, { profile: "tke-serverless" }), []);
    });
});
