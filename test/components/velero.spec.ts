import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resolveVeleroRelease, type VeleroRelease } from "../../config/veleroRelease";
import { Velero, credentialsFile, type VeleroArgs } from "../../components/velero";
import { veleroValues, type VeleroValuesArgs } from "../../components/veleroValues";
import { VELERO_MATRIX } from "../../rules/veleroVersions";
import { chartDefaults, chartValuesErrors, coalesceValues, unknownValueKeys } from "../support/chartValues";
import { declare } from "./harness";

function release(version?: string): VeleroRelease {
    const r = resolveVeleroRelease(version);
    assert.ok("release" in r, JSON.stringify(r));
    return r.release;
}

const VALUES_ARGS: VeleroValuesArgs = {
    release: release(),
    imageRegistry: "docker.io",
    bucket: "shop-backups-1250000000",
    prefix: "velero",
    region: "ap-guangzhou",
    s3Url: "https://cos.ap-guangzhou.myqcloud.com",
    s3ForcePathStyle: false,
    bslName: "default",
    accessMode: "ReadWrite",
    credentialsSecret: "velero-cos-credentials",
    backupTtl: "720h",
};

interface Bsl {
    name: string;
    provider: string;
    bucket: string;
    prefix: string;
    default: boolean;
    accessMode: string;
    backupSyncPeriod?: string;
    config: Record<string, unknown>;
}

function bslOf(values: Record<string, unknown>): Bsl[] {
    return (values.configuration as { backupStorageLocation: Bsl[] }).backupStorageLocation;
}

/**
 * docs/cos.md, "Location config": what the aws plugin needs for COS. The plugin
 * refuses config keys it does not know, and knows checksumAlgorithm from v1.9.2 (the key
 * matters from v1.9.1, which added the checksums; v1.9.1 itself is refused by the config).
 */
function assertCosConfig(config: Record<string, unknown>, region: string, pathStyle: boolean, awsPlugin = VELERO_MATRIX[0].defaultAwsPlugin): void {
    const [major, minor, patch] = awsPlugin.replace(/^v/, "").split(".").map(Number);
    const checksums = major > 1 || minor > 9 || (minor === 9 && patch >= 2);
    assert.deepEqual(Object.keys(config).sort(), checksums ? ["checksumAlgorithm", "region", "s3ForcePathStyle", "s3Url"] : ["region", "s3ForcePathStyle", "s3Url"], awsPlugin);
    for (const [k, v] of Object.entries(config)) assert.equal(typeof v, "string", `config.${k} is rendered as a string`);
    assert.equal(config.region, region);
    assert.equal(config.s3Url, `https://cos.${region}.myqcloud.com`);
    assert.equal(config.s3ForcePathStyle, String(pathStyle));
    if (checksums) assert.equal(config.checksumAlgorithm, "");
}

