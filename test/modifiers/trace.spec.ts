import { strict as assert } from "node:assert";
import { changedPaths, traceResourceModifiers } from "../../modifiers/trace";
import type { ResourceModifierRule, ResourceModifiers } from "../../modifiers/veleroFormat";
import type { KubeObject } from "../../rules/types";

const deploy = (): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
    spec: { replicas: 3, template: { spec: { containers: [{ name: "web", image: "nginx:1.25" }, { name: "side", image: "busybox" }] } } },
});

describe("modifiers: which rule changed what, and who wins a field", () => {
    it("lists the fields that differ, walking maps and same-length lists", () => {
        const after = structuredClone(deploy());
        (after.spec as { replicas: number }).replicas = 1;
        (after.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[1].image = "busybox:1";
        (after.metadata as Record<string, unknown>).annotations = { a: "b" };
        assert.deepEqual(changedPaths(deploy(), after), [["metadata", "annotations"], ["spec", "replicas"], ["spec", "template", "spec", "containers", "1", "image"]]);
        assert.deepEqual(changedPaths(deploy(), deploy()), []);
    });

    it("names the team's changes by origin and reports the later rule as the winner of a shared field (resource_modifiers.go:94-108)", () => {
        const generated: ResourceModifierRule = { conditions: { groupResource: "deployments.apps", resourceNameRegex: "^web$", namespaces: ["shop"] }, mergePatches: [{ patchData: '{"spec":{"replicas":2}}' }] };
        const merge: ResourceModifierRule = { conditions: { groupResource: "deployments.apps" }, mergePatches: [{ patchData: '{"spec":{"replicas":1},"metadata":{"labels":{"team":"a"}}}' }] };
        const strategic: ResourceModifierRule = {
            conditions: { groupResource: "deployments.apps" },
            strategicPatches: [{ patchData: '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox:1.36"}]}}}}' }],
        };
        const mods: ResourceModifiers = { version: "v1", resourceModifierRules: [generated, merge, strategic] };
        const origins = new Map([
            [merge, "mods.yaml rule 0"],
            [strategic, "mods.yaml rule 1"],
        ]);
        const out = traceResourceModifiers(mods, (r) => origins.get(r), deploy(), "deployments.apps", "v1.18.2");
        assert.deepEqual(out.errors, []);
        const spec = out.object.spec as { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
        assert.equal(spec.replicas, 1, "the later rule's value is what B gets");
        assert.deepEqual(spec.template.spec.containers.map((c) => c.image), ["nginx:1.25", "busybox:1.36"], "the strategic patch merged on the container's name");
        assert.deepEqual(out.notes, [
            "mods.yaml rule 0: changed /metadata/labels/team, /spec/replicas",
            "mods.yaml rule 0 overrides generated fix (rule 0) at /spec/replicas: B gets mods.yaml rule 0's value",
            "mods.yaml rule 1: changed /spec/template/spec/containers/1/image",
        ]);
    });

    it("says nothing of rules that did not match or changed nothing", () => {
        const other: ResourceModifierRule = { conditions: { groupResource: "services" }, mergePatches: [{ patchData: '{"spec":{"type":"ClusterIP"}}' }] };
        const same: ResourceModifierRule = { conditions: { groupResource: "deployments.apps" }, mergePatches: [{ patchData: '{"spec":{"replicas":3}}' }] };
        const out = traceResourceModifiers({ version: "v1", resourceModifierRules: [other, same] }, () => "f rule", deploy(), "deployments.apps", "v1.18.2");
        assert.deepEqual(out.notes, []);
        assert.deepEqual(out.object, deploy());
    });
});
