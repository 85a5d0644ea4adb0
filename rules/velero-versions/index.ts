import { hasFeature, helmTruthy, readVeleroInstall, releaseValues, valuesPath, type VeleroInstall } from "../veleroInstall";
import { storageLocations } from "../veleroStorage";
import {
    BAD_AWS_PLUGIN_TAGS,
    CRDS_APPLY_FROM,
    PINNED_CHART,
    SUPPORTED_VELERO,
    VELERO_MATRIX,
    chartMajorOf,
    hasBuiltInCsi,
    lineFor,
    linesForChart,
    minorOf,
    versionAtLeast,
    type VeleroLine,
} from "../veleroVersions";
import type { KubeObject, RawFinding, Rule } from "../types";
import { DEPLOYMENTS, HELM_RELEASES } from "../kinds";

const RANGE = `${SUPPORTED_VELERO[SUPPORTED_VELERO.length - 1]}–${SUPPORTED_VELERO[0]}`;
const NEWEST = VELERO_MATRIX[0];

function awsPluginFindings(install: VeleroInstall, line: VeleroLine | undefined): RawFinding[] {
    const out: RawFinding[] = [];
    for (const p of install.plugins.filter((x) => x.kind === "aws")) {
        const want = line ? `v${line.awsPlugin}.x for Velero ${line.velero} (we install ${line.defaultAwsPlugin})` : `the plugin that matches your Velero`;
        const tag = p.tag ?? "";
        const minor = minorOf(tag);
        if (minor === undefined) {
            out.push({
                path: p.path,
                message: `aws plugin image ${p.image} at ${p.path} has no version tag, so its pairing with Velero cannot be checked and it changes under you`,
                fix: `pin ${want}`,
            });
            continue;
        }
        const bad = BAD_AWS_PLUGIN_TAGS[tag];
        if (bad !== undefined) {
            out.push({ path: p.path, message: `aws plugin ${tag} at ${p.path} ${bad}`, fix: `pin ${want}` });
        }
        if (line && minor !== line.awsPlugin) {
            out.push({
                path: p.path,
                message: `aws plugin ${tag} at ${p.path} does not pair with Velero ${line.velero}: the matrix pairs it with aws plugin v${line.awsPlugin}.x (velero-plugin-for-aws compatibility table)`,
                fix: `use ${line.defaultAwsPlugin}`,
            });
        }
    }
    return out;
}

function csiPluginFindings(install: VeleroInstall, line: VeleroLine | undefined): RawFinding[] {
    const out: RawFinding[] = [];
    const version = install.version;
    const csi = install.plugins.filter((x) => x.kind === "csi");
    if (version === undefined) return out;
    if (hasBuiltInCsi(version)) {
        for (const p of csi) {
            out.push({
                path: p.path,
                message: `velero-plugin-for-csi init container at ${p.path} on Velero ${version}: the CSI plugin is built into Velero since 1.14, and registering it twice stops the server`,
                fix: "remove the velero-plugin-for-csi init container (keep the EnableCSI feature flag)",
            });
        }
        return out;
    }
    if (!line?.csiPlugin) return out;
    for (const p of csi) {
        const minor = p.tag === undefined ? undefined : minorOf(p.tag);
        if (minor !== line.csiPlugin) {
            out.push({
                path: p.path,
                message: `velero-plugin-for-csi ${p.tag ?? "(no tag)"} at ${p.path} does not pair with Velero ${line.velero}: the matrix pairs it with v${line.csiPlugin}.x`,
                fix: `use ${line.defaultCsiPlugin}`,
            });
        }
    }
    if (csi.length === 0 && hasFeature(install, "EnableCSI")) {
        out.push({
            path: install.pluginsPath,
            message: `Velero ${version} has EnableCSI but no velero-plugin-for-csi init container (at ${install.pluginsPath || "/"}): before 1.14 the CSI plugin is separate, so CBS snapshots are neither taken nor restored`,
            fix: `add velero/velero-plugin-for-csi:${line.defaultCsiPlugin} to the init containers, or move to Velero ${NEWEST.velero}`,
        });
    }
    return out;
}

