/**
 * Which images a Velero install runs, from the compatibility matrix in rules/veleroVersions:
 * the config validates through this and the Velero component installs what it returns, so
 * what we install is what the velero-versions rule accepts.
 */
import {
    AWS_PLUGIN_CHECKSUMS_FROM,
    BAD_AWS_PLUGIN_TAGS,
    chartMajorOf,
    CRDS_APPLY_FROM,
    lineFor,
    PINNED_CHART,
    SUPPORTED_VELERO,
    VELERO_MATRIX,
    versionAtLeast,
    type VeleroLine,
} from "../rules/veleroVersions";

export interface VeleroRelease {
    /** Velero image tag, e.g. `v1.18.1`. */
    velero: string;
    /** velero-plugin-for-aws image tag. */
    awsPlugin: string;
    /** velero-plugin-for-csi image tag: only before Velero 1.14, which has CSI built in. */
    csiPlugin?: string;
    /**
     * The chart's CRD-upgrade hook runs `velero install --crds-only --apply`, which only
     * Velero ≥ 1.18 has; older images must skip it.
     */
    upgradeCRDs: boolean;
    /**
     * The plugin sends request checksums COS rejects unless `checksumAlgorithm: ""`; older
     * plugins send none and refuse the key as unknown.
     */
    checksumAlgorithmConfig: boolean;
}

export interface VersionProblem {
    field: "veleroVersion" | "awsPluginVersion";
    message: string;
}

const TAG = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/;

/** The Velero line the pinned chart ships: what a cluster gets unless it pins another. */
export function chartVeleroLine(): VeleroLine {
    const major = chartMajorOf(PINNED_CHART.version);
    const line = VELERO_MATRIX.find((l) => major !== undefined && l.chartMajors.includes(major));
    if (!line) throw new Error(`rules/veleroVersions has no Velero line for chart major ${major}`);
    return line;
}

/**
 * Resolves a requested Velero version ("v1.17.1", "1.17" for the line's default patch, or
 * nothing for the chart's own) and an optional aws plugin tag into images, or says why not.
 */
export function resolveVeleroRelease(veleroVersion?: string, awsPluginVersion?: string): { release: VeleroRelease } | { problems: VersionProblem[] } {
    const requested = veleroVersion ?? chartVeleroLine().defaultVelero;
    const m = TAG.exec(requested.trim());
    const line = m ? lineFor(`${m[1]}.${m[2]}`) : undefined;
    if (!m || !line) {
        const why = m ? `Velero ${m[1]}.${m[2]} is not in the compatibility matrix` : "not a Velero version";
        return { problems: [{ field: "veleroVersion", message: `${why}; use v<major>.<minor>[.<patch>] with minor ${SUPPORTED_VELERO.join(", ")}` }] };
    }
    const velero = m[3] === undefined ? line.defaultVelero : `v${m[1]}.${m[2]}.${m[3]}`;

    let awsPlugin = line.defaultAwsPlugin;
    if (awsPluginVersion !== undefined) {
        const p = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(awsPluginVersion.trim());
        const tag = p ? `v${p[1]}.${p[2]}.${p[3]}` : undefined;
        if (!p || !tag) {
            return { problems: [{ field: "awsPluginVersion", message: `not a plugin tag; use v${line.awsPlugin}.<patch>, e.g. ${line.defaultAwsPlugin}` }] };
        }
        if (`${p[1]}.${p[2]}` !== line.awsPlugin) {
            return { problems: [{ field: "awsPluginVersion", message: `Velero ${line.velero} needs velero-plugin-for-aws ${line.awsPlugin}.x, e.g. ${line.defaultAwsPlugin}` }] };
        }
        if (BAD_AWS_PLUGIN_TAGS[tag]) {
            return { problems: [{ field: "awsPluginVersion", message: `${tag} ${BAD_AWS_PLUGIN_TAGS[tag]}; use ${line.defaultAwsPlugin}` }] };
        }
        awsPlugin = tag;
    }

    const release: VeleroRelease = {
        velero,
        awsPlugin,
        upgradeCRDs: versionAtLeast(velero, CRDS_APPLY_FROM) === true,
        checksumAlgorithmConfig: versionAtLeast(awsPlugin, AWS_PLUGIN_CHECKSUMS_FROM) === true,
    };
    if (line.defaultCsiPlugin) release.csiPlugin = line.defaultCsiPlugin;
    return { release };
}
