import { strict as assert } from "node:assert";
import type { KubeObject } from "..";
import { escapePointer, resolvePointer } from "../objects";
import { inEveryController, type PodParts } from "../../test/support/controllers";
import { applyFixes, check, podMetadataPath, podSpecPath } from "../../test/support/rules";

const RULE = "eks-fixed-ip";
const RETAIN = "eks.tke.cloud.tencent.com/retain-ip";

const fixedIpPod = (): PodParts => ({
    metadata: {
        labels: { app: "web" },
        annotations: {
            "tke.cloud.tencent.com/networks": "tke-route-eni",
            "tke.cloud.tencent.com/vpc-ip-claim-delete-policy": "Never",
            "prometheus.io/scrape": "true",
        },
    },
    spec: {
        containers: [
            {
                name: "web",
                image: "ccr.ccs.tencentyun.com/shop/web:2.4.1",
                resources: { requests: { cpu: "500m", "tke.cloud.tencent.com/eni-ip": "1" }, limits: { "tke.cloud.tencent.com/eni-ip": "1" } },
            },
        ],
    },
});

const annotationPath = (obj: KubeObject, key: string) => `${podMetadataPath(obj)}/annotations/${escapePointer(key)}`;

describe(RULE, () => {
    it("reports each TKE marker on the Pod template, with its path, as a warning saying the IP changes", () => {
        for (const obj of inEveryController(fixedIpPod())) {
            const findings = check(RULE, obj);
            const spec = podSpecPath(obj);
            assert.deepEqual(
                findings.map((f) => f.path),
                [
                    annotationPath(obj, "tke.cloud.tencent.com/networks"),
                    annotationPath(obj, "tke.cloud.tencent.com/vpc-ip-claim-delete-policy"),
                    `${spec}/containers/0/resources/requests/tke.cloud.tencent.com~1eni-ip`,
                    `${spec}/containers/0/resources/limits/tke.cloud.tencent.com~1eni-ip`,
                ],
                `${String(obj.apiVersion)} ${String(obj.kind)}`,
            );
            for (const f of findings) {
                assert.equal(f.severity, "warning");
                assert.match(f.message, /new IP after migration/);
                assert.match(f.message, /迁移限制/);
                assert.ok(f.message.includes(f.path), "the message names the path");
            }
            assert.match(findings[0].fix, /retain-ip/);
        }
    });

    it("autofix removes the markers and nothing else; the patched object passes", () => {
        for (const obj of inEveryController(fixedIpPod())) {
            const fixed = applyFixes(obj, check(RULE, obj));
            assert.deepEqual(check(RULE, fixed), []);
            assert.equal(resolvePointer(fixed, annotationPath(obj, "prometheus.io/scrape")), "true");
            assert.equal(resolvePointer(fixed, `${podSpecPath(obj)}/containers/0/resources/requests/cpu`), "500m");
            assert.equal(resolvePointer(fixed, annotationPath(obj, RETAIN)), undefined, "retain-ip only when asked for");
        }
    });

    it("finds the legacy static-IP annotation and the fixed-EIP ones on the controller itself", () => {
        const sts = {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { name: "orders", annotations: { "tke.cloud.tencent.com/enable-static-ip": "true", "tke.cloud.tencent.com/eip-attributes": "" } },
            spec: { template: { spec: { containers: [{ name: "orders" }] } } },
        };
        const findings = check(RULE, sts);
        assert.deepEqual(
            findings.map((f) => f.path),
            ["/metadata/annotations/tke.cloud.tencent.com~1enable-static-ip", "/metadata/annotations/tke.cloud.tencent.com~1eip-attributes"],
        );
        assert.match(findings[1].message, /elastic IP/);
        assert.match(findings[1].fix, /eks\.tke\.cloud\.tencent\.com\/eip-attributes/);
        const off = { ...sts, metadata: { name: "orders", annotations: { "tke.cloud.tencent.com/enable-static-ip": "false" } } };
        assert.deepEqual(check(RULE, off), []);
    });

    describe("retain-ip (fixes.retainIp)", () => {
        const retain = { fixes: { retainIp: true } };

        it("adds retain-ip to a StatefulSet's Pod template, creating the annotations map", () => {
            const sts: KubeObject = {
                apiVersion: "apps/v1",
                kind: "StatefulSet",
                metadata: { name: "orders", annotations: { "tke.cloud.tencent.com/enable-static-ip": "true" } },
                spec: { template: { metadata: { labels: { app: "orders" } }, spec: { containers: [{ name: "orders" }] } } },
            };
            const findings = check(RULE, sts, retain);
            assert.deepEqual(findings[0].autofix, [
                { op: "unset", path: "/metadata/annotations/tke.cloud.tencent.com~1enable-static-ip" },
                { op: "set", path: "/spec/template/metadata/annotations/eks.tke.cloud.tencent.com~1retain-ip", value: "true" },
            ]);
            const fixed = applyFixes(sts, findings);
            assert.equal(resolvePointer(fixed, `/spec/template/metadata/annotations/${escapePointer(RETAIN)}`), "true");
            assert.deepEqual(resolvePointer(fixed, "/spec/template/metadata/labels"), { app: "orders" });
            assert.deepEqual(check(RULE, fixed, retain), []);
        });

        it("adds the key (escaped ~1) to an existing map, or creates metadata when the template has none", () => {
            const [sts] = inEveryController(fixedIpPod()).filter((o) => o.kind === "StatefulSet");
            const ops = check(RULE, sts, retain).flatMap((f) => f.autofix ?? []);
            assert.deepEqual(ops.filter((op) => op.op === "set"), [{ op: "set", path: "/spec/template/metadata/annotations/eks.tke.cloud.tencent.com~1retain-ip", value: "true" }]);
            const fixed = applyFixes(sts, check(RULE, sts, retain));
            assert.deepEqual(resolvePointer(fixed, "/spec/template/metadata/annotations"), { "prometheus.io/scrape": "true", [RETAIN]: "true" });

            const bare: KubeObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { annotations: { "tke.cloud.tencent.com/enable-static-ip": "true" } }, spec: { template: { spec: {} } } };
            const created = applyFixes(bare, check(RULE, bare, retain));
            assert.deepEqual(resolvePointer(created, "/spec/template/metadata"), { annotations: { [RETAIN]: "true" } });
        });

        it("adds it to a bare Pod's own metadata, but not to owned Pods or other kinds", () => {
            const [pod] = inEveryController(fixedIpPod()).filter((o) => o.kind === "Pod");
            const fixed = applyFixes(pod, check(RULE, pod, retain));
            assert.equal(resolvePointer(fixed, `/metadata/annotations/${escapePointer(RETAIN)}`), "true");

            const owned = structuredClone(pod) as { metadata: Record<string, unknown> };
            owned.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "u" }];
            const ownedOps = check(RULE, owned as KubeObject, retain).flatMap((f) => f.autofix ?? []);
            assert.ok(ownedOps.every((op) => op.op === "unset"));

            for (const obj of inEveryController(fixedIpPod()).filter((o) => o.kind !== "Pod" && o.kind !== "StatefulSet")) {
                const ops = check(RULE, obj, retain).flatMap((f) => f.autofix ?? []);
                assert.ok(ops.every((op) => op.op === "unset"), String(obj.kind));
            }
        });

        it("is not added for ENI resources alone (no fixed IP to keep) or when already there", () => {
            const eniOnly: PodParts = { spec: { containers: [{ name: "c", resources: { limits: { "tke.cloud.tencent.com/eni-ip": "1" } } }] } };
            const [sts] = inEveryController(eniOnly).filter((o) => o.kind === "StatefulSet");
            assert.ok(check(RULE, sts, retain).flatMap((f) => f.autofix ?? []).every((op) => op.op === "unset"));

            const already = fixedIpPod();
            (already.metadata!.annotations as Record<string, string>)[RETAIN] = "true";
            const [sts2] = inEveryController(already).filter((o) => o.kind === "StatefulSet");
            assert.ok(check(RULE, sts2, retain).flatMap((f) => f.autofix ?? []).every((op) => op.op === "unset"));
        });
    });

    it("behaves the same on both profiles and ignores odd shapes", () => {
        for (const obj of inEveryController(fixedIpPod())) {
            assert.deepEqual(check(RULE, obj, { profile: "tke-serverless" }), check(RULE, obj));
        }
        const odd: PodParts[] = [
            { metadata: { annotations: { "tke.cloud.tencent.com/networks": ["tke-route-eni"] } }, spec: { containers: [{ resources: { limits: null } }] } },
            { metadata: { annotations: null }, spec: { containers: {} } },
        ];
        for (const pod of odd) for (const obj of inEveryController(pod)) assert.deepEqual(check(RULE, obj, { fixes: { retainIp: true } }), []);
    });

    it("writes each annotation's finding in one line: what it does, and for an EIP where the serverless cluster takes one", () => {
        const IP_CHANGES = "the Pod gets a new IP after migration (迁移限制: 在 TKE 集群中启用固定 ip 特性的工作负载，在迁移到 EKS 集群后，ip 会发生改变)";
        const FIX = 'update whatever depends on the old IP (allow lists, DNS records, security groups); a StatefulSet or bare Pod that needs a stable IP on the serverless cluster can ask for it with eks.tke.cloud.tencent.com/retain-ip: "true"';
        const annotations = { "tke.cloud.tencent.com/enable-static-ip": "true", "tke.cloud.tencent.com/eip-attributes": "{}", "tke.cloud.tencent.com/networks": "tke-route-eni", "example.com/note": "tke-route-eni" };
        const sts: KubeObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: "shop" }, spec: { template: { metadata: { annotations }, spec: { containers: [{ name: "db" }] } } } };
        const at = (key: string) => `/spec/template/metadata/annotations/${key.replace("/", "~1")}`;
        const line = (key: string, what: string, hint = "") => [at(key), `annotation ${key}: "${annotations[key as keyof typeof annotations]}" at ${at(key)} ${what}, which the serverless cluster does not honour: ${IP_CHANGES}`, `${FIX}${hint}; the restore fix removes the annotation`];
        const expected = [
            line("tke.cloud.tencent.com/enable-static-ip", "pins the Pod's IP"),
            line("tke.cloud.tencent.com/eip-attributes", "binds a TKE elastic IP", "; on the serverless cluster, bind an EIP with eks.tke.cloud.tencent.com/eip-attributes"),
            line("tke.cloud.tencent.com/networks", "puts the Pod on a TKE VPC-CNI ENI"),
        ];
        assert.deepEqual(check(RULE, sts).map((f) => [f.path, f.message, f.fix]), expected);
        // Asked to keep the IP, the first fix also adds retain-ip, and says so.
        const retained = check(RULE, sts, { fixes: { retainIp: true } });
        assert.equal(retained[0].fix, `${expected[0][2]}, and adds eks.tke.cloud.tencent.com/retain-ip: "true" to the Pod template`);
        assert.deepEqual(retained.slice(1).map((f) => f.fix), [expected[1][2], expected[2][2]]);
    });
});
