/**
 * Contract between the plan command and the policy pack (implemented with the policy pack).
 * Calls every policy's validateResource / validateStack directly, with arguments shaped
 * as the Pulumi engine sends them, without starting the pack's gRPC server.
 */

/** One resource the program declared, as the engine would describe it to a policy. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** The resource's inputs (secrets unwrapped; the caller redacts when printing). */
    props: Record<string, unknown>;
    /** The explicit or default provider of a custom resource. */
    provider?: { urn: string; type: string; name: string; props: Record<string, unknown> };
    parent?: string;
    dependencies: string[];
    protect?: boolean;
}

export interface PolicyViolation {
    /** The policy name, which is the rule ID. */
    policy: string;
    level: "mandatory" | "advisory";
    urn?: string;
    message: string;
}

/** Policy config as `pulumi up --policy-pack-config` would pass it: policy name → settings. */
export type PolicyPackConfig = Record<string, Record<string, unknown>>;

export async function evaluatePolicies(_resources: PlannedResource[], _config: PolicyPackConfig = {}): Promise<PolicyViolation[]> {
    throw new Error("evaluatePolicies: implemented with the policy pack");
}
