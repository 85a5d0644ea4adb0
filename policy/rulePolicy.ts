/**
 * The shared mechanics of every policy in the pack: one rule of the catalogue becomes one
 * CrossGuard policy named by the rule ID, at the rule's default level, as the rule's `policy`
 * metadata (rules/types.ts PolicyScope) says.
 *
 * - The rule's object part (`check`) becomes `validateResource` over the resource kinds the
 *   rule names, plus `remediateResource`, which applies the rule's autofixes when
 *   the user sets the policy to `remediate`.
 * - The rule's set part (`aggregate`) becomes `validateStack`, fed the Kubernetes resources
 *   of each serverless cluster (or of every cluster, for rules that compare clusters).
 * - A rule with both parts becomes one policy carrying both callbacks. The SDK tells resource
 *   and stack policies apart by the callbacks they have (isResourcePolicy / isStackPolicy), so
 *   its server runs `validateResource` / `remediateResource` for each resource and
 *   `validateStack` at the end, all under the rule's one name, level and config; the object
 *   findings still block before the resource is created and keep their remediation
 *   (test/policy/server.spec.ts runs this through the SDK's own server).
 */
import type {
    PolicyProviderResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { AggregateScan, checkObject, type Finding, type FixEdit, type KubeObject, type ObjectRef, type Rule, type RuleId, type SetFinding } from "../rules";
import { apiVersionOf, describe, kindOf } from "../rules/objects";
import { configResolver, configSchemaFor, type ResolvedConfig } from "./config";
import { applyAutofix } from "./remediation";
import { anyType, describeKinds, objectsOf, selectType, type AdaptedObject, type SelectedType } from "./resourceTypes";
import { exemptionMatcher, identityOf, isTargetProvider } from "./selection";

export type RulePolicy = ResourceValidationPolicy | StackValidationPolicy | (ResourceValidationPolicy & StackValidationPolicy);

/** The violation shape @pulumi/policy's server also accepts (pulumi-policy#424, not yet in its public type). */
interface ViolationInfo {
    message: string;
    urn?: string;
    enforcementLevel: "advisory";
}

/**
 * Reports one finding. A finding the rule itself calls advisory (a LoadBalancer's explicit
 * nodePorts under the mandatory NodePort rule) goes out at the advisory level whatever the
 * policy's level, so it warns without blocking. `description\nmessage` is the text the
 * server builds for the plain form, kept identical for both forms.
 */
function reportFinding(report: ReportViolation, description: string, text: string, advisory: boolean, urn?: string): void {
    if (!advisory) {
        report(text, urn);
        return;
    }
    const info: ViolationInfo = { message: `${description}\n${text}`, enforcementLevel: "advisory" };
    if (urn !== undefined) info.urn = urn;
    (report as unknown as (v: ViolationInfo) => void)(info);
}

/** "<subject: >message (at /path). Fix: fix"; most rules already name the path in their message. */
function findingText(f: Finding, prefix: string, subject?: string): string {
    const path = prefix + f.path;
    const at = path !== "" && f.message.includes(path) ? "" : ` (at ${path || "the object itself"})`;
    return `${subject ? `${subject}: ` : ""}${f.message}${at}. Fix: ${f.fix}`;
}

function providerText(provider: PolicyProviderResource | undefined): string {
    return provider ? `provider "${provider.name}"` : "no provider";
}

/** An ObjectRef whose namespace and name are read only if a rule asks (they may be unknown). */
function lazyRef(obj: KubeObject, cluster: string, source: string): ObjectRef {
    const id = identityOf(obj);
    const ref: ObjectRef = { apiVersion: apiVersionOf(obj), kind: kindOf(obj), cluster, source };
    Object.defineProperties(ref, {
        namespace: { get: () => id.namespace(), enumerable: true },
        name: { get: () => id.name(), enumerable: true },
    });
    return ref;
}

export function rulePolicy(rule: Rule<RuleId>): RulePolicy {
    const { id, policy: spec } = rule;
    const onTarget = spec.onTarget ?? [];
    const onAny = spec.onAnyCluster ?? [];
    const judged = [...onAny, ...onTarget];
    if (Boolean(rule.check) !== judged.length > 0) {
        throw new Error(`policy ${id}: the rule ${rule.check ? "judges objects but the policy names no resource kinds" : "has no object part but the policy names resource kinds"}`);
    }
    if (Boolean(rule.aggregate) !== Boolean(spec.aggregate)) {
        throw new Error(`policy ${id}: the rule ${rule.aggregate ? "has a set part but the policy does not say which clusters it covers" : "has no set part"}`);
    }
    const configSpec = { thresholds: spec.thresholds ?? [], fixes: spec.fixes ?? [], targetOnly: onTarget.length > 0 || spec.aggregate === "target" };
    const configSchema = configSchemaFor(configSpec);
    const config = configResolver(id, configSpec, configSchema);
    // The engine prints it above each violation's message, which already says why.
    const description = rule.title;
    const base = {
        name: id,
        description,
        displayName: rule.title,
        remediationSteps: rule.fix,
        enforcementLevel: rule.defaultLevel,
        configSchema,
    };

    /** The objects this resource stands for, if the policy judges it here; else notApplicable. */
    function judgedObjects(args: ResourceValidationArgs, cfg: ResolvedConfig): AdaptedObject[] {
        const anywhere = selectType(args.type, onAny);
        const selected: SelectedType | undefined = anywhere ?? selectType(args.type, onTarget);
        if (!selected) return args.notApplicable(`${id} judges ${describeKinds(judged)} only`);
        if (!anywhere && !isTargetProvider(args.provider, cfg.targetProviders)) {
            return args.notApplicable(`not deployed to the serverless cluster: ${providerText(args.provider)} matches none of targetProviders (${cfg.targetProviders.join(", ")})`);
        }
        return objectsOf(selected, args.props);
    }

    /** Each judged object's findings, exempted objects left out. */
    function* findings(args: ResourceValidationArgs, cfg: ResolvedConfig): Generator<{ f: Finding; prefix: string }> {
        const exempt = exemptionMatcher(cfg);
        for (const { object, prefix } of judgedObjects(args, cfg)) {
            const found = checkObject(object, cfg.engine);
            // Namespace and name are read only when there is something to exempt.
            if (found.length === 0 || exempt(object)) continue;
            for (const f of found) yield { f, prefix };
        }
    }

    const resourcePart = rule.check && {
        validateResource(args: ResourceValidationArgs, report: ReportViolation): void {
            const cfg = config(args.getConfig());
            for (const { f, prefix } of findings(args, cfg)) reportFinding(report, description, findingText(f, prefix), f.severity === "warning");
        },
        async remediateResource(args: ResourceValidationArgs): Promise<Record<string, unknown> | undefined> {
            const cfg = config(args.getConfig());
            const ops: FixEdit[] = [];
            for (const { f, prefix } of findings(args, cfg)) {
                for (const op of f.autofix ?? []) ops.push({ ...op, path: prefix + op.path });
            }
            return ops.length > 0 ? applyAutofix(args.props, ops) : undefined;
        },
    };

    const stackPart = spec.aggregate && {
        validateStack(args: StackValidationArgs, report: ReportViolation): void {
            const cfg = config(args.getConfig());
            const exempt = exemptionMatcher(cfg);
            const perTarget = spec.aggregate === "target";
            const scans = new Map<string, AggregateScan>();
            const placed = new Map<ObjectRef, { urn: string; prefix: string }>();
            for (const r of args.resources) {
                const selected = anyType(r.type);
                if (!selected || !r.provider) continue;
                if (perTarget && !isTargetProvider(r.provider, cfg.targetProviders)) continue;
                const key = perTarget ? r.provider.urn : "";
                let scan = scans.get(key);
                if (!scan) scans.set(key, (scan = new AggregateScan(cfg.engine)));
                for (const { object, prefix } of objectsOf(selected, r.props)) {
                    if (exempt(object)) continue;
                    const ref = lazyRef(object, r.provider.urn, r.urn);
                    placed.set(ref, { urn: r.urn, prefix });
                    scan.add(object, ref);
                }
            }
            if (scans.size === 0) {
                args.notApplicable(perTarget ? `no Kubernetes resource is deployed to the serverless cluster (targetProviders: ${cfg.targetProviders.join(", ")})` : "no Kubernetes resources");
            }
            for (const scan of scans.values()) {
                for (const f of scan.finish()) reportSetFinding(report, f, f.object && placed.get(f.object));
            }
        },
    };

    function reportSetFinding(report: ReportViolation, f: SetFinding, at: { urn: string; prefix: string } | undefined): void {
        const subject = f.object ? describe(f.object) : undefined;
        reportFinding(report, description, findingText(f, at?.prefix ?? "", subject), f.severity === "warning", at?.urn ?? f.object?.source);
    }

    return { ...base, ...resourcePart, ...stackPart } as RulePolicy;
}
