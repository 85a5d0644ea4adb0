import { strict as assert } from "node:assert";
import * as path from "node:path";
import type { KubeObject } from "..";
import { BAD_AWS_PLUGIN_TAGS, VELERO_MATRIX } from "../veleroVersions";
import { readYamlDocs } from "../../test/support/reference";
import { check } from "../../test/support/rules";

const RULE = "velero-versions";
const FIXTURES = path.join(__dirname, "fixtures");
const INIT = "/spec/template/spec/initContainers";

function fixture(name: string): KubeObject[] {
    return readYamlDocs(path.join(FIXTURES, name)) as KubeObject[];
}

function deployment(velero: string, plugins: string[], features = "EnableCSI"): KubeObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "velero", namespace: "velero" },
        spec: {
            template: {
                spec: {
                    containers: [{ name: "velero", image: `velero/velero:${velero}`, command: ["/velero"], args: ["server", `--features=${features}`] }],
                    initContainers: plugins.map((image, i) => ({ name: `plugin-${i}`, image })),
                },
            },
        },
    };
}

function release(values: Record<string, unknown>, version?: string): KubeObject {
    const obj: KubeObject = { apiVersion: "helm.sh/v3", kind: "Release", chart: "velero", values };
    if (version !== undefined) obj.version = version;
    return obj;
}

const aws = (tag: string) => `velero/velero-plugin-for-aws:${tag}`;
const csi = (tag: string) => `velero/velero-plugin-for-csi:${tag}`;
const plugins = (...images: string[]) => images.map((image) => ({ name: image.split(":")[0].split("/").pop(), image }));
const paths = (obj: KubeObject) => check(RULE, obj).map((f) => f.path);

