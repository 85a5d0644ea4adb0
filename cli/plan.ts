/**
 * `tke2eks plan`: the stack's resources and the policy pack's verdict, offline. Exit 0 when
 * no mandatory policy is violated, 1 when one is, 2 for a bad stack, config or option.
 */
import { CliError } from "./errors";
import { ConfigError } from "../config/errors";
import { formatJson } from "../plan/json";
import { mandatoryCount, type Plan } from "../plan/model";
import { PlanProgramError, planStack } from "../plan/run";
import { formatText } from "../plan/text";
import { formatYaml } from "../plan/yaml";
import { StackConfigError } from "../config/stackFiles";
import { PolicyConfigError, PolicyEvaluationError } from "../policy/evaluate";

export interface PlanCliOptions {
    stack: string;
    config: string[];
    format: string;
    cwd: string;
}

const FORMATS = ["text", "json", "yaml"] as const;
type Format = (typeof FORMATS)[number];

function isFormat(v: string): v is Format {
    return (FORMATS as readonly string[]).includes(v);
}

function render(format: Format, plan: Plan): string {
    switch (format) {
        case "json":
            return formatJson(plan);
        case "yaml":
            return formatYaml(plan);
        case "text":
            return formatText(plan, { color: process.stdout.isTTY === true && !process.env.NO_COLOR });
    }
}

export async function runPlan(opts: PlanCliOptions): Promise<number> {
    if (!isFormat(opts.format)) throw new CliError(`--format ${opts.format}: use one of ${FORMATS.join(", ")}`);
    let plan: Plan;
    try {
        plan = await planStack({ projectDir: opts.cwd, stack: opts.stack, overrides: opts.config });
    } catch (err) {
        // Expected failures are one clean line each; anything else is a bug and keeps its stack.
        if (err instanceof StackConfigError || err instanceof ConfigError || err instanceof PolicyConfigError || err instanceof PolicyEvaluationError || err instanceof PlanProgramError) {
            throw new CliError(err.message);
        }
        throw err;
    }
    process.stdout.write(render(opts.format, plan));
    return mandatoryCount(plan) > 0 ? 1 : 0;
}