function releaseFindings(obj: KubeObject, install: VeleroInstall, line: VeleroLine | undefined): RawFinding[] {
    const out: RawFinding[] = [];
    const values = releaseValues(obj);
    const chart = install.chartVersion;
    const major = chart ? chartMajorOf(chart.value) : chartMajorOf(PINNED_CHART.version);
    // A chart range (">=12") leaves the major unknown: nothing to compare.
    if (chart && install.imageTag && major !== undefined) {
        const lines = linesForChart(chart.value);
        if (lines.length === 0) {
            out.push({
                path: chart.path,
                message: `Velero chart ${chart.value} at ${chart.path} is outside the compatibility matrix (chart majors ${[...new Set(VELERO_MATRIX.flatMap((l) => l.chartMajors))].sort((a, b) => a - b).join(", ")})`,
                fix: `use chart ${PINNED_CHART.version}`,
            });
        } else if (line && !lines.includes(line)) {
            out.push({
                path: install.imageTag.path,
                message: `image.tag ${install.imageTag.value} at ${install.imageTag.path} is Velero ${line.velero}, but chart ${chart.value} is written for Velero ${lines.map((l) => l.velero).join(" / ")}: its templates and CRD hook expect that release`,
                fix: `use the chart major for Velero ${line.velero} (${line.chartMajors.join(" or ")}), or drop image.tag to take the chart's own`,
            });
        }
    }
    // Chart 12's upgrade-CRDs hook runs `velero install --crds-only --apply`, which older Velero lacks.
    const upgradeCRDs = values.upgradeCRDs === undefined ? true : helmTruthy(values.upgradeCRDs);
    if (major === 12 && upgradeCRDs && install.version !== undefined && versionAtLeast(install.version, CRDS_APPLY_FROM) === false) {
        const path = values.upgradeCRDs === undefined ? install.versionPath : valuesPath("upgradeCRDs");
        out.push({
            path,
            message: `chart 12's upgrade-CRDs hook (upgradeCRDs${values.upgradeCRDs === undefined ? " defaults to true" : ": true"}) runs "velero install --crds-only --apply" with image ${install.version}, and that flag exists only from Velero ${CRDS_APPLY_FROM}: the hook job fails and so does the release`,
            fix: `set upgradeCRDs: false (and apply the CRDs of Velero ${install.version} yourself), or use Velero ${NEWEST.defaultVelero}`,
        });
    }
    // The chart needs an object-store plugin for every provider its locations use.
    const usesAws = storageLocations(obj).some((l) => l.provider === "aws" || l.provider === "velero.io/aws");
    if (usesAws && !install.plugins.some((p) => p.kind === "aws") && typeof values.initContainers !== "string") {
        out.push({
            path: install.pluginsPath,
            message: `Velero release has an aws backup storage location but no velero-plugin-for-aws init container (at ${install.pluginsPath || "/"}): the server finds no object store for provider aws`,
            fix: `add velero/velero-plugin-for-aws:${line?.defaultAwsPlugin ?? NEWEST.defaultAwsPlugin} to initContainers, mounting the plugins volume at /target`,
        });
    }
    return out;
}

/** Velero, its plugins and its chart must be a pair the upstream matrix supports. */
export const veleroVersions: Rule<"velero-versions"> = {
    id: "velero-versions",
    defaultLevel: "mandatory",
    title: "Velero versions that fit together",
    why: "Velero, the aws plugin, the CSI plugin and the Helm chart are released in matched lines (https://github.com/velero-io/velero-plugin-for-aws#compatibility)",
    fix: `install a matched set, e.g. Velero ${NEWEST.defaultVelero} with aws plugin ${NEWEST.defaultAwsPlugin} on chart ${PINNED_CHART.version}`,
    policy: { onAnyCluster: [...HELM_RELEASES, ...DEPLOYMENTS] },
    check(obj) {
        const install = readVeleroInstall(obj);
        if (!install) return [];
        const out: RawFinding[] = [];
        const line = install.version === undefined ? undefined : lineFor(install.version);
        if (install.version !== undefined && !line) {
            const what = minorOf(install.version) === undefined ? "is not a release version, so its plugins cannot be matched to it" : `is outside the compatibility matrix (${RANGE}), so no tested aws plugin pairs with it`;
            out.push({
                path: install.versionPath,
                message: `Velero ${install.version} at ${install.versionPath || "/"} ${what}`,
                fix: `install Velero ${NEWEST.defaultVelero} with aws plugin ${NEWEST.defaultAwsPlugin}`,
            });
        }
        out.push(...awsPluginFindings(install, line), ...csiPluginFindings(install, line));
        if (install.shape === "release") out.push(...releaseFindings(obj, install, line));
        return out;
    },
};
