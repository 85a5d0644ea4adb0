/**
 * The Velero compatibility matrix (velero-plugin-for-aws README.md, "Compatibility"): which aws plugin and, before 1.14, which CSI
 * plugin go with each Velero minor, and which chart major ships it. Both the velero-versions
 * rule and the Velero component read it, so what we install is what we accept.
 *
 * Checked against upstream: the plugin READMEs' compatibility tables, the release tags of
 * velero, velero-plugin-for-aws and velero-plugin-for-csi, and the appVersion of every
 * vmware-tanzu/helm-charts `velero-*` tag (chart 5.x shipped 1.11.1 to 1.13.0, 6.x 1.13.x).
 */

export interface VeleroLine {
    /** Velero minor, e.g. "1.18". */
    velero: string;
    /** The patch release we install by default (the newest patch of the line). */
    defaultVelero: string;
    /** velero-plugin-for-aws minor that matches. */
    awsPlugin: string;
    /** The aws plugin tag we install by default (avoiding known-bad patches). */
    defaultAwsPlugin: string;
    /** velero-plugin-for-csi minor, only before Velero 1.14 (built in since). */
    csiPlugin?: string;
    defaultCsiPlugin?: string;
    /** Helm chart majors that ship this Velero. */
    chartMajors: number[];
}

export const VELERO_MATRIX: readonly VeleroLine[] = [
    // v1.18.2 rather than the chart's v1.18.1: the CRDs our tests validate against are v1.18.2's.
    // aws plugin v1.14.0: the later 1.14 patches regress on COS (BAD_AWS_PLUGIN_TAGS).
    { velero: "1.18", defaultVelero: "v1.18.2", awsPlugin: "1.14", defaultAwsPlugin: "v1.14.0", chartMajors: [12] },
    { velero: "1.17", defaultVelero: "v1.17.2", awsPlugin: "1.13", defaultAwsPlugin: "v1.13.2", chartMajors: [11] },
    { velero: "1.16", defaultVelero: "v1.16.2", awsPlugin: "1.12", defaultAwsPlugin: "v1.12.2", chartMajors: [9, 10] },
    { velero: "1.15", defaultVelero: "v1.15.2", awsPlugin: "1.11", defaultAwsPlugin: "v1.11.1", chartMajors: [8] },
    { velero: "1.14", defaultVelero: "v1.14.1", awsPlugin: "1.10", defaultAwsPlugin: "v1.10.1", chartMajors: [7] },
    {
        velero: "1.13",
        defaultVelero: "v1.13.2",
        awsPlugin: "1.9",
        defaultAwsPlugin: "v1.9.2",
        csiPlugin: "0.7",
        defaultCsiPlugin: "v0.7.1",
        chartMajors: [5, 6],
    },
    {
        velero: "1.12",
        defaultVelero: "v1.12.4",
        awsPlugin: "1.8",
        defaultAwsPlugin: "v1.8.2",
        csiPlugin: "0.6",
        defaultCsiPlugin: "v0.6.3",
        chartMajors: [5],
    },
];

/** aws plugin tags with known regressions against COS-like S3 stores (the upstream issues each entry names). */
export const BAD_AWS_PLUGIN_TAGS: Record<string, string> = {
    "v1.9.1": "always sends CRC32 request checksums and refuses the checksumAlgorithm key that turns them off (honoured from v1.9.2; https://github.com/velero-io/velero/issues/7531, https://github.com/velero-io/velero/issues/7534)",
    "v1.14.1": "sends SDK checksums even with checksumAlgorithm \"\" (https://github.com/velero-io/velero/issues/9804) and forces a CRC32 trailer on multipart uploads (https://github.com/velero-io/velero/issues/10543)",
    "v1.14.2": "wraps uploaded objects in checksum framing, corrupting backups (https://github.com/velero-io/velero/issues/9951), and forces a CRC32 trailer on multipart uploads (https://github.com/velero-io/velero/issues/10543)",
    "v1.14.3": "still forces a CRC32 trailer on multipart uploads, so every backup above 5 MiB fails (https://github.com/velero-io/velero/issues/10543)",
};

/** The Velero Helm chart every install uses, pinned once here, and the Velero it deploys when `image.tag` is not set. */
export const PINNED_CHART = { name: "velero", repo: "https://vmware-tanzu.github.io/helm-charts", version: "12.1.0", appVersion: "v1.18.1" } as const;

/** The aws plugin sends request checksums from this release on (velero #7531). */
export const AWS_PLUGIN_CHECKSUMS_FROM = "1.9.1";

/** Chart 12's upgrade-CRDs hook runs `velero install --crds-only --apply`, new in this Velero. */
export const CRDS_APPLY_FROM = "1.18";

/** The first Velero with the CSI plugin built in. */
export const BUILT_IN_CSI_FROM = "1.14";

const VERSION = /(?:^|[:v])(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][\w.-]*)?$/;

/** "v1.18.1" / "1.18" / "velero/velero:v1.18.1" → [1, 18, 1] (patch 0 when absent); undefined if unparsable. */
export function parseVersion(version: string): [number, number, number] | undefined {
    const m = VERSION.exec(version.trim());
    return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** "v1.18.1" / "1.18" / "velero/velero:v1.18.1" → "1.18"; undefined if unparsable. */
export function minorOf(version: string): string | undefined {
    const v = parseVersion(version);
    return v ? `${v[0]}.${v[1]}` : undefined;
}

/** `version` ≥ `floor` (both parsed with parseVersion); undefined when either is unparsable. */
export function versionAtLeast(version: string, floor: string): boolean | undefined {
    const a = parseVersion(version);
    const b = parseVersion(floor);
    if (!a || !b) return undefined;
    for (let i = 0; i < 3; i++) {
        if (a[i] !== b[i]) return a[i] > b[i];
    }
    return true;
}

export function lineFor(version: string): VeleroLine | undefined {
    const minor = minorOf(version);
    return VELERO_MATRIX.find((l) => l.velero === minor);
}

/** Velero ≥ 1.14 ships the CSI plugin built in. */
export function hasBuiltInCsi(version: string): boolean {
    return versionAtLeast(version, BUILT_IN_CSI_FROM) ?? false;
}

export const SUPPORTED_VELERO = VELERO_MATRIX.map((l) => l.velero);

/** "12.1.0" / "v12.1.0" / "^12.1" / "~12.1.0" → 12; undefined for anything else (">=12" may be 13). */
export function chartMajorOf(chartVersion: string): number | undefined {
    const m = /^[\^~]?v?(\d+)(?:\.|$)/.exec(chartVersion.trim());
    return m ? Number(m[1]) : undefined;
}

/** The matrix lines a chart major ships (chart 5 spans two). */
export function linesForChart(chartVersion: string): VeleroLine[] {
    const major = chartMajorOf(chartVersion);
    return major === undefined ? [] : VELERO_MATRIX.filter((l) => l.chartMajors.includes(major));
}

/**
 * The Velero a chart deploys when `image.tag` is not set: the pinned chart's appVersion when
 * no chart version is given or it is the pinned one, else the minor of the one line its
 * major ships; undefined when that is ambiguous or outside the matrix.
 */
export function defaultVeleroForChart(chartVersion?: string): string | undefined {
    if (chartVersion === undefined || chartVersion.trim().replace(/^v/, "") === PINNED_CHART.version) return PINNED_CHART.appVersion;
    const lines = linesForChart(chartVersion);
    return lines.length === 1 ? lines[0].velero : undefined;
}
