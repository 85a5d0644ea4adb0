/**
 * Issue 8's restore failures, replayed through Velero 1.18.2's order: the Service restore
 * action (pkg/restore/actions/service_action.go:57-72 clears clusterIP and the auto-assigned
 * nodePorts) runs before the resource modifiers (pkg/restore/restore.go:1462-1468).
 */
import { strict as assert } from "node:assert";
import { modifierConfigMap, renderConfigMap, resourceModifiers } from "../../modifiers/build";
import { applyResourceModifiers } from "../../modifiers/replay";
import { validateModifierConfigMap } from "../../modifiers/validate";
import { Scanner } from "../../preflight/scan";
import { engineOptions } from "../../rules/engine";
import type { FixOptions, KubeObject } from "../../rules/types";
import { parse } from "yaml";
import { MODIFIER_YAML_VERSION } from "../../modifiers/validate";
import type { ResourceModifiers } from "../../modifiers/veleroFormat";

/** A NodePort Service as A's API server returns it: defaults, an allocated nodePort, managedFields. */
function liveNodePortService(): KubeObject {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: "web",
            namespace: "shop",
            uid: "7d4b3c1e-0000-4000-8000-000000000001",
            resourceVersion: "4711",
            creationTimestamp: "2026-11-30T08:00:00Z",
            managedFields: [
                {
                    manager: "kubectl-create",
                    operation: "Update",
                    apiVersion: "v1",
                    fieldsType: "FieldsV1",
                    fieldsV1: { "f:spec": { "f:ports": { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { ".": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {} } }, "f:selector": {}, "f:type": {} } },
                },
            ],
        },
        spec: {
            type: "NodePort",
            clusterIP: "172.16.255.10",
            clusterIPs: ["172.16.255.10"],
            externalTrafficPolicy: "Cluster",
            internalTrafficPolicy: "Cluster",
            ipFamilies: ["IPv4"],
            ipFamilyPolicy: "SingleStack",
            sessionAffinity: "None",
            selector: { app: "web" },
            ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080, nodePort: 31080 }],
        },
        status: { loadBalancer: {} },
    };
}

/** What Velero's Service action leaves (service_action.go:57-60 clusterIP, :66 deleteNodePorts). */
function afterServiceAction(svc: KubeObject): KubeObject {
    const out = structuredClone(svc) as { spec: { clusterIP?: string; clusterIPs?: string[]; ports: { nodePort?: number }[] } };
    delete out.spec.clusterIP;
    delete out.spec.clusterIPs;
    for (const p of out.spec.ports) delete p.nodePort;
    return out as unknown as KubeObject;
}

/** Fields Kubernetes refuses on a ClusterIP Service (pkg/apis/core/validation, ValidateService). */
function refusedOnClusterIP(svc: KubeObject): string[] {
    const spec = svc.spec as Record<string, unknown>;
    if (spec.type !== "ClusterIP") return [`type ${String(spec.type)}`];
    const out: string[] = [];
    const externalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
    if (spec.externalTrafficPolicy !== undefined && !externalIPs) out.push("externalTrafficPolicy");
    for (const f of ["healthCheckNodePort", "loadBalancerIP", "loadBalancerSourceRanges", "loadBalancerClass", "allocateLoadBalancerNodePorts"]) {
        if (spec[f] !== undefined) out.push(f);
    }
    (spec.ports as Record<string, unknown>[]).forEach((p, i) => p.nodePort !== undefined && out.push(`ports[${i}].nodePort`));
    return out;
}

function modifiersFor(objects: KubeObject[], fixes: FixOptions = { nodePortServiceType: "ClusterIP", retainIp: false }) {
    const scanner = new Scanner({ engine: { ...engineOptions("eks"), fixes }, collectFixes: true });
    for (const obj of objects) scanner.add({ item: { obj, origin: { file: "backup.tar.gz" } } as never });
    const report = scanner.finish();
    report.findings.close();
    return report;
}

/** The modifiers for these objects as `velero` reads them back from the ConfigMap, validated for it. */
function modifiers(objects: KubeObject[], velero: string, fixes?: FixOptions): ResourceModifiers {
    const cm = modifierConfigMap(resourceModifiers(modifiersFor(objects, fixes).fixes, velero));
    const check = validateModifierConfigMap(parse(renderConfigMap(cm), { version: MODIFIER_YAML_VERSION }), { velero });
    assert.ok(check.ok, check.ok ? "" : check.errors.join("\n"));
    return check.value.modifiers;
}

/** Applies them as `velero` does; no rule may fail. */
function restore(mods: ResourceModifiers, obj: KubeObject, gr: string, velero: string): KubeObject {
    const { object, errors } = applyResourceModifiers(mods, obj, gr, velero);
    assert.deepEqual(errors, []);
    return object;
}

