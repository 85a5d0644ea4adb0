/**
 * The helpers every rule reads objects with: JSON pointers (RFC 6901), object references as
 * findings name them, Kubernetes quantities, the catalogue and which rules the engine runs.
 */
import { strict as assert } from "node:assert";
import { checkObject, engineOptions, RULE_IDS, type KubeObject } from "../../rules";
import { ruleById } from "../../rules/catalogue";
import { describe as describeRef, metadataEntryFix, refOf, resolvePointer } from "../../rules/objects";
import { parseQuantity } from "../../rules/quantity";
import type { RuleId } from "../../rules";
import { check } from "../support/rules";

describe("rule helpers", () => {
    it("resolve a JSON pointer only through real members and array indices", () => {
        const obj = { a: { "b/c": [10, 20], "": 1 }, bc: 2 };
        assert.equal(resolvePointer(obj, "/a/b~1c/1"), 20);
        assert.equal(resolvePointer(obj, "/a/"), 1);
        assert.equal(resolvePointer(obj, "bc"), undefined, "a pointer starts with /");
        for (const index of ["01", "1 ", "+1", "-", "2"]) assert.equal(resolvePointer(obj, `/a/b~1c/${index}`), undefined, index);
        assert.equal(resolvePointer(obj, "/a/toString"), undefined, "inherited members are not members");
    });

    it("reference an object by what it has, and describe it for messages", () => {
        assert.deepEqual(refOf({ kind: "Pod", metadata: { name: 5 } }), { apiVersion: "", kind: "Pod" });
        assert.deepEqual(refOf({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "shop" } }, "file.yaml"), { apiVersion: "v1", kind: "Pod", namespace: "shop", name: "p", source: "file.yaml" });
        assert.equal(describeRef({ apiVersion: "v1", kind: "Pod", namespace: "", name: "p" }), "Pod p");
        assert.equal(describeRef({ apiVersion: "v1", kind: "Namespace", name: "shop" }), "Namespace shop");
        assert.equal(describeRef({ apiVersion: "v1", kind: "" }), "object");
    });

    it("set a metadata entry only where the metadata's parent exists", () => {
        const tpl: KubeObject = { kind: "Deployment", spec: { template: {} } };
        assert.deepEqual(metadataEntryFix(tpl, "/spec/template/metadata", "labels", "a/b", "x"), [{ op: "set", path: "/spec/template/metadata/labels/a~1b", value: "x" }]);
        assert.deepEqual(metadataEntryFix(tpl, "/spec/jobTemplate/spec/template/metadata", "annotations", "a", "x"), []);
    });

    it("read quantities as Kubernetes writes them", () => {
        assert.equal(parseQuantity(5), 5);
        assert.equal(parseQuantity(Number.POSITIVE_INFINITY), undefined);
        assert.equal(parseQuantity(" 2Gi "), 2 * 2 ** 30);
        assert.equal(parseQuantity("1e3"), 1000);
        assert.equal(parseQuantity("25E-1"), 2.5);
        assert.equal(parseQuantity("500m"), 0.5);
        assert.equal(parseQuantity("1.5G"), 1.5e9);
        for (const bad of ["", "Gi", "1GiB", "1 Gi", "1e", null]) assert.equal(parseQuantity(bad), undefined, String(bad));
    });

    it("find each rule by its ID, and none by another", () => {
        for (const id of RULE_IDS) assert.equal(ruleById(id).id, id);
        assert.throws(() => ruleById("eks-nothing" as RuleId), /^Error: no rule eks-nothing in the catalogue$/);
    });

    it("run no disabled rule, and name an unnamed container by its index", () => {
        const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ resources: { limits: { "rdma/hca": "1" } } }] } };
        assert.equal(checkObject(pod, { ...engineOptions(), only: ["eks-no-rdma"], levels: { "eks-no-rdma": "disabled" } }).length, 0);
        assert.match(check("eks-no-rdma", pod)[0].message, /^container "#0" limits the RDMA resource rdma\/hca at \/spec\/containers\/0\/resources\/limits\/rdma~1hca: /);
    });
});
