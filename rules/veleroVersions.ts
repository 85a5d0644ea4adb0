/**
 * The Velero compatibility matrix (NOTES.md): which aws plugin and, before 1.14, which CSI
 * plugin go with each Velero minor, and which chart major ships it. Both the velero-versions
 * rule and the Velero component read it, so what we install is what we accept.
 */

export interface VeleroLine {
    /** Velero minor, e.g. "1.18". */
    velero: string;
    /** The patch release we install by default. */
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
    { velero: "1.18", defaultVelero: "v1.18.1", awsPlugin: "1.14", defaultAwsPlugin: "v1.14.0", chartMajors: [12] },
    { velero: "1.17", defaultVelero: "v1.17.1", awsPlugin: "1.13", defaultAwsPlugin: "v1.13.1", chartMajors: [11] },
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
        chartMajors: [6],
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

/** Velero releases the aws plugin tags with known COS-breaking regressions (NOTES.md). */
export const BAD_AWS_PLUGIN_TAGS: Record<string, string> = {
    "v1.14.1": "forces request checksums and multipart uploads that COS rejects (velero #9804, #10543)",
    "v1.14.2": "forces request checksums and multipart uploads that COS rejects (velero #9951, #10543)",
};

/** "v1.18.1" / "1.18" / "velero/velero:v1.18.1" → "1.18"; undefined if unparsable. */
export function minorOf(version: string): string | undefined {
    const m = /(?:^|[:v])(\d+)\.(\d+)(?:\.\d+)?(?:[-+][\w.-]*)?$/.exec(version.trim());
    return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

export function lineFor(version: string): VeleroLine | undefined {
    const minor = minorOf(version);
    return VELERO_MATRIX.find((l) => l.velero === minor);
}

/** Velero ≥ 1.14 ships the CSI plugin built in. */
export function hasBuiltInCsi(version: string): boolean {
    const minor = minorOf(version);
    if (!minor) return false;
    const [maj, min] = minor.split(".").map(Number);
    return maj > 1 || (maj === 1 && min >= 14);
}

export const SUPPORTED_VELERO = VELERO_MATRIX.map((l) => l.velero);
