import { strict as assert } from "node:assert";
import { inEveryController, type PodParts } from "../../test/support/controllers";
import { check, podSpecPath } from "../../test/support/rules";

const RULE = "eks-ephemeral-storage";

const container = (name: string, resources: Record<string, Record<string, string>>, extra: Record<string, unknown> = {}) => ({
    name,
    image: `registry.example.com/${name}:1`,
    resources,
    ...extra,
});

const findingsOf = (pod: PodParts, opts = {}) => check(RULE, inEveryController(pod).find((o) => o.kind === "Deployment")!, opts);

describe(RULE, () => {
    it("adds up the app containers' requests, in every Pod controller, and points at the largest", () => {
        const pod: PodParts = {
            spec: { containers: [container("app", { requests: { "ephemeral-storage": "15Gi" } }), container("uploader", { requests: { "ephemeral-storage": "10Gi" } })] },
        };
        for (const obj of inEveryController(pod)) {
            const findings = check(RULE, obj);
            assert.deepEqual(
                findings.map((f) => [f.path, f.severity]),
                [[`${podSpecPath(obj)}/containers/0/resources/requests/ephemeral-storage`, "warning"]],
                String(obj.kind),
            );
            assert.match(findings[0].message, /requests come to 25Gi \(app 15Gi, uploader 10Gi/);
            assert.match(findings[0].message, /20 GiB of ephemeral disk, images included/);
            assert.match(findings[0].message, /迁移限制: 每个 Pod 默认分配 20GiB/);
            assert.match(findings[0].fix, /eks\.tke\.cloud\.tencent\.com\/root-cbs-size: "25"/);
        }
    });

    it("an unset request defaults to the limit; limits are judged on their own", () => {
        const findings = findingsOf({ spec: { containers: [container("a", { limits: { "ephemeral-storage": "12Gi" } }), container("b", { limits: { "ephemeral-storage": "12Gi" } })] } });
        assert.deepEqual(
            findings.map((f) => f.path),
            ["/spec/template/spec/containers/0/resources/limits/ephemeral-storage", "/spec/template/spec/containers/0/resources/limits/ephemeral-storage"],
        );
        assert.match(findings[0].message, /requests come to 24Gi/);
        assert.match(findings[1].message, /limits come to 24Gi/);
    });

    it("sizes init containers as Kubernetes does: each runs alone, sidecars add up", () => {
        const app = container("app", { requests: { "ephemeral-storage": "10Gi" } });
        // A plain init container of 18Gi runs before the 10Gi app: the Pod needs 18Gi.
        assert.deepEqual(findingsOf({ spec: { initContainers: [container("init", { requests: { "ephemeral-storage": "18Gi" } })], containers: [app] } }), []);
        // 25Gi alone is too much, though the app needs only 10Gi.
        const [big] = findingsOf({ spec: { initContainers: [container("init", { requests: { "ephemeral-storage": "25Gi" } })], containers: [app] } });
        assert.equal(big.path, "/spec/template/spec/initContainers/0/resources/requests/ephemeral-storage");
        assert.match(big.message, /come to 25Gi/);
        // A sidecar (restartPolicy: Always) keeps running beside the app: 12Gi + 10Gi.
        const sidecar = container("proxy", { requests: { "ephemeral-storage": "12Gi" } }, { restartPolicy: "Always" });
        const [withSidecar] = findingsOf({ spec: { initContainers: [sidecar], containers: [app] } });
        assert.match(withSidecar.message, /come to 22Gi/);
        // ... and beside any init container that starts after it: 12Gi + 9Gi.
        const later = container("migrate", { requests: { "ephemeral-storage": "9Gi" } });
        const [initPhase] = findingsOf({ spec: { initContainers: [sidecar, later], containers: [] } });
        assert.match(initPhase.message, /come to 21Gi/);
        // Ephemeral containers have no resources of their own.
        assert.deepEqual(findingsOf({ spec: { containers: [app], ephemeralContainers: [container("debug", { requests: { "ephemeral-storage": "50Gi" } })] } }), []);
    });

    it("exactly the disk passes; one byte more does not", () => {
        assert.deepEqual(findingsOf({ spec: { containers: [container("a", { requests: { "ephemeral-storage": "20Gi" } })] } }), []);
        assert.equal(findingsOf({ spec: { containers: [container("a", { requests: { "ephemeral-storage": String(20 * 2 ** 30 + 1) } })] } }).length, 1);
        // Decimal units are smaller: 21G is 19.56Gi.
        assert.deepEqual(findingsOf({ spec: { containers: [container("a", { requests: { "ephemeral-storage": "21G" } })] } }), []);
    });

    it("a root-cbs-size annotation buys a bigger disk; the threshold can be overridden", () => {
        const pod = (size?: string): PodParts => ({
            metadata: size === undefined ? {} : { annotations: { "eks.tke.cloud.tencent.com/root-cbs-size": size } },
            spec: { containers: [container("a", { requests: { "ephemeral-storage": "40Gi" } })] },
        });
        for (const obj of inEveryController(pod("60"))) assert.deepEqual(check(RULE, obj), [], String(obj.kind));
        const [small] = findingsOf(pod("30"));
        assert.match(small.message, /gets 30 GiB of ephemeral disk/);
        assert.equal(findingsOf(pod("a lot")).length, 1, "an unreadable size buys nothing");
        assert.deepEqual(findingsOf(pod(), { thresholds: { ephemeralStorageGi: 50 } }), []);
        assert.equal(findingsOf({ spec: { containers: [container("a", { requests: { "ephemeral-storage": "6Gi" } })] } }, { thresholds: { ephemeralStorageGi: 5 } }).length, 1);
    });

    it("reports disk-backed emptyDir sizeLimits above the disk, not memory-backed ones", () => {
        const pod: PodParts = {
            spec: {
                containers: [container("a", {})],
                volumes: [
                    { name: "scratch", emptyDir: { sizeLimit: "50Gi" } },
                    { name: "shm", emptyDir: { medium: "Memory", sizeLimit: "64Gi" } },
                    { name: "pages", emptyDir: { medium: "HugePages-2Mi", sizeLimit: "32Gi" } },
                    { name: "small", emptyDir: { sizeLimit: "1Gi" } },
                ],
            },
        };
        for (const obj of inEveryController(pod)) {
            const findings = check(RULE, obj);
            assert.deepEqual(
                findings.map((f) => f.path),
                [`${podSpecPath(obj)}/volumes/0/emptyDir/sizeLimit`],
            );
            assert.match(findings[0].message, /emptyDir volume "scratch" may grow to 50Gi/);
        }
    });

    it("is advisory on both profiles and ignores odd shapes", () => {
        const pod: PodParts = { spec: { containers: [container("a", { requests: { "ephemeral-storage": "30Gi" } })] } };
        assert.equal(findingsOf(pod, { profile: "tke-serverless" })[0].severity, "warning");
        const odd: PodParts[] = [
            { spec: { containers: [{ resources: { requests: { "ephemeral-storage": "lots" } } }, { resources: { limits: { "ephemeral-storage": -5 } } }] } },
            { spec: { containers: [{ resources: "big" }], initContainers: [null], volumes: [{ emptyDir: { sizeLimit: {} } }, { emptyDir: null }] } },
        ];
        for (const p of odd) for (const obj of inEveryController(p)) assert.deepEqual(check(RULE, obj), []);
    });
});