describe("components: Velero chart values", () => {
    it("sets only keys the chart 12.1.0 has, and passes its values.schema.json", () => {
        const values = veleroValues(VALUES_ARGS);
        assert.deepEqual(unknownValueKeys(values), []);
        assert.deepEqual(chartValuesErrors(values), []);
    });

    it("would be caught setting a key the chart does not have", () => {
        // The check is not vacuous: a misspelt key is reported with its path.
        const values = veleroValues({ ...VALUES_ARGS, extra: { configuration: { backupStorageLocation: [{ provider: "aws", bucket: "b", acessMode: "ReadOnly" }] } } });
        assert.deepEqual(unknownValueKeys(values), ["configuration.backupStorageLocation[0].acessMode"]);
    });

    it("installs Velero the careful way: aws plugin as init container, CSI and API group versions, no node agent, no VSL", () => {
        const values = veleroValues(VALUES_ARGS);
        const [line] = VELERO_MATRIX;
        assert.deepEqual(values.image, { repository: "docker.io/velero/velero", tag: line.defaultVelero });
        const init = values.initContainers as { name: string; image: string; volumeMounts: unknown }[];
        assert.deepEqual(
            init.map((c) => [c.name, c.image]),
            [["velero-plugin-for-aws", `docker.io/velero/velero-plugin-for-aws:${line.defaultAwsPlugin}`]],
        );
        assert.deepEqual(init[0].volumeMounts, [{ mountPath: "/target", name: "plugins" }]);
        const configuration = values.configuration as Record<string, unknown>;
        assert.equal(configuration.features, "EnableCSI,EnableAPIGroupVersions");
        assert.equal(configuration.defaultBackupTTL, "720h");
        assert.equal(values.deployNodeAgent, false);
        assert.equal(values.snapshotsEnabled, false);
        assert.deepEqual(values.credentials, { useSecret: true, existingSecret: "velero-cos-credentials" });
        const [bsl] = bslOf(values);
        assert.equal(bslOf(values).length, 1);
        assert.deepEqual({ ...bsl, config: undefined }, { name: "default", provider: "aws", bucket: "shop-backups-1250000000", prefix: "velero", default: true, accessMode: "ReadWrite", config: undefined });
        assertCosConfig(bsl.config, "ap-guangzhou", false);
        // The chart's own default BSL is a list too: a map here would be silently ignored.
        assert.ok(Array.isArray((chartDefaults().configuration as Record<string, unknown>).backupStorageLocation));
    });

    it("sizes the pods for the serverless cluster: requests equal limits everywhere", () => {
        const values = veleroValues(VALUES_ARGS);
        const sized = [values.resources, values.upgradeJobResources, (values.kubectl as Record<string, unknown>).resources, ...(values.initContainers as { resources: unknown }[]).map((c) => c.resources)];
        for (const r of sized) {
            const { requests, limits } = r as { requests: Record<string, string>; limits: Record<string, string> };
            assert.ok(requests.cpu && requests.memory, JSON.stringify(r));
            assert.deepEqual(requests, limits);
        }
    });

    it("follows the matrix for every Velero line: right plugins, CSI plugin only below 1.14, CRD upgrade only on 1.18", () => {
        for (const line of VELERO_MATRIX) {
            const values = veleroValues({ ...VALUES_ARGS, release: release(line.velero), imageRegistry: "ccr.ccs.tencentyun.com/mirror/" });
            const images = (values.initContainers as { image: string }[]).map((c) => c.image);
            const expected = [`ccr.ccs.tencentyun.com/mirror/velero/velero-plugin-for-aws:${line.defaultAwsPlugin}`];
            if (line.defaultCsiPlugin) expected.push(`ccr.ccs.tencentyun.com/mirror/velero/velero-plugin-for-csi:${line.defaultCsiPlugin}`);
            assert.deepEqual(images, expected, line.velero);
            assert.equal((values.image as { tag: string }).tag, line.defaultVelero);
            assert.equal(values.upgradeCRDs, line.velero === "1.18", line.velero);
            assertCosConfig(bslOf(values)[0].config, "ap-guangzhou", false, line.defaultAwsPlugin);
            assert.deepEqual(chartValuesErrors(values), [], line.velero);
            assert.deepEqual(unknownValueKeys(values), [], line.velero);
        }
    });

    it("pulls every image the chart runs from imageRegistry, the CRD upgrade job's kubectl included", () => {
        /** Every `image` the values Helm renders with name: a string, or a map's repository (chart 12.1.0 values.yaml). */
        const imagesIn = (v: unknown, at = ""): [string, string][] => {
            if (Array.isArray(v)) return v.flatMap((x, i) => imagesIn(x, `${at}[${i}]`));
            if (typeof v !== "object" || v === null) return [];
            return Object.entries(v).flatMap(([k, x]): [string, string][] => {
                const key = at ? `${at}.${k}` : k;
                if (k === "image" && typeof x === "string") return [[key, x]];
                if (k === "image" && typeof x === "object" && x !== null && "repository" in x) return [[`${key}.repository`, String(x.repository)]];
                return imagesIn(x, key);
            });
        };
        const mirror = "ccr.ccs.tencentyun.com/mirror";
        const rendered = imagesIn(coalesceValues(chartDefaults(), veleroValues({ ...VALUES_ARGS, imageRegistry: `${mirror}/` })));
        assert.deepEqual(rendered.map(([k]) => k).sort(), ["image.repository", "initContainers[0].image", "kubectl.image.repository"]);
        for (const [key, image] of rendered) assert.ok(image.startsWith(`${mirror}/`), `${key}: ${image}`);
        assert.deepEqual(Object.fromEntries(rendered), {
            "image.repository": `${mirror}/velero/velero`,
            "initContainers[0].image": `${mirror}/velero/velero-plugin-for-aws:${VALUES_ARGS.release.awsPlugin}`,
            "kubectl.image.repository": `${mirror}/kubectl`,
        });
        // The default keeps each image's upstream registry: Docker Hub for Velero, registry.k8s.io for kubectl.
        const upstream = Object.fromEntries(imagesIn(coalesceValues(chartDefaults(), veleroValues(VALUES_ARGS))));
        assert.equal(upstream["kubectl.image.repository"], "registry.k8s.io/kubectl");
        assert.equal(upstream["image.repository"], "docker.io/velero/velero");
    });

    it("renders path style and the read-only location as asked", () => {
        const values = veleroValues({ ...VALUES_ARGS, s3ForcePathStyle: true, accessMode: "ReadOnly", region: "ap-singapore", s3Url: "https://cos.ap-singapore.myqcloud.com" });
        const [bsl] = bslOf(values);
        assert.equal(bsl.accessMode, "ReadOnly");
        assertCosConfig(bsl.config, "ap-singapore", true);
    });

    it("sets the sync period on the shared location, not the server (no pod restart), within the chart's schema", () => {
        const values = veleroValues({ ...VALUES_ARGS, accessMode: "ReadOnly", backupSyncPeriod: "15s" });
        assert.equal(bslOf(values)[0].backupSyncPeriod, "15s");
        // The server flag would change the Deployment's args and recreate the pod.
        assert.equal((values.configuration as Record<string, unknown>).backupSyncPeriod, undefined);
        assert.deepEqual(unknownValueKeys(values), []);
        assert.deepEqual(chartValuesErrors(values), []);
        assert.equal("backupSyncPeriod" in bslOf(veleroValues(VALUES_ARGS))[0], false);
    });

    it("with a location of its own: that one ReadWrite and the default (also for the server), the shared one not", () => {
        const values = veleroValues({ ...VALUES_ARGS, accessMode: "ReadOnly", ownLocation: { name: "eks", prefix: "velero-eks" } });
        const [shared, own] = bslOf(values);
        assert.equal(bslOf(values).length, 2);
        assert.deepEqual([shared.name, shared.prefix, shared.accessMode, shared.default], ["default", "velero", "ReadOnly", false]);
        assert.deepEqual({ ...own, config: undefined }, { name: "eks", provider: "aws", bucket: "shop-backups-1250000000", prefix: "velero-eks", default: true, accessMode: "ReadWrite", config: undefined });
        assertCosConfig(own.config, "ap-guangzhou", false);
        assert.equal((values.configuration as Record<string, unknown>).defaultBackupStorageLocation, "eks");
        assert.deepEqual(unknownValueKeys(values), []);
        assert.deepEqual(chartValuesErrors(values), []);
    });

    it("lays the user's values over ours, the way Helm merges", () => {
        const values = veleroValues({ ...VALUES_ARGS, extra: { deployNodeAgent: true, resources: { limits: { memory: "4Gi" } }, podAnnotations: { team: "shop" } } });
        assert.equal(values.deployNodeAgent, true);
        assert.deepEqual(values.resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "4Gi" } });
        assert.deepEqual(values.podAnnotations, { team: "shop" });
        assert.deepEqual(chartValuesErrors(values), []);
    });

    it("points the locations at the store's own endpoint, path-style when asked (a bucket of the user's own)", () => {
        const values = veleroValues({ ...VALUES_ARGS, s3Url: "http://127.0.0.1:9000", s3ForcePathStyle: true, region: "us-east-1", ownLocation: { name: "eks", prefix: "velero-eks" } });
        for (const bsl of bslOf(values)) {
            assert.equal(bsl.config.s3Url, "http://127.0.0.1:9000");
            assert.equal(bsl.config.s3ForcePathStyle, "true");
            assert.equal(bsl.config.region, "us-east-1");
        }
    });
});

