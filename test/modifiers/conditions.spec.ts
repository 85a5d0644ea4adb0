/**
 * What a resource modifier rule selects (Velero's conditions, internal/resourcemodifiers/
 * resource_modifiers.go:112-160 at v1.18.2) and how a strategic patch names list elements
 * (the lists' patchMergeKey in k8s.io/api).
 */
import { strict as assert } from "node:assert";
import { mergeKeyOf, uniqueKeyValue } from "../../modifiers/mergeKeys";
import { ruleMatches } from "../../modifiers/replay";
import type { LabelSelector } from "../../modifiers/veleroFormat";
import type { KubeObject } from "../../rules/types";

const svc = (labels: Record<string, string> = {}, namespace = "shop"): KubeObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace, labels },
    spec: { type: "NodePort" },
});

describe("modifiers: a rule's conditions", () => {
    const selects = (labelSelector: LabelSelector, labels: Record<string, string>) => ruleMatches({ groupResource: "services", labelSelector }, svc(labels), "services");

    it("reads label selectors as Kubernetes does: NotIn and DoesNotExist hold for a missing label", () => {
        assert.equal(selects({ matchLabels: { app: "web" } }, { app: "web", tier: "front" }), true);
        assert.equal(selects({ matchLabels: { app: "web" } }, { app: "api" }), false);
        assert.equal(selects({ matchLabels: { app: "web" } }, {}), false);
        const expr = (operator: string, values?: string[]): LabelSelector => ({ matchExpressions: [{ key: "app", operator, ...(values ? { values } : {}) }] });
        assert.equal(selects(expr("In", ["web", "api"]), { app: "api" }), true);
        assert.equal(selects(expr("In", ["web"]), { app: "api" }), false);
        assert.equal(selects(expr("In", ["web"]), {}), false);
        assert.equal(selects(expr("NotIn", ["web"]), { app: "api" }), true);
        assert.equal(selects(expr("NotIn", ["web"]), { app: "web" }), false);
        assert.equal(selects(expr("NotIn", ["web"]), {}), true);
        assert.equal(selects(expr("Exists"), { app: "" }), true);
        assert.equal(selects(expr("Exists"), { tier: "front" }), false);
        assert.equal(selects(expr("DoesNotExist"), {}), true);
        // Every expression must hold.
        assert.equal(selects({ matchExpressions: [{ key: "app", operator: "Exists" }, { key: "tier", operator: "In", values: ["back"] }] }, { app: "web", tier: "front" }), false);
    });

    it("checks namespaces only for namespaced objects, any of the globs matching", () => {
        const c = { groupResource: "services", namespaces: ["other", "shop*"] };
        assert.equal(ruleMatches(c, svc({}, "shop-eu"), "services"), true);
        assert.equal(ruleMatches(c, svc({}, "prod"), "services"), false);
        // resource_modifiers.go:114-120: the namespace filter is skipped when the object has none.
        assert.equal(ruleMatches(c, { ...svc(), metadata: { name: "web" } }, "services"), true);
        assert.equal(ruleMatches({ groupResource: "services", namespaces: [] }, svc({}, "prod"), "services"), true);
    });

    it("answers false, not a throw, when a match's path is missing or its value differs", () => {
        const c = (path: string, value: string) => ({ groupResource: "services", matches: [{ path, value }] });
        assert.equal(ruleMatches(c("/spec/type", "NodePort"), svc(), "services"), true);
        assert.equal(ruleMatches(c("/spec/type", "ClusterIP"), svc(), "services"), false);
        assert.equal(ruleMatches(c("/spec/ports/0/port", "80"), svc(), "services"), false);
    });
});

describe("modifiers: strategic-merge keys", () => {
    const deploy: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" }, spec: { template: { spec: { containers: [] } } } };
    const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [] } };
    const tokens = (path: string) => path.split("/");

    it("names the key of each list a fix reaches into, under the object's own Pod spec", () => {
        assert.equal(mergeKeyOf(svc(), tokens("spec/ports")), "port");
        for (const [obj, spec] of [[deploy, "spec/template/spec"], [pod, "spec"]] as const) {
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/containers`)), "name", spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/initContainers`)), "name", spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/volumes`)), "name", spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/containers/0/ports`)), "containerPort", spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/ephemeralContainers/12/ports`)), "containerPort", spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/initContainers/1/env`)), "name", spec);
            // Lists without a merge key are replaced whole.
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/containers/0/args`)), undefined, spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/tolerations`)), undefined, spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/containers/0/ports/0/x`)), undefined, spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/volumes/0/projected/sources`)), undefined, spec);
            // Only array indices stand for an element.
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/containers/a1/ports`)), undefined, spec);
            assert.equal(mergeKeyOf(obj, tokens(`${spec}/containers/1a/ports`)), undefined, spec);
        }
        assert.equal(mergeKeyOf(deploy, tokens("spec/ports")), undefined, "a Service's ports only");
        assert.equal(mergeKeyOf(deploy, tokens("spec/containers")), undefined, "outside the Deployment's Pod template");
        assert.equal(mergeKeyOf(deploy, tokens("spec/template/specs/containers")), undefined);
        assert.equal(mergeKeyOf({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, tokens("data/containers")), undefined);
    });

    it("names an element by its key only when no other element shares the value", () => {
        const ports = [{ containerPort: 80 }, { containerPort: 443 }, "odd", { containerPort: 80, protocol: "UDP" }];
        assert.equal(uniqueKeyValue(ports, 1, "containerPort"), 443);
        assert.equal(uniqueKeyValue(ports, 0, "containerPort"), undefined, "two elements have 80");
        assert.equal(uniqueKeyValue(ports, 2, "containerPort"), undefined);
        assert.equal(uniqueKeyValue([null, { name: "a" }], 0, "name"), undefined);
        assert.equal(uniqueKeyValue([{ name: "a" }, { name: "b" }], 0, "name"), "a");
        assert.equal(uniqueKeyValue([{ name: true }], 0, "name"), undefined, "only strings and numbers name elements");
    });
});
