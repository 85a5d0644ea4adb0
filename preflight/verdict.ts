/**
 * The exit codes docs/cli.md gives: 0 clean, 1 findings at or above `--fail-on` (default
 * error), 2 bad usage or unreadable input (a malformed document too, even though the scan
 * went on).
 */
import type { Severity } from "../rules/types";
import type { ScanReport } from "./scan";

export const FAIL_ON = ["error", "warning", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function failsOn(severity: Severity, failOn: FailOn): boolean {
    return failOn === "warning" || (failOn === "error" && severity === "error");
}

export function exitCode(report: ScanReport, failOn: FailOn): 0 | 1 | 2 {
    if (report.problems.length > 0) return 2;
    return report.findings.counted().some((e) => failsOn(e.severity, failOn)) ? 1 : 0;
}
