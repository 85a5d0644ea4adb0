/**
 * `tke2eks --version`: this project's version and the versions of what it installs, as a
 * platform engineer compares them with the clusters' (`-o json` for scripts).
 */
import { chartVeleroLine } from "../config/veleroRelease";
import { PINNED_CHART } from "../rules/veleroVersions";
import { UserError } from "../core/errors";
import { packageVersion } from "./output";

export function versionReport(): Record<string, string> {
    const line = chartVeleroLine();
    return {
        tke2eks: packageVersion(),
        velero: line.defaultVelero,
        veleroChart: PINNED_CHART.version,
        veleroPluginForAws: line.defaultAwsPlugin,
        node: process.version,
    };
}

/** The text after `--version`: nothing, or `-o`/`--output` table | json. */
export function renderVersion(rest: readonly string[]): string {
    const output = rest.length === 0 ? "table" : rest.length === 2 && ["-o", "--output"].includes(rest[0]) ? rest[1] : undefined;
    if (output !== "table" && output !== "json") throw new UserError(`--version ${rest.join(" ")}: takes nothing, or -o table | json`);
    const report = versionReport();
    if (output === "json") return `${JSON.stringify(report, null, 2)}\n`;
    const width = Math.max(...Object.keys(report).map((k) => k.length));
    return Object.entries(report).map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join("");
}
