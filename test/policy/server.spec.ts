/**
 * The pack under @pulumi/policy's own server handlers: what the engine would really get, and
 * evaluatePolicies (the plan's in-process runner) giving exactly the same violations.
 */
import { strict as assert } from "node:assert";
import type { KubeObject } from "../../rules";
import { evaluatePolicies, type PolicyViolation } from "../../policy/evaluate";
import { policies } from "../../policy/policies";
import { provider, resourceOf, SOURCE, TARGET, UNKNOWN } from "./harness";
import { serverAnalyze, serverAnalyzeStack, serverRemediate, secret } from "./sdkServer";
import type { PlannedResource } from "../../policy/engineArgs";

const daemonSet: KubeObject = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "node-exporter", namespace: "monitoring" },
    spec: { template: { spec: { containers: [{ name: "exporter", image: "quay.io/prometheus/node-exporter:v1.8.2", ports: [{ containerPort: 9100 }] }] } } },
};
const loadBalancer: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "shop" },
    spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] },
};
const velero = (bucket: string, nodeAgent: boolean): KubeObject => ({
    apiVersion: "helm.sh/v3",
    kind: "Release",
    name: "velero",
    namespace: "velero",
    chart: "velero",
    version: "12.1.0",
    repositoryOpts: { repo: "https://vmware-tanzu.github.io/helm-charts" },
    values: {
        deployNodeAgent: nodeAgent,
        snapshotsEnabled: false,
        initContainers: [{ name: "velero-plugin-for-aws", image: "velero/velero-plugin-for-aws:v1.14.0", volumeMounts: [{ mountPath: "/target", name: "plugins" }] }],
        configuration: {
            features: "EnableCSI,EnableAPIGroupVersions",
            backupStorageLocation: [
                { name: "default", provider: "aws", bucket, config: { region: "ap-guangzhou", s3Url: "https://cos.ap-guangzhou.myqcloud.com", s3ForcePathStyle: "false", checksumAlgorithm: "" } },
            ],
        },
    },
});
const snapshotClass: KubeObject = {
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshotClass",
    metadata: { name: "cbs" },
    driver: "com.tencent.cloud.csi.cbs",
    deletionPolicy: "Retain",
};
const web: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop" },
    spec: { replicas: 3, template: { spec: { containers: [{ name: "web", image: "ccr.ccs.tencentyun.com/shop/web:2.4", ports: [{ containerPort: 8080 }] }] } } },
};

function stack(): PlannedResource[] {
    const preview = resourceOf(web, TARGET);
    // During a preview the port of this container is not known yet.
    (preview.props as { spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } } }).spec.template.spec.containers[0].ports[0].containerPort = UNKNOWN;
    return [
        resourceOf(daemonSet, TARGET),
        resourceOf(loadBalancer, TARGET),
        resourceOf(velero("migration-1250000000", true), TARGET),
        resourceOf(velero("other-1250000000", false), SOURCE),
        resourceOf(snapshotClass, SOURCE),
        preview,
    ];
}

/** The server's diagnostics as the engine would list them: each resource's, then the stack's. */
async function throughServer(rs: PlannedResource[]): Promise<PolicyViolation[]> {
    const out: PolicyViolation[] = [];
    for (const r of rs) {
        for (const d of (await serverAnalyze(policies, r)).diagnostics) out.push({ policy: d.policy, level: d.level as PolicyViolation["level"], message: d.message, urn: d.urn || r.urn });
    }
    for (const d of (await serverAnalyzeStack(policies, rs)).diagnostics) {
        const v: PolicyViolation = { policy: d.policy, level: d.level as PolicyViolation["level"], message: d.message };
        if (d.urn) v.urn = d.urn;
        out.push(v);
    }
    return out;
}

