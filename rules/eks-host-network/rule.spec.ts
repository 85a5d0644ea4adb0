import { strict as assert } from "node:assert";
import { resolvePointer } from "../objects";
import { inEveryController, type PodParts } from "../../test/support/controllers";
import { applyFixes, check, podSpecPath } from "../../test/support/rules";

const RULE = "eks-host-network";

const pod = (): PodParts => ({
    spec: {
        hostNetwork: true,
        hostPID: true,
        hostIPC: true,
        dnsPolicy: "ClusterFirstWithHostNet",
        initContainers: [{ name: "init", ports: [{ containerPort: 8081, hostPort: 8081 }] }],
        containers: [{ name: "agent", ports: [{ containerPort: 8080 }, { containerPort: 9000, hostPort: 9000 }, { containerPort: 9001, hostPort: 0 }] }],
    },
});

describe(RULE, () => {
    it("one warning per host namespace and per hostPort, in every Pod controller", () => {
        for (const obj of inEveryController(pod())) {
            const spec = podSpecPath(obj);
            const findings = check(RULE, obj);
            assert.deepEqual(
                findings.map((f) => f.path),
                [`${spec}/hostNetwork`, `${spec}/hostPID`, `${spec}/hostIPC`, `${spec}/containers/0/ports/1/hostPort`, `${spec}/initContainers/0/ports/0/hostPort`],
                String(obj.kind),
            );
            assert.ok(findings.every((f) => f.severity === "warning"));
            assert.match(findings[0].message, /hostNetwork: true at .*\/hostNetwork/);
            assert.match(findings[0].message, /cloud\.tencent\.com\/document\/product\/457\/39815/);
            assert.match(findings[0].fix, /ClusterFirstWithHostNet/);
            assert.match(findings[3].message, /container "agent" hostPort 9000 at /);
        }
    });

    it("only hostPorts have an autofix; applying it removes them and keeps the containerPorts", () => {
        for (const obj of inEveryController(pod())) {
            const spec = podSpecPath(obj);
            const findings = check(RULE, obj);
            assert.deepEqual(
                findings.filter((f) => f.autofix).map((f) => f.autofix),
                [[{ op: "unset", path: `${spec}/containers/0/ports/1/hostPort` }], [{ op: "unset", path: `${spec}/initContainers/0/ports/0/hostPort` }]],
            );
            const fixed = applyFixes(obj, findings);
            assert.deepEqual(resolvePointer(fixed, `${spec}/containers/0/ports/1`), { containerPort: 9000 });
            assert.deepEqual(
                check(RULE, fixed).map((f) => f.path),
                [`${spec}/hostNetwork`, `${spec}/hostPID`, `${spec}/hostIPC`],
                "host namespaces are left for a person to decide",
            );
        }
    });

    it("passes false or absent host fields, the same on both profiles, and ignores odd shapes", () => {
        const clean: PodParts = { spec: { hostNetwork: false, hostPID: "true", containers: [{ ports: [{ containerPort: 80 }] }] } };
        const odd: PodParts[] = [{ spec: { containers: [{ ports: { hostPort: 80 } }, { ports: [null, { hostPort: "80" }] }] } }];
        for (const p of [clean, ...odd]) {
            for (const obj of inEveryController(p)) {
                assert.deepEqual(check(RULE, obj), []);
                assert.deepEqual(check(RULE, obj, { profile: "tke-serverless" }), []);
            }
        }
    });
});
