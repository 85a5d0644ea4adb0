/**
 * Reading a Velero install in both shapes the Velero rules meet: the chart's Helm release (its
 * values, chart 12.1.0) and the live `velero` Deployment / node-agent DaemonSet that the chart
 * or `velero install` renders. Every value comes with the pointer it was read from.
 */
import { strict as assert } from "node:assert";
import { PINNED_CHART } from "../../rules/veleroVersions";
import { boolFlag, configTrue, flagValues, helmTruthy, isVeleroNodeAgent, isVeleroRelease, parseImage, readVeleroInstall } from "../../rules/veleroInstall";
import type { KubeObject } from "../../rules/types";

const release = (values: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: "helm.sh/v3", kind: "Release", chart: "velero", version: "12.1.0", values, ...extra });

const deployment = (spec: Record<string, unknown>, kind = "Deployment"): KubeObject => ({ apiVersion: "apps/v1", kind, metadata: { name: "velero", namespace: "velero" }, spec: { template: { spec } } });

describe("reading a Velero install", () => {
    it("knows the chart's release by apiVersion, kind and chart name", () => {
        assert.equal(isVeleroRelease(release({})), true);
        assert.equal(isVeleroRelease(release({}, { chart: " vmware-tanzu/velero " })), true);
        assert.equal(isVeleroRelease(release({}, { chart: "velero-ui" })), false);
        // The chart as a file (tke2eks:chart for air-gapped clusters) and as an OCI reference.
        assert.equal(isVeleroRelease(release({}, { chart: "/opt/charts/velero-12.1.0.tgz" })), true);
        assert.equal(isVeleroRelease(release({}, { chart: "velero-12.1.0.tgz" })), true);
        assert.equal(isVeleroRelease(release({}, { chart: "oci://ccr.ccs.tencentyun.com/mirror/velero" })), true);
        assert.equal(isVeleroRelease(release({}, { chart: "/opt/charts/velero-ui-1.0.0.tgz" })), false);
        assert.equal(isVeleroRelease(release({}, { chart: undefined })), false);
        assert.equal(isVeleroRelease(release({}, { apiVersion: "helm.sh/v2" })), false);
        assert.equal(isVeleroRelease(release({}, { kind: "Chart" })), false);
    });

    it("splits an image into repository, name and tag, whatever the registry port or digest", () => {
        assert.deepEqual(parseImage("registry:5000/velero/velero:v1.18.1@sha256:abc"), { repository: "registry:5000/velero/velero", name: "velero", tag: "v1.18.1" });
        assert.deepEqual(parseImage(" registry:5000/velero/velero "), { repository: "registry:5000/velero/velero", name: "velero" });
        assert.deepEqual(parseImage("velero"), { repository: "velero", name: "velero" });
        assert.deepEqual(parseImage("velero/velero:"), { repository: "velero/velero", name: "velero" });
        assert.deepEqual(parseImage("velero:v1"), { repository: "velero", name: "velero", tag: "v1" });
    });

    it("reads a release's tag, chart, features, server arguments and plugins with their pointers", () => {
        const obj = release({
            image: { tag: "v1.17.0" },
            configuration: { features: "EnableCSI, ,X", extraArgs: ["--features", "A,B", 7, "--uploader-type=kopia", "--features=C"] },
            initContainers: [{ image: "velero/velero-plugin-for-aws:v1.13.0" }, { name: "no-image" }, { image: "example.com/tools/custom-plugin" }],
        });
        assert.deepEqual(readVeleroInstall(obj), {
            shape: "release",
            versionPath: "/values/image/tag",
            version: "v1.17.0",
            imageTag: { value: "v1.17.0", path: "/values/image/tag" },
            chartVersion: { value: "12.1.0", path: "/version" },
            features: ["EnableCSI", "X", "A", "B", "C"],
            featuresPath: "/values/configuration/features",
            plugins: [
                { kind: "aws", image: "velero/velero-plugin-for-aws:v1.13.0", tag: "v1.13.0", path: "/values/initContainers/0/image" },
                { kind: "custom-plugin", image: "example.com/tools/custom-plugin", path: "/values/initContainers/2/image" },
            ],
            pluginsPath: "/values/initContainers",
            serverArgs: [
                { value: "--features", path: "/values/configuration/extraArgs/0" },
                { value: "A,B", path: "/values/configuration/extraArgs/1" },
                { value: "--uploader-type=kopia", path: "/values/configuration/extraArgs/3" },
                { value: "--features=C", path: "/values/configuration/extraArgs/4" },
            ],
        });
    });

    it("takes a release's Velero from the chart's default when no tag is set, and points at the deepest place that exists", () => {
        // No chart version: the pinned chart's Velero. A blank tag is no tag.
        const bare = readVeleroInstall(release({ image: { tag: "  " } }, { version: undefined }));
        assert.deepEqual(bare, { shape: "release", versionPath: "/values/image/tag", version: PINNED_CHART.appVersion, features: [], featuresPath: "/values", plugins: [], pluginsPath: "/values", serverArgs: [] });
        assert.equal(readVeleroInstall(release({}, { version: " " }))?.chartVersion, undefined, "a blank chart version is none");
        const none = readVeleroInstall(release({}, { version: "0.0.1" }));
        assert.equal(none?.version, undefined, "no Velero is known for that chart");
        assert.deepEqual(none?.chartVersion, { value: "0.0.1", path: "/version" });
        assert.equal(readVeleroInstall({ apiVersion: "helm.sh/v3", kind: "Release", chart: "velero" })?.versionPath, "");
    });

    it("reads the chart's initContainers written as a YAML string, but not a template or broken YAML", () => {
        const plugins = (initContainers: string) => readVeleroInstall(release({ initContainers }))?.plugins;
        assert.deepEqual(plugins("- name: aws\n  image: velero/velero-plugin-for-aws:v1.13.0\n"), [{ kind: "aws", image: "velero/velero-plugin-for-aws:v1.13.0", tag: "v1.13.0", path: "/values/initContainers" }]);
        assert.deepEqual(plugins("- image: {{ .Values.pluginImage }}\n"), []);
        assert.deepEqual(plugins("- image: [\n"), []);
    });

    it("reads an initContainers string with an unknown % directive without printing a Node warning", async () => {
        const warned: string[] = [];
        const onWarning = (w: Error) => warned.push(w.message);
        process.on("warning", onWarning);
        try {
            const plugins = readVeleroInstall(release({ initContainers: "%.\n---\n- image: velero/velero-plugin-for-aws:v1.13.0\n" }))?.plugins;
            assert.deepEqual(plugins?.map((p) => p.kind), ["aws"]);
            // process.emitWarning delivers on the next tick.
            await new Promise((resolve) => setImmediate(resolve));
        } finally {
            process.removeListener("warning", onWarning);
        }
        assert.deepEqual(warned, []);
    });

    it("reads the velero server Deployment: its image tag, --features, args and plugin init containers", () => {
        const spec = {
            initContainers: [{ name: "velero-plugin-for-csi", image: "velero/velero-plugin-for-csi:v0.7.1" }, { name: "empty" }],
            containers: [
                { name: "sidecar", image: "busybox", args: ["server"] },
                { name: "velero", image: "velero/velero:v1.18.2", command: ["/velero"], args: ["server", "--features=EnableCSI,B", "--uploader-type", "kopia"] },
            ],
        };
        assert.deepEqual(readVeleroInstall(deployment(spec)), {
            shape: "deployment",
            versionPath: "/spec/template/spec/containers/1/image",
            imageTag: { value: "v1.18.2", path: "/spec/template/spec/containers/1/image" },
            version: "v1.18.2",
            features: ["EnableCSI", "B"],
            featuresPath: "/spec/template/spec/containers/1/args/1",
            plugins: [{ kind: "csi", image: "velero/velero-plugin-for-csi:v0.7.1", tag: "v0.7.1", path: "/spec/template/spec/initContainers/0/image" }],
            pluginsPath: "/spec/template/spec/initContainers",
            serverArgs: ["server", "--features=EnableCSI,B", "--uploader-type", "kopia"].map((value, i) => ({ value, path: `/spec/template/spec/containers/1/args/${i}` })),
        });
        assert.deepEqual(flagValues(readVeleroInstall(deployment(spec))!.serverArgs, "--uploader-type"), [{ value: "kopia", path: "/spec/template/spec/containers/1/args/3" }]);
    });

    it("finds the server container by its image or its name, only among app containers running `server`", () => {
        const server = (c: Record<string, unknown>) => readVeleroInstall(deployment({ containers: [c] }));
        const byName = server({ name: "velero", image: "registry.example.com/mirror/velero-custom", args: ["server"] });
        assert.deepEqual(byName, { shape: "deployment", versionPath: "/spec/template/spec/containers/0/image", features: [], featuresPath: "/spec/template/spec/containers/0/args", plugins: [], pluginsPath: "/spec/template/spec", serverArgs: [{ value: "server", path: "/spec/template/spec/containers/0/args/0" }] });
        const noImage = server({ name: "velero", command: ["server"] });
        assert.deepEqual([noImage?.versionPath, noImage?.featuresPath, noImage?.imageTag], ["/spec/template/spec/containers/0", "/spec/template/spec/containers/0", undefined]);
        assert.equal(server({ name: "main", image: "velero/velero:v1.18.2", args: ["server"] })?.version, "v1.18.2");
        assert.equal(server({ name: "main", image: "example.com/other:v1", args: ["server"] }), undefined);
        assert.equal(server({ name: "velero", image: "velero/velero:v1.18.2", args: ["install"] }), undefined);
        assert.equal(readVeleroInstall(deployment({ initContainers: [{ name: "velero", image: "velero/velero:v1.18.2", args: ["server"] }] })), undefined);
        assert.equal(readVeleroInstall(deployment({ containers: [{ name: "velero", image: "velero/velero:v1.18.2", args: ["server"] }] }, "StatefulSet")), undefined);
        assert.equal(readVeleroInstall({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "velero" } }), undefined);
    });

    it("knows the node agent's DaemonSet: node-agent server, or restic server before Velero 1.10", () => {
        const ds = (c: Record<string, unknown>, kind = "DaemonSet") => isVeleroNodeAgent(deployment({ containers: [c] }, kind));
        assert.equal(ds({ name: "node-agent", image: "velero/velero:v1.18.2", command: ["/velero"], args: ["node-agent", "server"] }), true);
        assert.equal(ds({ name: "restic", image: "example.com/mirror:v1.9", command: ["/velero"], args: ["restic", "server"] }), true);
        assert.equal(ds({ name: "node-agent", image: "example.com/mirror:v1", args: ["node-agent"] }), true);
        assert.equal(ds({ name: "agent", image: "velero/velero:v1.18.2", args: ["restic"] }), true);
        assert.equal(ds({ name: "agent", image: "example.com/agent:v1", args: ["node-agent", "server"] }), false);
        assert.equal(ds({ name: "node-agent", image: "velero/velero:v1.18.2", args: ["server"] }), false);
        assert.equal(ds({ name: "node-agent", image: "velero/velero:v1.18.2", args: ["node-agent", "server"] }, "Deployment"), false);
        assert.equal(isVeleroNodeAgent({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "node-agent" } }), false);
    });

    it("reads flags as velero server does: --name=value or --name value, booleans bare or =true", () => {
        const args = ["--a=1", "--b", "2", "--c", "--d=true", "--e=false", "--b"].map((value, i) => ({ value, path: `/args/${i}` }));
        assert.deepEqual(flagValues(args, "--a"), [{ value: "1", path: "/args/0" }]);
        assert.deepEqual(flagValues(args, "--b"), [{ value: "2", path: "/args/2" }], "a trailing --b has no value");
        assert.deepEqual(boolFlag(args, "--c"), { value: "--c", path: "/args/3" });
        assert.deepEqual(boolFlag(args, "--d"), { value: "--d=true", path: "/args/4" });
        assert.equal(boolFlag(args, "--e"), undefined);
    });

    it("reads values as a chart template's `if` and as Go's ParseBool do", () => {
        for (const v of [null, undefined, false, 0, "", [], {}]) assert.equal(helmTruthy(v), false, JSON.stringify(v));
        for (const v of [true, 1, "false", [0], { a: null }]) assert.equal(helmTruthy(v), true, JSON.stringify(v));
        for (const v of [true, "1", "t", "T", "TRUE", "true", "True"]) assert.equal(configTrue(v), true, JSON.stringify(v));
        for (const v of [false, 1, "yes", "0", "false", "tRUE", ""]) assert.equal(configTrue(v), false, JSON.stringify(v));
    });
});
