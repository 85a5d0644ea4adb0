import { strict as assert } from "node:assert";
import { applyMappings, mappingsTouch, mappingConfigMaps, type RestoreMappings } from "../../restore/mappings";
import type { KubeObject } from "../../rules/types";

const m: RestoreMappings = { storageClass: { "cbs-csi": "gp3" }, image: { "ccr.ccs.tencentyun.com/team": "123456789012.dkr.ecr.ap-east-1.amazonaws.com/team" } };

describe("restore: StorageClass and image mapping (Velero's change-storage-class and change-image-name actions)", () => {
    it("labels one ConfigMap per action for GetPluginConfig's selector, in Velero's namespace (plugin_config.go:29-58)", () => {
        const [sc, img] = mappingConfigMaps(m, "velero");
        assert.deepEqual(record(sc.metadata).labels, { "velero.io/plugin-config": "", "velero.io/change-storage-class": "RestoreItemAction", "app.kubernetes.io/managed-by": "tke2eks" });
        assert.equal(record(sc.metadata).namespace, "velero");
        assert.deepEqual(sc.data, { "cbs-csi": "gp3" });
        assert.equal(record(record(img.metadata).labels)["velero.io/change-image-name"], "RestoreItemAction");
        // Each row "<old>,<new>" (change_image_name_action.go:189-207).
        assert.deepEqual(Object.values(img.data as object), ["ccr.ccs.tencentyun.com/team,123456789012.dkr.ecr.ap-east-1.amazonaws.com/team"]);
        assert.deepEqual(mappingConfigMaps({ storageClass: {}, image: {} }, "velero"), [], "no mapping, no ConfigMap");
    });

    it("maps a claim's and a StatefulSet template's class, not a class that is not mapped (change_storageclass_action.go:93-141)", () => {
        const pvc: KubeObject = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data" }, spec: { storageClassName: "cbs-csi" } };
        const out = applyMappings(m, "persistentvolumeclaims", pvc);
        assert.equal(record(out.object.spec).storageClassName, "gp3");
        assert.match(out.changes[0], /storageClassName cbs-csi → gp3/);
        const sts: KubeObject = {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { name: "db" },
            spec: { volumeClaimTemplates: [{ spec: { storageClassName: "cbs" } }, { spec: { storageClassName: "cbs-csi" } }], template: { spec: { containers: [] } } },
        };
        const tpl = record(applyMappings(m, "statefulsets.apps", sts).object.spec).volumeClaimTemplates as { spec: { storageClassName: string } }[];
        assert.deepEqual(tpl.map((t) => t.spec.storageClassName), ["cbs", "gp3"]);
        assert.equal(pvc.spec && record(pvc.spec).storageClassName, "cbs-csi", "the input is not changed");
    });

    it("replaces every occurrence of the mapped part in the images of the containers Velero rewrites (change_image_name_action.go:104-207)", () => {
        const cron: KubeObject = {
            apiVersion: "batch/v1",
            kind: "CronJob",
            metadata: { name: "c" },
            spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "a", image: "ccr.ccs.tencentyun.com/team/job:1" }, { name: "b", image: "busybox" }], initContainers: [{ name: "i", image: "ccr.ccs.tencentyun.com/team/init:1" }] } } } } },
        };
        const out = applyMappings(m, "cronjobs.batch", cron);
        const spec = record(record(record(record(out.object.spec).jobTemplate).spec).template).spec as { containers: { image: string }[]; initContainers: { image: string }[] };
        assert.deepEqual(spec.containers.map((c) => c.image), ["123456789012.dkr.ecr.ap-east-1.amazonaws.com/team/job:1", "busybox"]);
        assert.equal(spec.initContainers[0].image, "123456789012.dkr.ecr.ap-east-1.amazonaws.com/team/init:1");
        assert.equal(out.changes.length, 2);
        const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "a", image: "x/team:team" }] } };
        assert.equal((applyMappings({ storageClass: {}, image: { team: "crew" } }, "pods", pod).object.spec as { containers: { image: string }[] }).containers[0].image, "x/crew:crew", "strings.Replace with n = -1");
    });

    it("warns when two rows match one image: Go ranges over the ConfigMap in random order", () => {
        const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "a", image: "reg.a/app:1" }] } };
        const out = applyMappings({ storageClass: {}, image: { "reg.a": "reg.b", "app:1": "app:2" } }, "pods", pod);
        assert.ok(out.changes.some((n) => /also holds "app:1": Velero picks one row at random/.test(n)), out.changes.join("\n"));
    });

    it("builds only the resources the actions run for", () => {
        assert.equal(mappingsTouch(m, "persistentvolumes"), true);
        assert.equal(mappingsTouch(m, "deployments.apps"), true);
        assert.equal(mappingsTouch(m, "configmaps"), false);
        assert.equal(mappingsTouch({ storageClass: {}, image: {} }, "pods"), false);
    });
});

function record(v: unknown): Record<string, unknown> {
    return v as Record<string, unknown>;
}
