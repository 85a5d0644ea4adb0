/**
 * Which nodePorts Velero v1.18.2's Service restore action keeps (deleteNodePorts,
 * pkg/restore/actions/service_action.go:148-232): named ports by name and unnamed ones by
 * nodePort from last-applied-configuration, else ports whose nodePort managedFields own.
 */
import { strict as assert } from "node:assert";
import { veleroKeepsNodePort } from "../../rules/veleroNodePorts";
import type { KubeObject } from "../../rules/types";

const svc = (metadata: Record<string, unknown>): KubeObject => ({ apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop", ...metadata }, spec: { type: "NodePort" } });

describe("the nodePorts Velero keeps", () => {
    it("knows nothing of a manifest that carries neither record", () => {
        assert.equal(veleroKeepsNodePort(svc({})), undefined);
        assert.equal(veleroKeepsNodePort(svc({ managedFields: [] })), undefined);
    });

    it("keeps what last-applied-configuration set: named ports by name, unnamed ones by nodePort", () => {
        const applied = {
            spec: {
                ports: [
                    { name: "http", port: 80, nodePort: 30080 },
                    { name: "https", port: 443 },
                    { name: "zero", port: 8080, nodePort: 0 },
                    { port: 53, nodePort: "30053" },
                    "junk",
                ],
            },
        };
        const keeps = veleroKeepsNodePort(svc({ annotations: { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(applied) } }));
        assert.ok(keeps);
        const cases: [Record<string, unknown>, boolean][] = [
            [{ name: "http", port: 80, nodePort: 31000 }, true],
            [{ name: "https", port: 443, nodePort: 30443 }, false],
            [{ name: "zero", port: 8080, nodePort: 30001 }, false],
            [{ name: "other", port: 81, nodePort: 30080 }, false],
            [{ port: 53, nodePort: 30053 }, true],
            [{ name: "", port: 53, nodePort: 30053 }, true],
            [{ port: 54, nodePort: 30054 }, false],
            [{ port: 8080, nodePort: 0 }, false],
        ];
        for (const [port, kept] of cases) assert.equal(keeps(port), kept, JSON.stringify(port));
    });

    it("keeps, without last-applied-configuration, the ports whose nodePort a manager owns, keyed by port and protocol", () => {
        const managedFields = [
            { manager: "kube-controller-manager", fieldsV1: { "f:spec": { "f:ports": { 'k:{"port":80,"protocol":"TCP"}': { ".": {}, "f:port": {} } } } } },
            { manager: "kubectl", fieldsV1: { "f:spec": { "f:ports": { 'k:{"port":443,"protocol":"TCP"}': { "f:nodePort": {} }, 'k:{"port":53,"protocol":"UDP"}': { "f:nodePort": {} } } } } },
            { manager: "other", fieldsV1: { "f:metadata": {} } },
        ];
        const keeps = veleroKeepsNodePort(svc({ managedFields }));
        assert.ok(keeps);
        assert.equal(keeps({ port: 443, protocol: "TCP", nodePort: 30443 }), true);
        assert.equal(keeps({ port: 53, protocol: "UDP", nodePort: 30053 }), true);
        assert.equal(keeps({ port: 53, protocol: "TCP", nodePort: 30053 }), false);
        assert.equal(keeps({ port: 80, protocol: "TCP", nodePort: 30080 }), false, "owned port, but not its nodePort");
        assert.equal(keeps({ port: 443, nodePort: 30443 }), false, "keyed with the protocol as written");
    });
});
