import { strict as assert } from "node:assert";
import {
    BAD_AWS_PLUGIN_TAGS,
    PINNED_CHART,
    SUPPORTED_VELERO,
    VELERO_MATRIX,
    chartMajorOf,
    defaultVeleroForChart,
    hasBuiltInCsi,
    lineFor,
    linesForChart,
    minorOf,
    parseVersion,
    versionAtLeast,
} from "../../rules/veleroVersions";
import { chartDefaults } from "../support/chartValues";

describe("the Velero version matrix", () => {
    it("pins the chart whose values.yaml is in the reference folder, with its default image", () => {
        const image = chartDefaults().image as { tag: string };
        assert.equal(PINNED_CHART.appVersion, image.tag);
        assert.deepEqual(linesForChart(PINNED_CHART.version).map((l) => l.velero), [minorOf(image.tag)]);
    });

    it("lists lines newest first, each default in its own line and no default a known-bad tag", () => {
        assert.deepEqual(SUPPORTED_VELERO, ["1.18", "1.17", "1.16", "1.15", "1.14", "1.13", "1.12"]);
        for (const line of VELERO_MATRIX) {
            assert.equal(minorOf(line.defaultVelero), line.velero, line.velero);
            assert.equal(minorOf(line.defaultAwsPlugin), line.awsPlugin, line.velero);
            assert.equal(BAD_AWS_PLUGIN_TAGS[line.defaultAwsPlugin], undefined, line.defaultAwsPlugin);
            // The CSI plugin is separate only before 1.14.
            assert.equal(line.csiPlugin !== undefined, !hasBuiltInCsi(line.velero), line.velero);
            if (line.csiPlugin) assert.equal(minorOf(line.defaultCsiPlugin ?? ""), line.csiPlugin);
        }
    });

    it("maps chart majors to the Velero they ship (vmware-tanzu/helm-charts tags)", () => {
        const ships = (chart: string) => linesForChart(chart).map((l) => l.velero);
        assert.deepEqual(ships("12.1.0"), ["1.18"]);
        assert.deepEqual(ships("11.4.0"), ["1.17"]);
        assert.deepEqual(ships("10.1.3"), ["1.16"]);
        assert.deepEqual(ships("9.2.0"), ["1.16"]);
        assert.deepEqual(ships("8.7.2"), ["1.15"]);
        assert.deepEqual(ships("7.2.2"), ["1.14"]);
        assert.deepEqual(ships("6.7.0"), ["1.13"]);
        assert.deepEqual(ships("5.4.1"), ["1.13", "1.12"]);
        assert.deepEqual(ships("2.32.6"), []);
        assert.deepEqual(ships("latest"), []);
    });

    it("infers the Velero a chart deploys without image.tag", () => {
        assert.equal(defaultVeleroForChart(), "v1.18.1");
        assert.equal(defaultVeleroForChart("12.1.0"), "v1.18.1");
        assert.equal(defaultVeleroForChart("v12.1.0"), "v1.18.1");
        assert.equal(defaultVeleroForChart("12.0.0"), "1.18");
        assert.equal(defaultVeleroForChart("11.4.0"), "1.17");
        assert.equal(defaultVeleroForChart("5.2.0"), undefined, "chart 5 ships 1.12 and 1.13");
        assert.equal(defaultVeleroForChart("2.32.6"), undefined);
    });

    it("parses versions from tags and image references", () => {
        assert.deepEqual(parseVersion("v1.18.1"), [1, 18, 1]);
        assert.deepEqual(parseVersion("1.18"), [1, 18, 0]);
        assert.deepEqual(parseVersion("velero/velero:v1.18.2"), [1, 18, 2]);
        assert.deepEqual(parseVersion("v1.14.0-rc.1"), [1, 14, 0]);
        assert.equal(parseVersion("latest"), undefined);
        assert.equal(parseVersion(""), undefined);
        assert.deepEqual(parseVersion(" v1.18.1\n"), [1, 18, 1], "as written in a values file");
        assert.equal(minorOf("v1.9.2"), "1.9");
        assert.equal(lineFor("v1.17.0")?.awsPlugin, "1.13");
        assert.equal(lineFor("v1.8.1"), undefined);
        assert.equal(chartMajorOf("12.1.0"), 12);
        assert.equal(chartMajorOf(" 12 "), 12);
        assert.equal(chartMajorOf("^12.1"), 12);
        assert.equal(chartMajorOf("~12.1.0"), 12);
        assert.equal(chartMajorOf(">=12"), undefined, "may resolve to a later major");
    });

    it("compares versions numerically, not as strings", () => {
        assert.equal(versionAtLeast("v1.9.2", "1.9.1"), true);
        assert.equal(versionAtLeast("v1.9.1", "1.9.1"), true);
        assert.equal(versionAtLeast("v1.9.0", "1.9.1"), false);
        assert.equal(versionAtLeast("v1.10.0", "1.9.1"), true);
        assert.equal(versionAtLeast("v1.17.2", "1.18"), false);
        assert.equal(versionAtLeast("v2.0.0", "1.18"), true);
        assert.equal(versionAtLeast("latest", "1.18"), undefined);
        assert.equal(hasBuiltInCsi("v1.13.2"), false);
        assert.equal(hasBuiltInCsi("v1.14.0"), true);
        assert.equal(hasBuiltInCsi("v1.100.0"), true);
        assert.equal(hasBuiltInCsi("latest"), false);
    });
});