// The first releases of each format: v1.12.0 (JSON patches, old pasting), v1.12.2 (merge and
// strategic patches of core kinds), v1.14.0 (conditions on the original object, apps/batch in the scheme).
const LINES = ["v1.12.0", "v1.12.4", "v1.13.2", "v1.14.0", "v1.18.2"];

describe("modifiers: issue 8 regressions", () => {
    for (const velero of LINES) {
        describe(`Velero ${velero}`, () => {
            it("(1) a live NodePort Service patched to ClusterIP keeps no field B refuses", () => {
                const svc = liveNodePortService();
                const restored = restore(modifiers([svc], velero), afterServiceAction(svc), "services", velero);
                assert.deepEqual(refusedOnClusterIP(restored), []);
                assert.deepEqual((restored.spec as { ports: unknown }).ports, [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }]);
            });

            it("(1) also when the fixes come from a manifest without the server's defaults", () => {
                const manifest: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ name: "http", port: 80 }] } };
                const live = liveNodePortService();
                Object.assign(live.spec as object, { loadBalancerSourceRanges: ["10.0.0.0/8"], allocateLoadBalancerNodePorts: true });
                const restored = restore(modifiers([manifest], velero), afterServiceAction(live), "services", velero);
                assert.deepEqual(refusedOnClusterIP(restored), []);
            });

            it("(1) NodePort → LoadBalancer keeps what a LoadBalancer may have", () => {
                const svc = liveNodePortService();
                const restored = restore(modifiers([svc], velero, { nodePortServiceType: "LoadBalancer", retainIp: false }), afterServiceAction(svc), "services", velero);
                const spec = restored.spec as Record<string, unknown>;
                assert.equal(spec.type, "LoadBalancer");
                assert.equal(spec.externalTrafficPolicy, "Cluster");
                assert.deepEqual(spec.ports, [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }]);
            });

            it("(2) the fix applies when Velero's Service action already dropped an explicit nodePort", () => {
                const svc = liveNodePortService();
                // An explicit nodePort (in last-applied-configuration) the fix removes, then gone before the modifiers run.
                (svc.metadata as Record<string, unknown>).annotations = {
                    "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({ spec: { type: "NodePort", ports: [{ name: "http", port: 80, nodePort: 31080 }] } }),
                };
                const restored = restore(modifiers([svc], velero), afterServiceAction(svc), "services", velero);
                assert.deepEqual(refusedOnClusterIP(restored), []);
            });

            it("(2) one fix that cannot apply does not drop the object's other fixes", () => {
                const deploy: KubeObject = {
                    apiVersion: "apps/v1",
                    kind: "Deployment",
                    metadata: { name: "api", namespace: "shop", annotations: { "tke.cloud.tencent.com/enable-static-ip": "true" } },
                    spec: { template: { metadata: { annotations: { "tke.cloud.tencent.com/networks": "tke-route-eni" } }, spec: { containers: [{ name: "api", image: "api:1", ports: [{ containerPort: 8080, hostPort: 8080 }] }] } } },
                };
                const mods = modifiers([deploy], velero);
                // Something before the modifiers already took the controller's own annotation away.
                const restored = structuredClone(deploy) as { metadata: { annotations?: unknown }; spec: { template: { metadata: { annotations: Record<string, string> }; spec: { containers: { ports: Record<string, unknown>[] }[] } } } };
                delete restored.metadata.annotations;
                const { object, errors } = applyResourceModifiers(mods, restored as unknown as KubeObject, "deployments.apps", velero);
                const out = object as unknown as typeof restored;
                // A JSON patch cannot clear a member of a map that is gone: that one rule fails, alone.
                assert.ok(errors.length <= 1, errors.join("\n"));
                assert.equal(out.spec.template.spec.containers[0].ports[0].hostPort, undefined, "the hostPort fix still applies");
                assert.deepEqual(out.spec.template.metadata.annotations, {}, "the ENI annotation fix still applies");
            });

            it("(4) a target with retainIp gets modifiers it reads, and they set the annotation as a string", () => {
                const sts: KubeObject = {
                    apiVersion: "apps/v1",
                    kind: "StatefulSet",
                    metadata: { name: "db", namespace: "shop" },
                    spec: { template: { metadata: { annotations: { "tke.cloud.tencent.com/enable-static-ip": "true", team: "data" } }, spec: { containers: [{ name: "db", image: "db:1" }] } } },
                };
                const restored = restore(modifiers([sts], velero, { nodePortServiceType: "ClusterIP", retainIp: true }), sts, "statefulsets.apps", velero);
                assert.deepEqual((restored.spec as { template: { metadata: unknown } }).template.metadata, { annotations: { team: "data", "eks.tke.cloud.tencent.com/retain-ip": "true" } });
            });
        });
    }
});
