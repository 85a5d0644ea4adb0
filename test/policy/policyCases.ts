/**
 * What every policy must do, whatever its rule: run on the rule's own good/bad fixtures
 * (both profiles) as resources a program would send to the serverless cluster, report exactly
 * the findings the fixture's hand-written `# expect:` lines list, each on its resource with its
 * path at the right level, leave the source cluster alone where
 * the rule is about the target, honour exemptions, let unknown values the rule reads surface
 * as the SDK's UnknownValueError (and ignore the others), refuse bad config, and remediate
 * with exactly the rule's autofixes. Each policy spec runs these and adds its own cases.
 */
import { strict as assert } from "node:assert";
import { checkObject, DEFAULT_FIXES, resolveProfile, ruleById, THRESHOLD_BOUNDS, type EngineOptions, type KubeObject, type ProfileName, type RuleId, type Thresholds } from "../../rules";
import { describe as describeRef, refOf } from "../../rules/objects";
import { applyFixEdits } from "../../modifiers/fixEdits";
import { PolicyConfigError } from "../../policy/config";
import { everything, fixtures, policyFor, remediate, resourceOf, SOURCE, TARGET, UNKNOWN, validate, validateStack, withValueAt, type AnyPolicy } from "./harness";
import type { PlannedResource } from "../../policy/engineArgs";

function engine(id: RuleId, profile: ProfileName, targetMinor = 0): EngineOptions {
    return { profile: resolveProfile(profile, targetMinor ? { targetMinor } : {}), fixes: DEFAULT_FIXES, only: [id], levels: { [id]: "mandatory" } };
}

/** A place no rule reads, to hold an unknown value that must not stop the check. */
function unreadPath(obj: KubeObject): string {
    return obj.kind === "Release" ? "/description" : "/metadata/generateName";
}

/** The object's resource with one input unknown, as during a preview (the type token stays known). */
function unknownAt(obj: KubeObject, ptr: string): PlannedResource {
    const r = resourceOf(obj);
    return { ...r, props: withValueAt(r.props, ptr, UNKNOWN) };
}

async function resourceViolations(policy: AnyPolicy, rs: PlannedResource[], config: Record<string, unknown>) {
    const out = [];
    for (const r of rs) out.push(policy.validateResource ? (await validate(policy, r, config)).violations : []);
    return out;
}

/**
 * Where the policy judges: "target" only the serverless cluster, "every" both clusters alike,
 * "mixed" some kinds on either cluster (the policy's own spec says which).
 */
export type Clusters = "target" | "every" | "mixed";

