/**
 * `tke2eks plan`: the stack's resources and the policy pack's verdict, offline. Exit 0 when
 * no mandatory policy is violated, 1 when one is, 2 for a bad stack, config or option.
 */
import { formatJson } from "../plan/json";
import { mandatoryCount, type Plan } from "../plan/model";
import { planStack } from "../plan/run";
import { formatText } from "../plan/text";
import { formatYaml } from "../plan/yaml";
import { outputFormat, useColor } from "./output";

export interface PlanCliOptions {
    stack: string;
    config: string[];
    format: string;
    cwd: string;
}

/** table, the vocabulary of every command; text, its old name, still taken. */
const FORMATS = ["table", "text", "json", "yaml"] as const;
type Format = (typeof FORMATS)[number];

function render(format: Format, plan: Plan): string {
    switch (format) {
        case "json":
            return formatJson(plan);
        case "yaml":
            return formatYaml(plan);
        case "table":
        case "text":
            return formatText(plan, { color: useColor(process.stdout, process.env) });
    }
}

export async function runPlan(opts: PlanCliOptions): Promise<number> {
    const format = outputFormat(opts.format, FORMATS, "table");
    const plan = await planStack({ projectDir: opts.cwd, stack: opts.stack, overrides: opts.config });
    process.stdout.write(render(format, plan));
    return mandatoryCount(plan) > 0 ? 1 : 0;
}
