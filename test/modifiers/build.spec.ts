import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { exactNameRegex, modifierConfigMap, modifierRules, renderConfigMap, resourceModifiers, uniqueOps } from "../../modifiers/build";
import { groupResourceOf } from "../../modifiers/groupResources";
import { applyResourceModifiers, ruleMatches } from "../../modifiers/replay";
import { MODIFIER_YAML_VERSION, validateModifierConfigMap, validateResourceModifiers } from "../../modifiers/validate";
import type { ResourceModifiers } from "../../modifiers/veleroFormat";

describe("modifiers: building Velero resource modifiers", () => {
    it("names group-resources as Velero restores them", () => {
        assert.equal(groupResourceOf("v1", "Service"), "services");
        assert.equal(groupResourceOf("v1", "Pod"), "pods");
        assert.equal(groupResourceOf("apps/v1", "Deployment"), "deployments.apps");
        // A TKE ≥ 1.18 cluster serves these kinds from apps only, so that is where the backup keeps them.
        assert.equal(groupResourceOf("extensions/v1beta1", "Deployment"), "deployments.apps");
        assert.equal(groupResourceOf("apps/v1beta2", "DaemonSet"), "daemonsets.apps");
        assert.equal(groupResourceOf("batch/v1beta1", "CronJob"), "cronjobs.batch");
        assert.equal(groupResourceOf("snapshot.storage.k8s.io/v1beta1", "VolumeSnapshotClass"), "volumesnapshotclasses.snapshot.storage.k8s.io");
        assert.equal(groupResourceOf("velero.io/v1", "BackupStorageLocation"), "backupstoragelocations.velero.io");
        // Same kind name in another group is another resource; unknown kinds have no name.
        assert.equal(groupResourceOf("serving.knative.dev/v1", "Service"), undefined);
        assert.equal(groupResourceOf("helm.sh/v3", "Release"), undefined);
    });

    it("anchors and escapes names for Go's regexp", () => {
        assert.equal(exactNameRegex("web"), "^web$");
        assert.equal(exactNameRegex("orders.v1"), "^orders\\.v1$");
        const re = new RegExp(exactNameRegex("a.b"));
        assert.ok(re.test("a.b"));
        assert.ok(!re.test("axb"));
        assert.ok(!re.test("a.b-canary"));
    });

    it("makes one rule per object, merging fixes and dropping repeated operations", () => {
        const rules = modifierRules([
            { groupResource: "services", namespace: "shop", name: "web", ops: [{ op: "replace", path: "/spec/type", value: "ClusterIP" }] },
            { groupResource: "deployments.apps", namespace: "shop", name: "web", ops: [{ op: "remove", path: "/spec/template/spec/hostNetwork" }] },
            { groupResource: "services", namespace: "shop", name: "web", ops: [{ op: "replace", path: "/spec/type", value: "ClusterIP" }, { op: "remove", path: "/spec/ports/0/nodePort" }] },
            { groupResource: "volumesnapshotclasses.snapshot.storage.k8s.io", name: "cbs", ops: [{ op: "add", path: "/metadata/labels", value: { "velero.io/csi-volumesnapshot-class": "true" } }] },
            { groupResource: "pods", namespace: "x", name: "nothing", ops: [] },
        ]);
        assert.equal(rules.length, 3);
        assert.deepEqual(rules[0], {
            conditions: { groupResource: "services", resourceNameRegex: "^web$", namespaces: ["shop"] },
            patches: [
                { operation: "replace", path: "/spec/type", value: "ClusterIP" },
                { operation: "remove", path: "/spec/ports/0/nodePort" },
            ],
        });
        assert.deepEqual(rules[2].conditions, { groupResource: "volumesnapshotclasses.snapshot.storage.k8s.io", resourceNameRegex: "^cbs$" }, "cluster-scoped: no namespaces");
        assert.deepEqual(rules[2].patches?.[0].value, '{"velero.io/csi-volumesnapshot-class":"true"}');
        assert.equal(uniqueOps([{ op: "remove", path: "/a" }, { op: "remove", path: "/a" }, { op: "add", path: "/a", value: 1 }, { op: "add", path: "/a", value: 2 }]).length, 3);
    });

    it("renders a ConfigMap in the Velero namespace that the strict validator accepts after a YAML round trip", () => {
        const mods = resourceModifiers([
            { groupResource: "statefulsets.apps", namespace: "shop", name: "orders", ops: [{ op: "add", path: "/spec/template/metadata/annotations/eks.tke.cloud.tencent.com~1retain-ip", value: "true" }] },
            { groupResource: "services", namespace: "on", name: "yes", ops: [{ op: "replace", path: "/spec/type", value: "yes" }] },
        ]);
        const text = renderConfigMap(modifierConfigMap(mods, { namespace: "velero-system" }));
        const cm = parse(text, { version: MODIFIER_YAML_VERSION }) as Record<string, unknown>;
        const checked = validateModifierConfigMap(cm);
        assert.ok(checked.ok, JSON.stringify(checked));
        assert.equal(checked.value.namespace, "velero-system");
        assert.equal(checked.value.name, "tke2eks-restore-modifiers");
        // YAML 1.1 readers (Velero's) must get strings back, not booleans.
        assert.deepEqual(checked.value.modifiers.resourceModifierRules[1].conditions.namespaces, ["on"]);
        assert.equal(checked.value.modifiers.resourceModifierRules[1].patches?.[0].value, "yes");
        const sts = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "orders", namespace: "shop" }, spec: { template: { metadata: { annotations: {} } } } };
        const patched = applyResourceModifiers(checked.value.modifiers, sts, "statefulsets.apps");
        assert.deepEqual(patched.spec, { template: { metadata: { annotations: { "eks.tke.cloud.tencent.com/retain-ip": "true" } } } });
    });

    describe("replay", () => {
        const mods = (text: string): ResourceModifiers => {
            const r = validateResourceModifiers(text);
            assert.ok(r.ok, JSON.stringify(r));
            return r.value;
        };
        const svc = (name: string, ns: string, labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns, labels }, spec: { type: "NodePort" } });

        it("matches group-resource globs, namespaces, names, labels and matches like Velero", () => {
            const c = { groupResource: "services", resourceNameRegex: "^web$", namespaces: ["shop*"] };
            assert.ok(ruleMatches(c, svc("web", "shop-eu"), "services"));
            assert.ok(!ruleMatches(c, svc("web", "other"), "services"));
            assert.ok(!ruleMatches(c, svc("web2", "shop"), "services"));
            assert.ok(!ruleMatches(c, svc("web", "shop"), "services.serving.knative.dev"));
            assert.ok(ruleMatches({ groupResource: "*.apps" }, svc("x", "y"), "deployments.apps"));
            assert.ok(!ruleMatches({ groupResource: "*" }, svc("x", "y"), "deployments.apps"), "* does not cross the . separator");
            assert.ok(ruleMatches({ groupResource: "**" }, svc("x", "y"), "deployments.apps"));
            assert.ok(ruleMatches({ groupResource: "{services,pods}" }, svc("x", "y"), "pods"));
            assert.ok(ruleMatches({ groupResource: "services", labelSelector: { matchLabels: { app: "web" } } }, svc("x", "y", { app: "web" }), "services"));
            assert.ok(!ruleMatches({ groupResource: "services", labelSelector: { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] } }, svc("x", "y", { app: "web" }), "services"));
            assert.ok(ruleMatches({ groupResource: "services", matches: [{ path: "/spec/type", value: "NodePort" }] }, svc("x", "y"), "services"));
            assert.ok(!ruleMatches({ groupResource: "services", matches: [{ path: "/spec/type", value: "ClusterIP" }] }, svc("x", "y"), "services"));
            assert.ok(!ruleMatches({ groupResource: "services", matches: [{ path: "/spec/nope", value: "x" }] }, svc("x", "y"), "services"));
        });

        it("matches every rule against the object as it was, and patches in order", () => {
            const m = mods(`version: v1
resourceModifierRules:
  - conditions: {groupResource: services, matches: [{path: /spec/type, value: NodePort}]}
    patches: [{operation: replace, path: /spec/type, value: ClusterIP}]
  - conditions: {groupResource: services, matches: [{path: /spec/type, value: NodePort}]}
    patches: [{operation: add, path: /metadata/labels/was-nodeport, value: '"true"'}]
`);
            const out = applyResourceModifiers(m, svc("web", "shop"), "services");
            assert.deepEqual(out.spec, { type: "ClusterIP" });
            assert.deepEqual((out.metadata as { labels: unknown }).labels, { "was-nodeport": "true" });
        });

        it("fails the item when a patch does not apply, and skips a rule whose test fails", () => {
            const failing = mods("version: v1\nresourceModifierRules:\n  - conditions: {groupResource: services}\n    patches: [{operation: remove, path: /spec/ports}]\n");
            assert.throws(() => applyResourceModifiers(failing, svc("web", "shop"), "services"), /does not exist/);
            const tested = mods("version: v1\nresourceModifierRules:\n  - conditions: {groupResource: services}\n    patches: [{operation: test, path: /spec/type, value: ClusterIP}, {operation: remove, path: /spec/type}]\n");
            assert.deepEqual(applyResourceModifiers(tested, svc("web", "shop"), "services").spec, { type: "NodePort" });
        });
    });
});