export function describePolicy(id: RuleId, clusters: Clusters): void {
    const policy = policyFor(id);
    const rule = ruleById(id);
    const all = fixtures(id);

    it("is the rule's policy: its name, level, and callbacks for each part of the rule", () => {
        assert.equal(policy.name, id);
        assert.equal(policy.enforcementLevel, rule.defaultLevel);
        assert.equal(typeof policy.validateResource === "function", Boolean(rule.check), "validateResource iff the rule judges single objects");
        assert.equal(typeof policy.remediateResource === "function", Boolean(rule.check), "remediateResource iff the rule judges single objects");
        assert.equal(typeof policy.validateStack === "function", Boolean(rule.aggregate), "validateStack iff the rule judges sets");
        assert.ok(all.some((f) => f.good) && all.some((f) => !f.good), `no good/bad fixtures for ${id}`);
    });

    for (const fx of all) {
        const config = { profile: fx.profile, ...(fx.targetMinor ? { targetMinor: fx.targetMinor } : {}) };
        describe(fx.file, () => {
            const onTarget = () => fx.objects.map((o) => resourceOf(o, TARGET));

            it(fx.good ? "passes on the serverless target" : "reports exactly the fixture's expected findings, each on its resource with its path, at the policy's level", async () => {
                const rs = onTarget();
                // Each violation with the resource it is reported on (a resource's own, or the one a set-level violation names).
                const got = [];
                if (policy.validateResource) for (const r of rs) got.push(...(await validate(policy, r, config)).violations.map((v) => ({ ...v, urn: r.urn })));
                if (policy.validateStack) got.push(...(await validateStack(policy, rs, config)).violations);
                const shown = got.map((v) => `${v.urn ?? ""}: ${v.message}`).join("\n");
                // The expectations are the fixture's own `# expect:` lines, written by hand.
                assert.equal(got.length, fx.expect.length, `violations:\n${shown}`);
                const urnOf = new Map(fx.objects.map((o, i) => [describeRef(refOf(o)), rs[i].urn]));
                const unmatched = [...got];
                for (const e of fx.expect) {
                    const urn = urnOf.get(e.object);
                    assert.ok(urn, `${fx.file}: no object ${e.object}`);
                    const level = e.advisory ? "advisory" : policy.enforcementLevel;
                    const i = unmatched.findIndex((v) => v.urn === urn && v.message.includes(e.path) && v.enforcementLevel === level);
                    assert.ok(i >= 0, `no ${String(level)} violation on ${e.object} naming ${e.path} in:\n${shown}`);
                    unmatched.splice(i, 1);
                }
                for (const v of got) assert.ok(v.message.startsWith(`${policy.description}\n`) && v.message.includes(". Fix: "), v.message);
            });

            it("judges the source cluster only where the rule covers every cluster", async () => {
                const target = await resourceViolations(policy, onTarget(), config);
                const sources = fx.objects.map((o) => resourceOf(o, SOURCE));
                for (const [i, r] of sources.entries()) {
                    if (!policy.validateResource) break;
                    const run = await validate(policy, r, config);
                    if (run.notApplicable === undefined) {
                        assert.notEqual(clusters, "target", `${fx.file} #${i} judged on the source`);
                        assert.deepEqual(run.violations, target[i], "a policy for every cluster judges the source alike");
                    } else if (run.notApplicable.startsWith("not deployed to the serverless cluster")) {
                        assert.notEqual(clusters, "every", `${fx.file} #${i} skipped on the source`);
                        assert.match(run.notApplicable, /provider "dev-source" matches none of targetProviders \(target, \*-target, serverless, \*-serverless\)/);
                    } else {
                        assert.match(run.notApplicable, new RegExp(`^${id} judges .+ only$`));
                        assert.deepEqual(target[i], []);
                    }
                }
                if (policy.validateStack) {
                    const run = await validateStack(policy, sources, config);
                    if (clusters === "target") assert.match(run.notApplicable ?? "", /no Kubernetes resource is deployed to the serverless cluster/);
                    else assert.equal(run.violations.length, (await validateStack(policy, onTarget(), config)).violations.length, "a policy for every cluster judges the source's set alike");
                }
            });

            it("skips exempted namespaces and names", async () => {
                assert.deepEqual(await everything(policy, onTarget(), { ...config, excludeNamespaces: ["*"] }), []);
                const rs = onTarget();
                const before = await resourceViolations(policy, rs, config);
                const i = before.findIndex((v) => v.length > 0);
                if (i < 0) return;
                const obj = fx.objects[i];
                const meta = (obj.kind === "Release" ? obj : obj.metadata) as { name: string; namespace?: string };
                const after = await resourceViolations(policy, rs, { ...config, excludeNames: [`${meta.namespace ?? "default"}/${meta.name}`] });
                assert.deepEqual(after[i], []);
                assert.deepEqual(after.filter((_, j) => j !== i), before.filter((_, j) => j !== i));
            });

            if (fx.good) return;

            it("lets an unknown value the rule reads surface as UnknownValueError, and ignores unknowns elsewhere", async () => {
                if (policy.validateResource) {
                    for (const obj of fx.objects) {
                        const known = await validate(policy, resourceOf(obj), config);
                        const elsewhere = await validate(policy, unknownAt(obj, unreadPath(obj)), config);
                        assert.equal(elsewhere.unknown, undefined, `an unknown at ${unreadPath(obj)} stopped the check`);
                        assert.equal(elsewhere.violations.length, known.violations.length);
                    }
                }
                // Each expected finding's own path, unknown: on the resource alone or in the stack, whichever judges it.
                const index = new Map(fx.objects.map((o, i) => [describeRef(refOf(o)), i]));
                for (const e of fx.expect) {
                    const i = index.get(e.object) ?? -1;
                    const obj = fx.objects[i];
                    const alone = policy.validateResource ? await validate(policy, unknownAt(obj, e.path), config) : undefined;
                    const inStack = policy.validateStack ? await validateStack(policy, fx.objects.map((o, j) => (j === i ? unknownAt(o, e.path) : resourceOf(o))), config) : undefined;
                    assert.ok(alone?.unknown ?? inStack?.unknown, `an unknown at ${e.path} of ${e.object} in ${fx.file} did not reach the engine as UnknownValueError`);
                }
            });

            if (!rule.check) return;

            it("remediates with exactly the rule's autofixes", async () => {
                const opts = engine(id, fx.profile, fx.targetMinor);
                for (const obj of fx.objects) {
                    const r = resourceOf(obj);
                    const found = checkObject(obj, opts);
                    const ops = found.flatMap((f) => f.autofix ?? []);
                    const result = await remediate(policy, r, config);
                    if (ops.length === 0) {
                        assert.equal(result, undefined);
                        continue;
                    }
                    assert.deepEqual(result, applyFixEdits(r.props, ops));
                    const fixedObject = obj.kind === "Release" ? { ...result, apiVersion: obj.apiVersion, kind: obj.kind } : result!;
                    const left = checkObject(fixedObject, opts).filter((f) => f.autofix);
                    assert.ok(left.length < found.filter((f) => f.autofix).length, `remediation left ${left.map((f) => f.path).join(", ")}`);
                }
            });
        });
    }

    describe("config", () => {
        const pod: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "demo" }, spec: { containers: [{ name: "c", image: "nginx" }] } };
        const call = (config: Record<string, unknown>) =>
            policy.validateResource ? validate(policy, resourceOf(pod), config) : validateStack(policy, [resourceOf(pod)], config);
        const properties = policy.configSchema?.properties ?? {};

        it("declares a schema with the profile, exemptions and, for target policies, the target providers", () => {
            assert.deepEqual(properties.profile.enum, ["eks", "tke-serverless"]);
            assert.deepEqual(properties.excludeNamespaces.default, []);
            assert.deepEqual(properties.excludeNames.default, []);
            if (properties.targetProviders) assert.deepEqual(properties.targetProviders.default, ["target", "*-target", "serverless", "*-serverless"]);
            for (const key of Object.keys(properties).filter((k) => k in THRESHOLD_BOUNDS)) {
                const bounds = THRESHOLD_BOUNDS[key as keyof Thresholds];
                const s = properties[key];
                const num = s.type === "array" ? (s.items as typeof s) : s;
                assert.equal(num.minimum, bounds.min, key);
                assert.equal(num.maximum, bounds.max, key);
            }
        });

        it("rejects an unknown key, naming it and the allowed keys", async () => {
            await assert.rejects(call({ profil: "eks" }), (e: Error) => e instanceof PolicyConfigError && /unknown key "profil"/.test(e.message) && e.message.includes("allowed keys: profile"));
        });

        it("rejects an unknown profile", async () => {
            await assert.rejects(call({ profile: "gke" }), /profile = "gke": must be one of "eks", "tke-serverless"/);
        });

        for (const key of Object.keys(properties).filter((k) => k in THRESHOLD_BOUNDS)) {
            it(`rejects ${key} out of range, naming the value and the range`, async () => {
                const { min, max } = THRESHOLD_BOUNDS[key as keyof Thresholds];
                const list = properties[key].type === "array";
                const value = list ? [max + 1] : max + 1;
                const where = list ? `${key}[0]` : key;
                await assert.rejects(call({ [key]: value }), new RegExp(`${where.replace(/[[\]]/g, "\\$&")} = ${max + 1}: must be an integer from ${min} to ${max}`));
            });
        }
    });
}
