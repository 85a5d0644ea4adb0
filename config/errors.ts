import { UserError } from "../core/errors";

/** Every config mistake found in one pass, reported together (key, value, what is allowed). */
export interface ConfigIssue {
    /** Full key with path, e.g. `tke2eks:target.kubeconfig`. */
    key: string;
    /** The offending value as shown to the user (already redacted), if there is one. */
    value?: string;
    message: string;
}

export class ConfigError extends UserError {
    constructor(
        readonly issues: ConfigIssue[],
        readonly stackName?: string,
    ) {
        super(formatIssues(issues, stackName));
    }
}

export function formatIssues(issues: ConfigIssue[], stackName?: string): string {
    const where = stackName ? ` of stack "${stackName}"` : "";
    const head = `${issues.length} problem${issues.length === 1 ? "" : "s"} in the tke2eks config${where}:`;
    const lines = issues.map((i) => `  - ${i.key}${i.value === undefined ? "" : ` = ${i.value}`}: ${i.message}`);
    return [head, ...lines].join("\n");
}
