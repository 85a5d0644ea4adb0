/** The Restore exclusions: only a namespace or group-resource whose every object is refused is left out. */
import { strict as assert } from "node:assert";
import { ExclusionTally, exclusionsYaml } from "../../preflight/exclusions";
import type { ObjectRef } from "../../rules";

const ref = (kind: string, namespace: string | undefined, name: string): ObjectRef => ({ apiVersion: "v1", kind, ...(namespace ? { namespace } : {}), name });

describe("Restore exclusions", () => {
    it("keeps a namespace where one object of several is refused, and lists that object as remaining", () => {
        const tally = new ExclusionTally();
        tally.add(ref("Service", "shop", "web"), "services", ["eks-no-nodeport-service"]);
        tally.add(ref("Service", "shop", "api"), "services", []);
        tally.add(ref("ConfigMap", "shop", "settings"), "configmaps", []);
        assert.deepEqual(tally.result(), {
            excludedResources: [],
            excludedNamespaces: [],
            remaining: [{ ref: ref("Service", "shop", "web"), groupResource: "services", rules: ["eks-no-nodeport-service"] }],
        });
    });

    it("leaves out a namespace and a group-resource whose every object is refused; what they cover is not remaining", () => {
        const tally = new ExclusionTally();
        tally.add(ref("DaemonSet", "monitoring", "node-exporter"), "daemonsets.apps", ["eks-no-daemonset"]);
        tally.add(ref("Pod", "monitoring", "probe"), "pods", ["eks-host-network"]);
        tally.add(ref("DaemonSet", "logging", "fluentd"), "daemonsets.apps", ["eks-no-daemonset"]);
        tally.add(ref("ConfigMap", "logging", "fluentd"), "configmaps", []);
        tally.add(ref("Pod", "shop", "web"), "pods", []);
        tally.add(ref("Pod", "shop", "debug"), "pods", ["eks-host-network"]);
        tally.add(ref("Namespace", undefined, "shop"), "namespaces", []);
        const result = tally.result();
        assert.deepEqual(result.excludedResources, ["daemonsets.apps"]);
        assert.deepEqual(result.excludedNamespaces, ["monitoring"]);
        assert.deepEqual(result.remaining, [{ ref: ref("Pod", "shop", "debug"), groupResource: "pods", rules: ["eks-host-network"] }]);
        assert.equal(exclusionsYaml(result).split("\n").slice(1, 5).join("\n"), "excludedResources:\n  - daemonsets.apps\nexcludedNamespaces:\n  - monitoring");
    });
});