describe("the pack under @pulumi/policy's server", () => {
    let served: PolicyViolation[];
    before(async () => {
        served = await throughServer(stack());
    });

    it("evaluatePolicies reports exactly what the server sends the engine", async () => {
        assert.deepEqual(await evaluatePolicies(stack()), served);
    });

    it("reports a LoadBalancer's explicit nodePort as advisory inside the mandatory NodePort policy", () => {
        const lb = served.filter((v) => v.policy === "eks-no-nodeport-service");
        assert.equal(lb.length, 1);
        assert.equal(lb[0].level, "advisory");
        assert.match(lb[0].message, /^No NodePort Services\n.*\/spec\/ports\/0\/nodePort/s);
    });

    it("judges the target's resources and leaves the source's alone", async () => {
        const [ds, , targetVelero, sourceVelero] = stack();
        assert.deepEqual(
            (await serverAnalyze(policies, ds)).diagnostics.map((v) => [v.policy, v.level]),
            [
                ["eks-no-daemonset", "mandatory"],
                ["eks-reserved-ports", "mandatory"],
            ],
        );
        assert.deepEqual((await serverAnalyze(policies, resourceOf(daemonSet, SOURCE))).diagnostics, []);
        assert.ok(served.some((v) => v.urn === targetVelero.urn && v.policy === "velero-no-node-agent"));
        assert.ok(!served.some((v) => v.urn === sourceVelero.urn && v.policy === "velero-no-node-agent"));
    });

    it("runs a rule with an object part and a set part as one policy: per resource and for the stack", async () => {
        const [, , targetVelero, sourceVelero, cbs] = stack();
        // Object part: the CBS class on the source lacks Velero's label (mandatory on every cluster).
        assert.ok(served.some((v) => v.policy === "velero-snapshot-class" && v.urn === cbs.urn && v.level === "mandatory"));
        // Set part of velero-cos-storage: the two clusters' Velero point at different buckets.
        const stackOnes = (await serverAnalyzeStack(policies, stack())).diagnostics.filter((d) => d.policy === "velero-cos-storage");
        assert.deepEqual(stackOnes.map((d) => d.urn).sort(), [targetVelero.urn, sourceVelero.urn].sort());
        const perResource = await serverAnalyze(policies, cbs);
        assert.ok(perResource.diagnostics.some((d) => d.policy === "velero-snapshot-class"));
    });

    it("turns an unknown value a rule reads into the engine's advisory 'can't run during preview', and still runs the others", () => {
        const preview = stack()[5];
        const forPreview = served.filter((v) => v.urn === preview.urn && v.message.startsWith("can't run"));
        for (const v of forPreview) {
            assert.equal(v.level, "advisory");
            assert.match(v.message, /^can't run policy '[a-z-]+' from policy pack 'tke2eks@v0\.1\.0' during preview: string value at \.spec\.template\.spec\.containers\.0\.ports\.0\.containerPort can't be known during preview$/);
        }
        assert.ok(forPreview.some((v) => v.policy === "eks-reserved-ports"));
        // The registry check reads images only, so the unknown port does not stop it.
        assert.ok(served.some((v) => v.urn === preview.urn && v.policy === "eks-image-registry" && v.message.includes("Deployment shop/web")));
    });

    it("reports a policy that does not apply as not applicable, with the reason", async () => {
        const res = await serverAnalyze(policies, resourceOf(daemonSet, SOURCE));
        assert.deepEqual(res.diagnostics, []);
        const ds = res.notApplicable.find((n) => n.policy === "eks-no-daemonset");
        assert.equal(ds?.reason, 'not deployed to the serverless cluster: provider "dev-source" matches none of targetProviders (target, *-target, serverless, *-serverless)');
        assert.equal(res.notApplicable.find((n) => n.policy === "eks-no-nodeport-service")?.reason, "eks-no-nodeport-service judges Service only");
    });

    describe("remediation", () => {
        const remediating = (name: string) => policies.map((p) => (p.name === name ? { ...p, enforcementLevel: "remediate" as const } : p));

        it("adds Velero's label to a CBS snapshot class, keeping secret and unknown inputs as they are", async () => {
            const r = resourceOf({ ...snapshotClass, parameters: { diskType: UNKNOWN, token: secret("s3cr3t") } }, provider("prod-serverless"));
            const [result] = await serverRemediate(remediating("velero-snapshot-class"), r);
            assert.equal(result.policy, "velero-snapshot-class");
            assert.deepEqual(result.props, {
                ...snapshotClass,
                metadata: { name: "cbs", labels: { "velero.io/csi-volumesnapshot-class": "true" } },
                parameters: { diskType: UNKNOWN, token: secret("s3cr3t") },
            });
        });

        it("turns the node agent off inside a secret `values`, which stays secret", async () => {
            const release = resourceOf(velero("migration-1250000000", true), TARGET);
            release.props.values = secret(release.props.values);
            const [result] = await serverRemediate(remediating("velero-no-node-agent"), release);
            const values = result.props?.values as { value: { deployNodeAgent: boolean } };
            assert.deepEqual(Object.keys(values).sort(), ["4dabf18193072939515e22adb298388d", "value"]);
            assert.equal(values.value.deployNodeAgent, false);
        });

        it("is what evaluatePolicies reports as the change", async () => {
            const r = resourceOf(snapshotClass, SOURCE);
            const [served] = await serverRemediate(remediating("velero-snapshot-class"), r);
            const [v] = (await evaluatePolicies([r], { "velero-snapshot-class": { enforcementLevel: "remediate" } })).filter((x) => x.policy === "velero-snapshot-class");
            assert.deepEqual(v.changes, [{ op: "add", path: "/metadata/labels", value: (served.props?.metadata as { labels: unknown }).labels }]);
            assert.equal(v.level, "advisory");
        });
    });
});
