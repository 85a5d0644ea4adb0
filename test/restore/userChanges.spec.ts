/**
 * The team's own restore changes: modifier files and the storage-class and image mappings,
 * from the config keys to the ConfigMaps Velero reads and the preview of what B gets.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigError, loadMigrationConfig, type MigrationConfig } from "../../config";
import { modifierConfigMap } from "../../modifiers/build";
import { traceResourceModifiers } from "../../modifiers/trace";
import { originRules } from "../../modifiers/userRules";
import { validateModifierConfigMap } from "../../modifiers/validate";
import { applyMappings, mappingConfigMaps, type RestoreMappings } from "../../restore/mappings";
import { ownedObjectsSelector } from "../../restore/ownership";
import { restoreFixes, type RestoreFixes } from "../../restore/stageFixes";
import { pipelineFor } from "../../restore/stack";
import { engineOptions } from "../../rules/engine";
import type { KubeObject } from "../../rules/types";
import { PROJECT_DIR, rawConfig } from "../config/support";

const EXAMPLE = "examples/restore-changes/team-modifiers.yaml";

function load(restore: Record<string, unknown>): MigrationConfig {
    return loadMigrationConfig(rawConfig({ restore }), { projectDir: PROJECT_DIR, stack: "test" });
}

function issues(restore: Record<string, unknown>): string[] {
    try {
        load(restore);
    } catch (err) {
        if (err instanceof ConfigError) return err.issues.map((i) => `${i.key} = ${i.value ?? ""}: ${i.message}`);
        throw err;
    }
    return assert.fail("the config loaded");
}

function tmpFile(name: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-changes-"));
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
}

const deployment = (image = "ccr.ccs.tencentyun.com/shop/web:2.4.1"): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
    spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image, env: [{ name: "MODE", value: "prod" }] }, { name: "sidecar", image: "docker.io/envoy:1" }] } } },
});

describe("restore changes: the config keys", () => {
    it("reads and validates the modifier files when the config loads, keeping the path as given", () => {
        const c = load({ modifiers: [EXAMPLE] });
        assert.equal(c.restore.modifiers.length, 1);
        assert.equal(c.restore.modifiers[0].given, EXAMPLE);
        assert.deepEqual(
            originRules(c.restore.modifiers).map((r) => r.origin),
            [`${EXAMPLE} rule 0`, `${EXAMPLE} rule 1`],
        );
    });

    it("refuses a file Velero would not read, naming the key, the file and the rule's problem", () => {
        const bad = tmpFile("bad.yaml", "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n  patches: [{operation: add, path: /x, value: 1}]\n  mergePatches: [{patchData: '{}'}]\n");
        const [line, ...rest] = issues({ modifiers: [bad] });
        assert.equal(rest.length, 0);
        assert.match(line, /^tke2eks:restore\.modifiers\[0\] = ".*bad\.yaml": not valid Velero resource modifiers for Velero v1\.\d+\.\d+: .*only one kind of patch/);
    });

    it("refuses a strategic patch of apps objects for a target Velero whose scheme lacks apps/v1 (before v1.14)", () => {
        const out = loadOrIssues({ modifiers: [EXAMPLE] }, "v1.13.2");
        assert.match(out.join("\n"), /restore\.modifiers\[0\].*cannot strategic-merge deployments\.apps/);
    });

    it("refuses a file that cannot be read", () => {
        assert.match(issues({ modifiers: ["no/such/file.yaml"] }).join("\n"), /restore\.modifiers\[0\] = "no\/such\/file\.yaml": cannot be read: ENOENT/);
    });

    it("refuses storage class names that are not names, and image parts with commas (Velero's row delimiter)", () => {
        assert.match(issues({ storageClassMapping: { "CBS SSD": "gp3" } }).join("\n"), /restore\.storageClassMapping.*StorageClass/);
        assert.match(issues({ imageMapping: { "a,b": "c" } }).join("\n"), /restore\.imageMapping.*neither with commas or spaces/);
    });

    it("refuses image parts where one contains another: Velero would pick either row at random", () => {
        const out = issues({ imageMapping: { "ccr.ccs.tencentyun.com": "ecr.example/a", "ccr.ccs.tencentyun.com/shop": "ecr.example/b" } });
        assert.deepEqual(out.length, 1);
        assert.match(out[0], /^tke2eks:restore\.imageMapping\.ccr\.ccs\.tencentyun\.com = "ecr\.example\/a": "ccr\.ccs\.tencentyun\.com" is part of "ccr\.ccs\.tencentyun\.com\/shop"/);
    });
});

function loadOrIssues(restore: Record<string, unknown>, veleroVersion: string): string[] {
    try {
        loadMigrationConfig(rawConfig({ restore, target: { kubeconfig: "examples/clusters/eks-b.kubeconfig.yaml", context: "eks-b", kubernetesVersion: "1.28", veleroVersion } }), { projectDir: PROJECT_DIR, stack: "test" });
    } catch (err) {
        if (err instanceof ConfigError) return err.issues.map((i) => `${i.key}: ${i.message}`);
        throw err;
    }
    return [];
}

describe("restore changes: Velero's change-storage-class and change-image-name actions", () => {
    const m: RestoreMappings = { storageClass: { "cbs-csi": "ebs-gp3" }, image: { "ccr.ccs.tencentyun.com/shop": "123.dkr.ecr.ap-east-1.amazonaws.com/shop" } };

    it("writes the ConfigMaps with the labels the actions select on (change_storageclass_action.go:72, change_image_name_action.go:72)", () => {
        const [sc, img] = mappingConfigMaps(m, "velero");
        assert.deepEqual(sc.metadata, { name: "tke2eks-change-storage-class", namespace: "velero", labels: { "velero.io/plugin-config": "", "velero.io/change-storage-class": "RestoreItemAction", "app.kubernetes.io/managed-by": "tke2eks" } });
        assert.deepEqual(sc.data, { "cbs-csi": "ebs-gp3" });
        assert.equal((img.metadata as { labels: Record<string, string> }).labels["velero.io/change-image-name"], "RestoreItemAction");
        assert.deepEqual(img.data, { case1: "ccr.ccs.tencentyun.com/shop,123.dkr.ecr.ap-east-1.amazonaws.com/shop" });
        assert.deepEqual(mappingConfigMaps({ storageClass: {}, image: {} }, "velero"), [], "no ConfigMap for an empty mapping");
    });

    it("replaces the matching part of each container's image, in templates, CronJobs and Pods, and leaves others", () => {
        const out = applyMappings(m, "deployments.apps", deployment());
        const containers = (out.object as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers;
        assert.deepEqual(containers.map((c) => c.image), ["123.dkr.ecr.ap-east-1.amazonaws.com/shop/web:2.4.1", "docker.io/envoy:1"]);
        assert.deepEqual(out.changes.length, 1);
        assert.match(out.changes[0], /^imageMapping: \/spec\/template\/spec\/containers\/0\/image ccr\.ccs\.tencentyun\.com\/shop\/web:2\.4\.1 → 123\./);
        const cron: KubeObject = { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "r" }, spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: "i", image: "ccr.ccs.tencentyun.com/shop/init:1" }] } } } } } };
        assert.match(applyMappings(m, "cronjobs.batch", cron).changes[0], /\/spec\/jobTemplate\/spec\/template\/spec\/initContainers\/0\/image/);
        const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "p", image: "ccr.ccs.tencentyun.com/shop/p:1" }] } };
        assert.equal((applyMappings(m, "pods", pod).object as { spec: { containers: { image: string }[] } }).spec.containers[0].image, "123.dkr.ecr.ap-east-1.amazonaws.com/shop/p:1");
        assert.deepEqual(applyMappings(m, "configmaps", deployment()).changes, [], "the action applies to workloads and pods only");
    });

    it("maps claims' and claim templates' classes by exact name only (change_storageclass_action.go:149)", () => {
        const pvc: KubeObject = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "d", namespace: "shop" }, spec: { storageClassName: "cbs-csi" } };
        assert.equal((applyMappings(m, "persistentvolumeclaims", pvc).object.spec as { storageClassName: string }).storageClassName, "ebs-gp3");
        const other = { ...pvc, spec: { storageClassName: "cbs-csi-premium" } };
        assert.equal(applyMappings(m, "persistentvolumeclaims", other).object, other);
        const sts: KubeObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "q" }, spec: { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { storageClassName: "cbs-csi" } }] } };
        const mapped = applyMappings(m, "statefulsets.apps", sts);
        assert.equal((mapped.object.spec as { volumeClaimTemplates: { spec: { storageClassName: string } }[] }).volumeClaimTemplates[0].spec.storageClassName, "ebs-gp3");
        assert.match(mapped.changes[0], /^storageClassMapping: \/spec\/volumeClaimTemplates\/0\/spec\/storageClassName cbs-csi → ebs-gp3/);
    });
});

describe("restore changes: the team's rules beside the generated fixes", () => {
    const config = () => load({ modifiers: [EXAMPLE], storageClassMapping: { "cbs-csi": "ebs-gp3" }, imageMapping: { "ccr.ccs.tencentyun.com/shop": "ecr.example/shop" } });

    it("applies the merge and the strategic patch as Velero does and says what each changed", () => {
        const user = originRules(config().restore.modifiers);
        const origins = new Map(user.map((u) => [u.rule, u.origin]));
        const out = traceResourceModifiers({ version: "v1", resourceModifierRules: user.map((u) => u.rule) }, (r) => origins.get(r), deployment(), "deployments.apps", "v1.18.2");
        assert.deepEqual(out.errors, []);
        const obj = out.object as ReturnType<typeof deployment> & { metadata: { labels: Record<string, string> }; spec: { template: { spec: { containers: { name: string; env?: unknown[] }[] } } } };
        assert.equal(obj.metadata.labels["migrated-to"], "eks");
        // The strategic patch merged web's env on its key, keeping MODE, and left the sidecar alone.
        assert.deepEqual(obj.spec.template.spec.containers[0].env, [{ name: "MODE", value: "prod" }, { name: "CLUSTER", value: "eks" }]);
        assert.equal(obj.spec.template.spec.containers.length, 2);
        assert.deepEqual(out.notes, [`${EXAMPLE} rule 0: changed /metadata/labels/migrated-to`, `${EXAMPLE} rule 1: changed /spec/template/spec/containers/0/env`]);
    });

    it("reports two rules patching the same field with the one that wins: the later (resource_modifiers.go:94-108)", () => {
        const over = tmpFile("over.yaml", 'version: v1\nresourceModifierRules:\n- conditions: {groupResource: services, namespaces: [shop]}\n  mergePatches: [{patchData: \'{"spec": {"type": "LoadBalancer"}}\'}]\n');
        const c = load({ modifiers: [over] });
        const target = { spec: { backupName: "shop-1", labelSelector: ownedObjectsSelector(), restorePVs: true }, restoreName: "shop-1", veleroVersion: "v1.18.2", engine: engineOptions("eks"), userRules: originRules(c.restore.modifiers) };
        const svc: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } };
        const p = pipelineFor(target).preview(svc, "services");
        assert.equal(p.outcome, "fixed");
        const note = p.reasons.find((r) => r.includes("overrides"));
        assert.ok(note, p.reasons.join("\n"));
        assert.match(note, /^.*over\.yaml rule 0 overrides generated fix \(rule 0\) at \/spec\/type: B gets .*over\.yaml rule 0's value$/);
    });

    it("previews the mappings and the team's rules per object: what B gets", () => {
        const c = config();
        const target = { spec: { backupName: "shop-1", labelSelector: ownedObjectsSelector(), restorePVs: true }, restoreName: "shop-1", veleroVersion: "v1.18.2", engine: engineOptions("eks"), userRules: originRules(c.restore.modifiers), mappings: { storageClass: c.restore.storageClassMapping, image: c.restore.imageMapping } };
        const pipeline = pipelineFor(target);
        const web = pipeline.preview(deployment(), "deployments.apps");
        assert.equal(web.outcome, "fixed");
        assert.ok(web.reasons.some((r) => r.startsWith("imageMapping: /spec/template/spec/containers/0/image ccr.ccs.tencentyun.com/shop/web:2.4.1 → ecr.example/shop/web:2.4.1")), web.reasons.join("\n"));
        assert.ok(web.reasons.includes(`${EXAMPLE} rule 1: changed /spec/template/spec/containers/0/env`), web.reasons.join("\n"));
        const pvc: KubeObject = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "d", namespace: "shop" }, spec: { storageClassName: "cbs-csi", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } };
        const claim = pipeline.preview(pvc, "persistentvolumeclaims");
        assert.equal(claim.outcome, "fixed");
        assert.ok(claim.reasons.some((r) => r.startsWith("storageClassMapping: /spec/storageClassName cbs-csi → ebs-gp3")), claim.reasons.join("\n"));
        const untouched: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "shop" }, data: {} };
        assert.equal(pipeline.preview(untouched, "configmaps").outcome, "restored");
    });

    it("writes the team's rules after the generated ones into the one ConfigMap, each origin atop it, valid for the target's Velero", async () => {
        const manifests = tmpFile("app.yaml", fs.readFileSync(path.join(PROJECT_DIR, "examples/tke-app/shop.yaml"), "utf8"));
        const c = loadMigrationConfig(rawConfig({ run: "shop-1", stage: "restore", backup: { includedNamespaces: ["shop"] }, restore: { modifiers: [EXAMPLE], modifiersFrom: [manifests] } }), { projectDir: PROJECT_DIR, stack: "test" });
        const fixes = (await restoreFixes(c, { offline: true })) as RestoreFixes;
        const rules = fixes.modifiers?.resourceModifierRules ?? [];
        const generated = rules.length - 2;
        assert.ok(generated > 0, "shop.yaml needs generated fixes");
        assert.deepEqual(rules.slice(generated), originRules(c.restore.modifiers).map((r) => r.rule));
        assert.deepEqual(fixes.origins, [`rules 0-${generated - 1}: generated fixes`, `rule ${generated}: ${EXAMPLE} rule 0`, `rule ${generated + 1}: ${EXAMPLE} rule 1`]);
        const cm = modifierConfigMap(fixes.modifiers!, { namespace: "velero", origins: fixes.origins });
        const text = Object.values(cm.data as Record<string, string>)[0];
        assert.ok(text.startsWith(`# rules 0-${generated - 1}: generated fixes\n# rule ${generated}: ${EXAMPLE} rule 0\n`), text.slice(0, 200));
        assert.deepEqual(parse(text), fixes.modifiers, "the comments change nothing Velero reads");
        assert.ok(validateModifierConfigMap(cm, { velero: c.clusters.target.velero.velero }).ok);
    });
});