describe(RULE, () => {
    it("accepts what the matrix installs for every Velero line (what the component installs passes)", () => {
        for (const line of VELERO_MATRIX) {
            const images = [aws(line.defaultAwsPlugin), ...(line.defaultCsiPlugin ? [csi(line.defaultCsiPlugin)] : [])];
            assert.deepEqual(check(RULE, deployment(line.defaultVelero, images)), [], `Velero ${line.defaultVelero}`);
        }
    });

    it("reports a Velero outside the matrix at its image (the guide's v1.8.1)", () => {
        const [obj] = fixture("bad-seed-1.8.yaml");
        const findings = check(RULE, obj);
        assert.deepEqual(findings.map((f) => [f.path, f.severity]), [["/spec/template/spec/containers/0/image", "error"]]);
        assert.match(findings[0].message, /v1\.8\.1 .*outside the compatibility matrix \(1\.12–1\.18\)/);
    });

    it("reports a Velero image without a release tag", () => {
        const findings = check(RULE, deployment("main", [aws("v1.14.0")]));
        assert.deepEqual(findings.map((f) => f.path), ["/spec/template/spec/containers/0/image"]);
        assert.match(findings[0].message, /not a release version/);
    });

    it("reports an aws plugin from another line at its image, naming the right one", () => {
        const findings = check(RULE, deployment("v1.18.2", [aws("v1.13.2")]));
        assert.deepEqual(findings.map((f) => f.path), [`${INIT}/0/image`]);
        assert.match(findings[0].message, /v1\.14\.x/);
        assert.match(findings[0].fix, /v1\.14\.0/);
    });

    it("reports every aws plugin tag with a known COS regression, even on the right line", () => {
        for (const tag of Object.keys(BAD_AWS_PLUGIN_TAGS)) {
            const line = VELERO_MATRIX.find((l) => tag.startsWith(`v${l.awsPlugin}.`));
            assert.ok(line, tag);
            const images = [aws(tag), ...(line.defaultCsiPlugin ? [csi(line.defaultCsiPlugin)] : [])];
            const findings = check(RULE, deployment(line.defaultVelero, images));
            assert.deepEqual(findings.map((f) => f.path), [`${INIT}/0/image`], tag);
            assert.match(findings[0].message, /https:\/\/github\.com\/velero-io\/velero\/issues\/\d+/);
        }
        assert.deepEqual(paths(deployment("v1.18.2", [aws("v1.14.0")])), []);
    });

    it("reports an unpinned aws plugin", () => {
        for (const image of ["velero/velero-plugin-for-aws", "velero/velero-plugin-for-aws:latest", "registry.local:5000/velero/velero-plugin-for-aws"]) {
            const findings = check(RULE, deployment("v1.18.2", [image]));
            assert.deepEqual(findings.map((f) => f.path), [`${INIT}/0/image`], image);
            assert.match(findings[0].message, /no version tag/);
        }
    });

    it("reads images behind a registry port and a digest", () => {
        const obj = deployment("v1.18.2@sha256:0123", ["registry.local:5000/velero/velero-plugin-for-aws:v1.13.2@sha256:abcd"]);
        (obj.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = "registry.local:5000/velero/velero:v1.18.2@sha256:0123";
        assert.deepEqual(paths(obj), [`${INIT}/0/image`], "v1.13.2 does not pair with 1.18");
    });

    describe("the CSI plugin", () => {
        it("reports the old plugin on Velero 1.14 and later, where it stops the server", () => {
            for (const velero of ["v1.14.1", "v1.18.2"]) {
                const line = VELERO_MATRIX.find((l) => velero.startsWith(`v${l.velero}.`))!;
                const findings = check(RULE, deployment(velero, [aws(line.defaultAwsPlugin), csi("v0.7.1")]));
                assert.deepEqual(findings.map((f) => f.path), [`${INIT}/1/image`], velero);
                assert.match(findings[0].message, /stops the server/);
            }
            const [obj] = fixture("bad-csi-plugin-on-1.18.yaml");
            assert.deepEqual(paths(obj), ["/values/initContainers/1/image"], "the chart's own Velero, v1.18.1, is inferred");
        });

        it("before 1.14, wants the matching plugin when EnableCSI is on", () => {
            assert.deepEqual(paths(deployment("v1.13.2", [aws("v1.9.2"), csi("v0.6.3")])), [`${INIT}/1/image`]);
            assert.deepEqual(paths(deployment("v1.12.4", [aws("v1.8.2"), csi("v0.6.3")])), []);
            const [missing] = fixture("bad-1.13-without-csi-plugin.yaml");
            const findings = check(RULE, missing);
            assert.deepEqual(findings.map((f) => f.path), [INIT]);
            assert.match(findings[0].fix, /velero-plugin-for-csi:v0\.7\.1/);
            assert.deepEqual(paths(deployment("v1.13.2", [aws("v1.9.2")], "EnableAPIGroupVersions")), [], "no EnableCSI, no CSI plugin needed");
        });
    });

    describe("Helm release", () => {
        it("passes the pinned release and the chart's default Velero", () => {
            for (const file of ["good-release-pinned.yaml", "good-release-chart-default.yaml"]) assert.deepEqual(paths(fixture(file)[0]), [], file);
        });

        it("infers Velero from the chart when image.tag is not set", () => {
            assert.deepEqual(paths(release({ initContainers: plugins(aws("v1.13.2")) }, "11.4.0")), []);
            assert.deepEqual(paths(release({ initContainers: plugins(aws("v1.14.0")) }, "11.4.0")), ["/values/initContainers/0/image"]);
            assert.deepEqual(paths(release({ initContainers: plugins(aws("v1.13.2")) })), ["/values/initContainers/0/image"], "no chart version: chart 12.1.0, Velero v1.18.1");
            assert.deepEqual(paths(release({ initContainers: plugins(aws("v1.13.2")) }, "5.2.2")), [], "chart 5 ships 1.12 or 1.13: unknown, nothing to pair");
        });

        it("reports an image.tag from another line than the chart major", () => {
            const [obj] = fixture("bad-chart-mismatch.yaml");
            const findings = check(RULE, obj);
            assert.deepEqual(findings.map((f) => f.path), ["/values/image/tag"]);
            assert.match(findings[0].message, /chart 11\.4\.0 is written for Velero 1\.17/);
            assert.deepEqual(paths(release({ image: { tag: "v1.12.4" }, initContainers: plugins(aws("v1.8.2")) }, "5.1.7")), []);
            assert.deepEqual(paths(release({ image: { tag: "v1.13.2" }, initContainers: plugins(aws("v1.9.2"), csi("v0.7.1")) }, "5.4.1")), []);
            assert.deepEqual(paths(release({ image: { tag: "v1.18.2" }, initContainers: plugins(aws("v1.14.0")) }, "13.0.0")), ["/version"]);
            assert.deepEqual(paths(release({ image: { tag: "v1.18.2" }, initContainers: plugins(aws("v1.14.0")) }, ">=12.0.0")), [], "a range: the major is unknown");
        });

        it("reports chart 12's CRD hook on a Velero older than 1.18, at upgradeCRDs or, when it defaults, at the tag", () => {
            const [obj] = fixture("bad-upgrade-crds-old-velero.yaml");
            const hook = check(RULE, obj).filter((f) => f.message.includes("--crds-only --apply"));
            assert.deepEqual(hook.map((f) => f.path), ["/values/upgradeCRDs"]);
            const values = obj.values as Record<string, unknown>;
            const defaulted = check(RULE, { ...obj, values: { ...values, upgradeCRDs: undefined } }).filter((f) => f.message.includes("--crds-only"));
            assert.deepEqual(defaulted.map((f) => f.path), ["/values/image/tag"]);
            assert.match(defaulted[0].message, /defaults to true/);
            const off = check(RULE, { ...obj, values: { ...values, upgradeCRDs: false } });
            assert.deepEqual(off.filter((f) => f.message.includes("--crds-only")), []);
            assert.deepEqual(off.map((f) => f.path), ["/values/image/tag"], "the chart mismatch remains");
            assert.deepEqual(check(RULE, { ...obj, version: "11.4.0" }).filter((f) => f.message.includes("--crds-only")), [], "chart 11's hook does not use --apply");
        });

        it("reads plugins from a templated initContainers string when it is plain YAML", () => {
            const yamlList = "- name: velero-plugin-for-aws\n  image: velero/velero-plugin-for-aws:v1.14.2\n";
            assert.deepEqual(paths(release({ initContainers: yamlList }, "12.1.0")), ["/values/initContainers"]);
            assert.deepEqual(paths(release({ initContainers: "{{ .Values.myPlugins | toYaml }}" }, "12.1.0")), []);
        });

        it("reports an aws location with no aws plugin to serve it", () => {
            const values = { configuration: { backupStorageLocation: [{ provider: "aws", bucket: "migration-1250000000" }] } };
            const findings = check(RULE, release(values, "12.1.0"));
            assert.deepEqual(findings.map((f) => f.path), ["/values"]);
            assert.match(findings[0].fix, /velero-plugin-for-aws:v1\.14\.0/);
            assert.deepEqual(paths(release({ ...values, initContainers: [] }, "12.1.0")), ["/values/initContainers"]);
        });
    });
    describe("each finding as one line", () => {
        const lines = (obj: KubeObject) => check(RULE, obj).map((f) => [f.path, f.message, f.fix]);
        const bare = (velero: string, images: string[]) => {
            const d = deployment(velero, images);
            if (images.length === 0) delete (d.spec as { template: { spec: Record<string, unknown> } }).template.spec.initContainers;
            return d;
        };

        it("names the plugin, its tag and where it is, and the pairing the matrix wants", () => {
            assert.deepEqual(lines(bare("v1.13.2", [aws("v1.9.2"), "velero/velero-plugin-for-csi"])), [
                [`${INIT}/1/image`, `velero-plugin-for-csi (no tag) at ${INIT}/1/image does not pair with Velero 1.13: the matrix pairs it with v0.7.x`, "use v0.7.1"],
            ]);
            assert.deepEqual(lines(bare("v1.13.2", [aws("v1.7.0")])), [
                [`${INIT}/0/image`, `aws plugin v1.7.0 at ${INIT}/0/image does not pair with Velero 1.13: the matrix pairs it with aws plugin v1.9.x (velero-plugin-for-aws compatibility table)`, "use v1.9.2"],
                [INIT, `Velero v1.13.2 has EnableCSI but no velero-plugin-for-csi init container (at ${INIT}): before 1.14 the CSI plugin is separate, so CBS snapshots are neither taken nor restored`, "add velero/velero-plugin-for-csi:v0.7.1 to the init containers, or move to Velero 1.18"],
            ]);
            // No init containers at all: the finding points at the Pod spec.
            assert.deepEqual(lines(bare("v1.12.4", [])).map((l) => l[0] + " " + l[1].split(":")[0]), ["/spec/template/spec Velero v1.12.4 has EnableCSI but no velero-plugin-for-csi init container (at /spec/template/spec)"]);
        });

        it("names the chart and its tag when they are no pair, and the aws plugin a release lacks", () => {
            const noAws = (at: string, plugin: string) => [at, `Velero release has an aws backup storage location but no velero-plugin-for-aws init container (at ${at}): the server finds no object store for provider aws`, `add velero/velero-plugin-for-aws:${plugin} to initContainers, mounting the plugins volume at /target`];
            assert.deepEqual(lines(release({ image: { tag: "v1.18.2" }, configuration: { backupStorageLocation: [{ provider: "velero.io/aws", bucket: "b" }] } }, "4.0.0")), [
                ["/version", "Velero chart 4.0.0 at /version is outside the compatibility matrix (chart majors 5, 6, 7, 8, 9, 10, 11, 12)", "use chart 12.1.0"],
                noAws("/values", "v1.14.0"),
            ]);
            assert.deepEqual(lines(release({ image: { tag: "v1.16.2" }, configuration: { backupStorageLocation: [{ provider: "aws", bucket: "b" }] }, initContainers: [] }, "12.1.0")), [
                ["/values/image/tag", "image.tag v1.16.2 at /values/image/tag is Velero 1.16, but chart 12.1.0 is written for Velero 1.18: its templates and CRD hook expect that release", "use the chart major for Velero 1.16 (9 or 10), or drop image.tag to take the chart's own"],
                [
                    "/values/image/tag",
                    'chart 12\'s upgrade-CRDs hook (upgradeCRDs defaults to true) runs "velero install --crds-only --apply" with image v1.16.2, and that flag exists only from Velero 1.18: the hook job fails and so does the release',
                    "set upgradeCRDs: false (and apply the CRDs of Velero v1.16.2 yourself), or use Velero v1.18.2",
                ],
                noAws("/values/initContainers", "v1.12.2"),
            ]);
            assert.match(lines(release({ image: { tag: "v1.16.2" }, upgradeCRDs: true }, "12.1.0"))[1][1], /^chart 12's upgrade-CRDs hook \(upgradeCRDs: true\) runs/);
            assert.deepEqual(lines(release({ image: { tag: "v1.16.2" }, upgradeCRDs: false }, "12.1.0")).length, 1);
            // Other providers need no aws plugin; a version that is no release is named as such.
            assert.deepEqual(lines(release({ image: { tag: "main" }, configuration: { backupStorageLocation: [{ provider: "gcp" }] } }, "12.1.0")), [
                ["/values/image/tag", "Velero main at /values/image/tag is not a release version, so its plugins cannot be matched to it", "install Velero v1.18.2 with aws plugin v1.14.0"],
            ]);
        });
    });
});