describe("components: Velero on a cluster", () => {
    const credentials = { accessKeyId: pulumi.secret("AKIDexample"), secretAccessKey: pulumi.secret("sk-example-secret") };
    function program(args: Partial<VeleroArgs> = {}) {
        return () => {
            const provider = new k8s.Provider("test-target", { kubeconfig: "{}", context: "eks-b" });
            new Velero("velero-target", {
                role: "target",
                provider,
                namespace: "backup-system",
                release: release(),
                imageRegistry: "docker.io",
                bucket: "shop-backups-1250000000",
                prefix: "velero",
                region: "ap-guangzhou",
                s3Url: "https://cos.ap-guangzhou.myqcloud.com",
                s3ForcePathStyle: false,
                accessMode: "ReadOnly",
                backupTtl: "720h",
                credentials,
                chart: { kind: "repository", url: "https://vmware-tanzu.github.io/helm-charts" },
                ...args,
            });
        };
    }

    it("declares namespace, credentials Secret and the pinned chart, all through the cluster's provider", async () => {
        const d = await declare(program(), { preview: false });
        const component = d.one("tke2eks:velero:Velero");
        const provider = d.one("pulumi:providers:kubernetes");
        const ns = d.one("kubernetes:core/v1:Namespace");
        const secret = d.one("kubernetes:core/v1:Secret");
        const rel = d.one("kubernetes:helm.sh/v3:Release");
        for (const r of [ns, secret, rel]) {
            assert.equal(r.parent, component.urn, r.name);
            assert.equal(r.provider, provider.urn, r.name);
        }
        // pulumi destroy leaves the namespace, and the Backups and Restores in it.
        assert.equal(ns.retainOnDelete, true);
        assert.equal(secret.retainOnDelete, false);
        assert.deepEqual(ns.inputs.metadata, { name: "backup-system", labels: { "app.kubernetes.io/part-of": "tke2eks", "tke2eks/cluster": "target" } });
        assert.equal((secret.inputs.metadata as Record<string, unknown>).namespace, "backup-system");
        assert.equal((secret.inputs.metadata as Record<string, unknown>).name, "velero-cos-credentials");

        assert.equal(rel.inputs.chart, "velero");
        assert.equal(rel.inputs.version, "12.1.0");
        assert.deepEqual(rel.inputs.repositoryOpts, { repo: "https://vmware-tanzu.github.io/helm-charts" });
        assert.equal(rel.inputs.name, "velero");
        assert.equal(rel.inputs.namespace, "backup-system");
        assert.equal(rel.inputs.createNamespace, false);
        assert.equal(rel.inputs.atomic, true);
        // Helm needs the Secret the values name to exist first.
        assert.ok(rel.dependencies.includes(secret.urn));
        const values = rel.inputs.values as Record<string, unknown>;
        assert.equal(bslOf(values)[0].accessMode, "ReadOnly");
        assert.deepEqual(chartValuesErrors(values), []);
        assert.deepEqual(unknownValueKeys(values), []);
    });

    it("takes the pinned chart from the configured source: a repository, an OCI reference or a local .tgz", async () => {
        const inputsFor = async (chart: VeleroArgs["chart"]) => {
            const rel = (await declare(program({ chart }), { preview: false })).one("kubernetes:helm.sh/v3:Release");
            return { chart: rel.inputs.chart, version: rel.inputs.version, repositoryOpts: rel.inputs.repositoryOpts };
        };
        assert.deepEqual(await inputsFor({ kind: "repository", url: "https://charts.example.com/velero-mirror" }), { chart: "velero", version: "12.1.0", repositoryOpts: { repo: "https://charts.example.com/velero-mirror" } });
        assert.deepEqual(await inputsFor({ kind: "oci", ref: "oci://ccr.ccs.tencentyun.com/mirror/velero" }), { chart: "oci://ccr.ccs.tencentyun.com/mirror/velero", version: "12.1.0", repositoryOpts: undefined });
        assert.deepEqual(await inputsFor({ kind: "file", path: "/charts/velero-12.1.0.tgz", given: "charts/velero-12.1.0.tgz" }), { chart: "/charts/velero-12.1.0.tgz", version: "12.1.0", repositoryOpts: undefined });
    });

    it("keeps the credentials file secret: redacted for people, exact for the cluster", async () => {
        const d = await declare(program(), { preview: false });
        const secret = d.one("kubernetes:core/v1:Secret");
        assert.deepEqual(secret.inputs.stringData, "[secret]");
        assert.deepEqual(secret.props.stringData, { cloud: credentialsFile("AKIDexample", "sk-example-secret") });
        assert.equal(credentialsFile("AKIDexample", "sk-example-secret"), "[default]\naws_access_key_id=AKIDexample\naws_secret_access_key=sk-example-secret\n");
        const shown = JSON.stringify(d.resources.map((r) => r.inputs));
        assert.doesNotMatch(shown, /sk-example-secret|AKIDexample/);
    });
});
