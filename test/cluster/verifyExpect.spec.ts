/** What B should hold after a Restore, from Velero's resource list and the Restore's spec. */
import { strict as assert } from "node:assert";
import { gzipSync } from "node:zlib";
import { expectedInB, guessResource, type RestoreScope } from "../../cluster/verifyExpect";
import { parseResourceList } from "../../cluster/verifyResourceList";

/** Velero's own example (pkg/backup/request_test.go, TestRequest_BackupResourceList, v1.18.2). */
const VELERO_EXAMPLE = { "apps/v1/Deployment": ["default/my-deploy"], "v1/Pod": ["ns1/pod1", "ns2/pod2"], "v1/PersistentVolume": ["my-pv"] };

const PLURALS: Record<string, string> = { Deployment: "deployments", Service: "services", ConfigMap: "configmaps", Namespace: "namespaces", ClusterRole: "clusterroles", Secret: "secrets" };
const served = (_apiVersion: string, kind: string) => PLURALS[kind];

function names(scope: RestoreScope, list: Record<string, string[]>): string[] {
    return expectedInB(parseResourceList(Buffer.from(JSON.stringify(list)), "test"), scope, served).expected.map((o) => `${o.kind} ${o.namespace ?? "-"}/${o.name} ${o.resource}`);
}

describe("verify: the backup's resource list", () => {
    it("reads Velero's format, gzipped or not: group/version/Kind keys, namespace/name or name entries", () => {
        const expected = [
            { apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "my-deploy" },
            { apiVersion: "v1", kind: "Pod", namespace: "ns1", name: "pod1" },
            { apiVersion: "v1", kind: "Pod", namespace: "ns2", name: "pod2" },
            { apiVersion: "v1", kind: "PersistentVolume", name: "my-pv" },
        ];
        assert.deepEqual(parseResourceList(gzipSync(JSON.stringify(VELERO_EXAMPLE)), "x"), expected);
        assert.deepEqual(parseResourceList(Buffer.from(JSON.stringify(VELERO_EXAMPLE)), "x"), expected);
        assert.throws(() => parseResourceList(Buffer.from([0x1f, 0x8b, 1, 2, 3]), "backups/a/a-resource-list.json.gz"), /^UserError: backups\/a\/a-resource-list\.json\.gz: not a readable gzip file/);
    });
});

describe("verify: what B should hold", () => {
    const LIST = {
        "v1/Namespace": ["shop", "minio", "tools"],
        "apps/v1/Deployment": ["shop/web", "minio/minio", "tools/debug"],
        "v1/Service": ["shop/web"],
        "v1/ConfigMap": ["shop/settings"],
        "rbac.authorization.k8s.io/v1/ClusterRole": ["shop-reader"],
        "velero.io/v1/Backup": ["velero/old"],
        "storage.k8s.io/v1/VolumeAttachment": ["csi-123"],
        "v1/Secret": ["shop/token"],
    };

    it("maps namespaces, keeps cluster-scoped objects only when the Restore takes every namespace or asks for them", () => {
        assert.deepEqual(names({ namespaceMapping: { minio: "storage" } }, LIST), [
            "Namespace -/shop namespaces",
            "Namespace -/storage namespaces",
            "Namespace -/tools namespaces",
            "Deployment shop/web deployments.apps",
            "Deployment storage/minio deployments.apps",
            "Deployment tools/debug deployments.apps",
            "Service shop/web services",
            "ConfigMap shop/settings configmaps",
            "ClusterRole -/shop-reader clusterroles.rbac.authorization.k8s.io",
            "Secret shop/token secrets",
        ]);
        const some = names({ includedNamespaces: ["shop", "minio"], excludedNamespaces: ["minio"] }, LIST);
        assert.deepEqual(some, ["Namespace -/shop namespaces", "Deployment shop/web deployments.apps", "Service shop/web services", "ConfigMap shop/settings configmaps", "Secret shop/token secrets"]);
        assert.ok(names({ includedNamespaces: ["shop"], includeClusterResources: true }, LIST).includes("ClusterRole -/shop-reader clusterroles.rbac.authorization.k8s.io"));
        assert.ok(!names({ includeClusterResources: false }, LIST).some((n) => n.startsWith("ClusterRole")));
    });

    it("follows the Restore's resource filters by resource or resource.group, and says why each object is left out", () => {
        assert.deepEqual(names({ includedNamespaces: ["shop"], includedResources: ["deployments.apps", "services"] }, LIST), ["Deployment shop/web deployments.apps", "Service shop/web services"]);
        assert.deepEqual(names({ includedNamespaces: ["shop"], excludedResources: ["deployments", "secrets", "namespaces"] }, LIST), ["Service shop/web services", "ConfigMap shop/settings configmaps"]);
        const { leftOut } = expectedInB(parseResourceList(Buffer.from(JSON.stringify(LIST)), "t"), { includedNamespaces: ["shop"], excludedResources: ["secrets"] }, served);
        assert.deepEqual(leftOut, {
            "Backup: Velero does not restore it": 1,
            "VolumeAttachment: Velero does not restore it": 1,
            "Namespace: outside the Restore's namespaces": 2,
            "Deployment: outside the Restore's namespaces": 2,
            "ClusterRole: cluster-scoped, left out by the Restore (includeClusterResources)": 1,
            "Secret: in the Restore's excludedResources": 1,
        });
    });

    it("names kinds B does not serve the way Kubernetes guesses them", () => {
        assert.deepEqual(["Ingress", "NetworkPolicy", "Endpoints", "Deployment"].map(guessResource), ["ingresses", "networkpolicies", "endpoints", "deployments"]);
    });
});
