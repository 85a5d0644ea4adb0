import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { exactNameRegex, modifierConfigMap, modifierRules, renderConfigMap, resourceModifiers, type ObjectFix } from "../../modifiers/build";
import { resolveFixes } from "../../modifiers/fixEdits";
import type { FixEdit, KubeObject } from "../../rules/types";
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

    const resolved = (obj: KubeObject, ...fixes: FixEdit[][]) => {
        const r = resolveFixes(obj, fixes);
        assert.deepEqual(r.problems, []);
        return r.fixes;
    };
    const svc: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] } };
    const deploy: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "shop" }, spec: { template: { spec: { containers: [{ name: "api", ports: [{ containerPort: 80, hostPort: 80 }] }] } } } };
    const objectFix = (obj: KubeObject, groupResource: string, ...fixes: FixEdit[][]): ObjectFix => ({
        groupResource,
        apiVersion: String(obj.apiVersion),
        namespace: "shop",
        name: String((obj.metadata as { name: string }).name),
        fixes: resolved(obj, ...fixes),
    });

    it("makes one rule per independent fix, never one per object", () => {
        const fixes = [
            objectFix(svc, "services", [{ op: "set", path: "/spec/type", value: "ClusterIP" }], [{ op: "unset", path: "/spec/ports/0/nodePort" }]),
            objectFix(deploy, "deployments.apps", [{ op: "unset", path: "/spec/template/spec/hostNetwork" }]),
        ];
        const rules = modifierRules(fixes, "v1.18.2");
        assert.equal(rules.length, 3);
        assert.deepEqual(rules[0], { conditions: { groupResource: "services", resourceNameRegex: "^web$", namespaces: ["shop"] }, mergePatches: [{ patchData: '{"spec":{"type":"ClusterIP"}}' }] });
        assert.deepEqual(rules[1].strategicPatches, [{ patchData: '{"spec":{"ports":[{"port":80,"nodePort":null}]}}' }], "list elements named by their merge key");
        assert.deepEqual(rules[2].mergePatches, [{ patchData: '{"spec":{"template":{"spec":{"hostNetwork":null}}}}' }]);
        assert.equal(resolved(svc, [{ op: "unset", path: "/spec/x" }], [{ op: "unset", path: "/spec/x" }]).length, 1, "repeated fixes are kept once");
    });

    it("writes each form the target's Velero reads: strategic patches of apps only from v1.14.0, JSON patches before v1.12.2", () => {
        const fix = [objectFix(deploy, "deployments.apps", [{ op: "unset", path: "/spec/template/spec/containers/0/ports/0/hostPort" }])];
        assert.deepEqual(modifierRules(fix, "v1.14.0")[0].strategicPatches, [{ patchData: '{"spec":{"template":{"spec":{"containers":[{"name":"api","ports":[{"containerPort":80,"hostPort":null}]}]}}}}' }]);
        for (const velero of ["v1.13.2", "v1.12.0"]) {
            assert.deepEqual(modifierRules(fix, velero)[0].patches, [
                { operation: "test", path: "/spec/template/spec/containers/0/name", value: "api" },
                { operation: "test", path: "/spec/template/spec/containers/0/ports/0/containerPort", value: 80 },
                { operation: "add", path: "/spec/template/spec/containers/0/ports/0/hostPort", value: 0 },
                { operation: "remove", path: "/spec/template/spec/containers/0/ports/0/hostPort" },
            ], velero);
        }
        // Same merge key twice (53/TCP and 53/UDP): no strategic patch can name the element.
        const dns: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "dns" }, spec: { ports: [{ port: 53, protocol: "TCP", nodePort: 1 }, { port: 53, protocol: "UDP", nodePort: 2 }] } };
        const [rule] = modifierRules([objectFix(dns, "services", [{ op: "unset", path: "/spec/ports/1/nodePort" }])], "v1.18.2");
        assert.deepEqual(rule.patches, [{ operation: "add", path: "/spec/ports/1/nodePort", value: 0 }, { operation: "remove", path: "/spec/ports/1/nodePort" }]);
    });

    it("before v1.12.2, sets a string it cannot paste by writing its whole map as it ends up", () => {
        const sts: KubeObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db" }, spec: { template: { metadata: { annotations: { a: "1", pin: "x" } } } } };
        const fixes = [objectFix(sts, "statefulsets.apps", [{ op: "set", path: "/spec/template/metadata/annotations/keep", value: "true" }], [{ op: "unset", path: "/spec/template/metadata/annotations/pin" }])];
        assert.deepEqual(modifierRules(fixes, "v1.12.0")[0].patches, [{ operation: "add", path: "/spec/template/metadata/annotations", value: '{"a":"1","keep":"true"}' }]);
        assert.deepEqual(modifierRules(fixes, "v1.12.2")[0].mergePatches, [{ patchData: '{"spec":{"template":{"metadata":{"annotations":{"keep":"true"}}}}}' }]);
        const bare: KubeObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db" }, spec: { template: {} } };
        assert.deepEqual(modifierRules([objectFix(bare, "statefulsets.apps", [{ op: "set", path: "/spec/template/metadata/annotations/keep", value: "true" }])], "v1.12.0")[0].patches, [
            { operation: "add", path: "/spec/template/metadata", value: '{"annotations":{"keep":"true"}}' },
        ], "missing maps are added as one value");
    });

    it("writes one element once, however many edits of a fix reach it, and nothing for a map that is not there", () => {
        const two = [{ op: "set", path: "/spec/template/spec/containers/0/image", value: "api:2" }, { op: "set", path: "/spec/template/spec/containers/0/imagePullPolicy", value: "Always" }] satisfies FixEdit[];
        assert.deepEqual(modifierRules([objectFix(deploy, "deployments.apps", two)], "v1.18.2")[0].strategicPatches, [
            { patchData: '{"spec":{"template":{"spec":{"containers":[{"name":"api","image":"api:2","imagePullPolicy":"Always"}]}}}}' },
        ]);
        const clear = [{ op: "unset", path: "/spec/template/metadata/labels/x" }, ...two] satisfies FixEdit[];
        assert.deepEqual(modifierRules([objectFix(deploy, "deployments.apps", clear)], "v1.12.0")[0].patches, [
            { operation: "test", path: "/spec/template/spec/containers/0/name", value: "api" },
            { operation: "add", path: "/spec/template/spec/containers/0/image", value: "api:2" },
            { operation: "add", path: "/spec/template/spec/containers/0/imagePullPolicy", value: "Always" },
        ]);
    });

    it("from v1.12.2 sets a string plainly even where an older Velero needs its whole map", () => {
        // Two containers named "api": no strategic key, so JSON patches, pasted by v1.12.2's rules.
        const twins: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" }, spec: { template: { spec: { containers: [{ name: "api" }, { name: "api", image: "x" }] } } } };
        const fix = objectFix(twins, "deployments.apps", [{ op: "set", path: "/spec/template/spec/containers/1/image", value: "true" }]);
        assert.deepEqual(modifierRules([fix], "v1.18.2")[0].patches, [{ operation: "add", path: "/spec/template/spec/containers/1/image", value: '"true"' }]);
    });

    it("labels the ConfigMap as tke2eks's and keeps the modifiers under resource-modifiers.yaml unless told", () => {
        const mods = resourceModifiers([objectFix(svc, "services", [{ op: "set", path: "/spec/type", value: "ClusterIP" }])], "v1.18.2");
        const cm = modifierConfigMap(mods);
        assert.deepEqual(cm.metadata, { name: "tke2eks-restore-modifiers", namespace: "velero", labels: { "app.kubernetes.io/managed-by": "tke2eks" } });
        assert.deepEqual(Object.keys(cm.data as object), ["resource-modifiers.yaml"]);
        assert.deepEqual(Object.keys(modifierConfigMap(mods, { key: "m.yaml" }).data as object), ["m.yaml"]);
        // YAML 1.1 (Velero's go-yaml v2) reads a bare on or yes as a boolean: the rendering quotes them.
        const text = renderConfigMap({ ...cm, metadata: { name: "on", namespace: "yes" } });
        assert.deepEqual((parse(text, { version: MODIFIER_YAML_VERSION }) as { metadata: unknown }).metadata, { name: "on", namespace: "yes" });
    });

    it("reports a fix that cannot be resolved and keeps the others", () => {
        const r = resolveFixes(svc, [[{ op: "unset", path: "/spec/ports/4/nodePort" }], [{ op: "set", path: "/spec/type", value: "ClusterIP" }]]);
        assert.equal(r.fixes.length, 1);
        assert.match(r.problems[0], /\/spec\/ports\/4\/nodePort: no element 4/);
        const odd = resolveFixes({ spec: { ports: [3] } }, [[{ op: "unset", path: "/spec/ports/0/nodePort" }]]);
        assert.match(odd.problems[0], /"0" is not a map or list/);
    });

    it("renders a ConfigMap in the Velero namespace that the strict validator accepts after a YAML round trip", () => {
        const sts: KubeObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "orders", namespace: "shop" }, spec: { template: { metadata: { annotations: {} } } } };
        const on: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "yes", namespace: "on" }, spec: { type: "NodePort" } };
        for (const velero of ["v1.12.0", "v1.18.2"]) {
            const mods = resourceModifiers(
                [
                    objectFix(sts, "statefulsets.apps", [{ op: "set", path: "/spec/template/metadata/annotations/eks.tke.cloud.tencent.com~1retain-ip", value: "true" }]),
                    { ...objectFix(on, "services", [{ op: "set", path: "/spec/type", value: "yes" }]), namespace: "on" },
                ],
                velero,
            );
            const text = renderConfigMap(modifierConfigMap(mods, { namespace: "velero-system" }));
            const cm = parse(text, { version: MODIFIER_YAML_VERSION }) as Record<string, unknown>;
            const checked = validateModifierConfigMap(cm, { velero });
            assert.ok(checked.ok, JSON.stringify(checked));
            assert.equal(checked.value.namespace, "velero-system");
            assert.equal(checked.value.name, "tke2eks-restore-modifiers");
            // YAML 1.1 readers (Velero's) must get strings back, not booleans.
            assert.deepEqual(checked.value.modifiers.resourceModifierRules[1].conditions.namespaces, ["on"]);
            const { object, errors } = applyResourceModifiers(checked.value.modifiers, sts, "statefulsets.apps", velero);
            assert.deepEqual(errors, []);
            assert.deepEqual(object.spec, { template: { metadata: { annotations: { "eks.tke.cloud.tencent.com/retain-ip": "true" } } } }, velero);
            assert.equal(applyResourceModifiers(checked.value.modifiers, on, "services", velero).object.spec && (applyResourceModifiers(checked.value.modifiers, on, "services", velero).object.spec as { type: string }).type, "yes");
        }
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

        it("matches every rule against the object as it was from v1.14.0, as patched so far before; patches accumulate", () => {
            const m = mods(`version: v1
resourceModifierRules:
  - conditions: {groupResource: services, matches: [{path: /spec/type, value: NodePort}]}
    patches: [{operation: replace, path: /spec/type, value: ClusterIP}]
  - conditions: {groupResource: services, matches: [{path: /spec/type, value: NodePort}]}
    patches: [{operation: add, path: /metadata/labels/was-nodeport, value: '"true"'}]
`);
            const out = applyResourceModifiers(m, svc("web", "shop"), "services", "v1.18.2").object;
            assert.deepEqual(out.spec, { type: "ClusterIP" });
            assert.deepEqual((out.metadata as { labels: unknown }).labels, { "was-nodeport": "true" });
            const older = applyResourceModifiers(m, svc("web", "shop"), "services", "v1.13.2").object;
            assert.deepEqual((older.metadata as { labels: unknown }).labels, {}, "v1.13 matched the second rule against the patched object");
        });

        it("skips a rule whose patch fails and records its error, the other rules still apply; a failed test skips silently", () => {
            const m = mods(`version: v1
resourceModifierRules:
  - conditions: {groupResource: services}
    patches: [{operation: replace, path: /spec/type, value: ClusterIP}, {operation: remove, path: /spec/ports}]
  - conditions: {groupResource: services}
    mergePatches: [{patchData: '{"metadata": {"labels": {"fixed": "yes"}}}'}]
  - conditions: {groupResource: services}
    patches: [{operation: test, path: /spec/type, value: ClusterIP}, {operation: remove, path: /spec/type}]
`);
            const { object, errors } = applyResourceModifiers(m, svc("web", "shop"), "services", "v1.18.2");
            assert.deepEqual(object.spec, { type: "NodePort" }, "the failing rule changed nothing, the test-guarded one neither");
            assert.deepEqual((object.metadata as { labels: unknown }).labels, { fixed: "yes" });
            assert.equal(errors.length, 1);
            assert.match(errors[0], /^resource modifier rule 0: error in applying JSON Patch .*\/spec\/ports does not exist/);
        });

        it("records Velero's error for each rule that cannot apply, one line naming the rule", () => {
            const svcV1 = svc("web", "shop");
            const errorsOf = (rule: ResourceModifiers["resourceModifierRules"][number], obj: KubeObject = svcV1, velero = "v1.18.2") => {
                const r = applyResourceModifiers({ version: "v1", resourceModifierRules: [{ conditions: { groupResource: "*" } }, rule] }, obj, "services", velero);
                return r.errors;
            };
            assert.deepEqual(errorsOf({ conditions: { groupResource: "services" }, patches: [], mergePatches: [], strategicPatches: [] }), ["resource modifier rule 0: no patch data found", "resource modifier rule 1: no patch data found"]);
            assert.deepEqual(errorsOf({ conditions: { groupResource: "services" }, mergePatches: [{ patchData: "[1]" }] }).slice(1), ['resource modifier rule 1: patch data "[1]" is not a mapping']);
            assert.deepEqual(errorsOf({ conditions: { groupResource: "services" }, patches: [{ operation: "add", path: "", value: "5" }] }).slice(1), ["resource modifier rule 1: the patch replaced the object with something that is not an object"]);
            assert.deepEqual(errorsOf({ conditions: { groupResource: "services" }, patches: [{ operation: "remove", path: "/spec/nope" }] }).slice(1), ["resource modifier rule 1: error in applying JSON Patch operation 0 (remove /spec/nope): /spec/nope does not exist"]);
            const noVersion: KubeObject = { kind: "Service", metadata: { name: "web" } };
            assert.deepEqual(errorsOf({ conditions: { groupResource: "services" }, strategicPatches: [{ patchData: "{}" }] }, noVersion).slice(1), ['resource modifier rule 1: no kind "Service" is registered for version "" in Velero v1.18.2\'s scheme']);
        });

        it("strategic-merges core and snapshot kinds in every Velero, apps and batch from v1.14.0", () => {
            const smp = (apiVersion: string, kind: string, velero: string) =>
                applyResourceModifiers({ version: "v1", resourceModifierRules: [{ conditions: { groupResource: "*" }, strategicPatches: [{ patchData: "metadata: {labels: {moved: 'yes'}}" }] }] }, { apiVersion, kind, metadata: { name: "x" } }, "x", velero);
            for (const velero of ["v1.12.2", "v1.13.2", "v1.14.0"]) {
                for (const [apiVersion, kind] of [["v1", "ConfigMap"], ["snapshot.storage.k8s.io/v1", "VolumeSnapshotClass"]]) {
                    const r = smp(apiVersion, kind, velero);
                    assert.deepEqual([r.errors, r.object.metadata], [[], { name: "x", labels: { moved: "yes" } }], `${apiVersion} ${velero}`);
                }
            }
            for (const [apiVersion, kind] of [["apps/v1", "Deployment"], ["batch/v1", "CronJob"]]) {
                assert.deepEqual(smp(apiVersion, kind, "v1.14.0").errors, [], apiVersion);
                assert.deepEqual(smp(apiVersion, kind, "v1.13.2").errors, [`resource modifier rule 0: no kind "${kind}" is registered for version "${apiVersion}" in Velero v1.13.2's scheme`]);
            }
        });

        it("applies merge patches (RFC 7386) and strategic merge patches on merge keys, refusing kinds the Velero's scheme lacks", () => {
            const m = mods(`version: v1
resourceModifierRules:
  - conditions: {groupResource: deployments.apps}
    strategicPatches:
      - patchData: |
          spec: {template: {spec: {containers: [{name: b, ports: [{containerPort: 81, hostPort: null}]}, {name: c, image: "c:1"}]}}}
  - conditions: {groupResource: deployments.apps}
    mergePatches: [{patchData: '{"spec": {"replicas": null, "paused": true}}'}]
`);
            const d = {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name: "d" },
                spec: { replicas: 2, template: { spec: { containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:1", ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 81, hostPort: 81 }] }] } } },
            };
            const { object, errors } = applyResourceModifiers(m, d, "deployments.apps", "v1.18.2");
            assert.deepEqual(errors, []);
            assert.deepEqual(object.spec, {
                paused: true,
                template: { spec: { containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:1", ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 81 }] }, { name: "c", image: "c:1" }] } },
            });
            const old = applyResourceModifiers(m, d, "deployments.apps", "v1.13.2");
            assert.match(old.errors[0], /no kind "Deployment" is registered for version "apps\/v1"/);
            assert.equal((old.object.spec as { paused: boolean }).paused, true, "the merge patch still applies");
        });
    });
});
