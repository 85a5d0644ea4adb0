/** Policy config schemas and their validation, target selection and exemptions. */
import { strict as assert } from "node:assert";
import { THRESHOLD_BOUNDS } from "../../rules";
import { configSchemaFor, PolicyConfigError, validateConfig } from "../../policy/config";
import { kubernetesProviderName } from "../../config/naming";
import { DEFAULT_TARGET_PROVIDERS, exemptionMatcher, globMatcher, isTargetProvider } from "../../policy/selection";
import { provider } from "./harness";

describe("policy config", () => {
    const schema = configSchemaFor({ thresholds: ["reservedPorts", "reservedRangeFrom"], fixes: ["nodePortServiceType"], targetOnly: true });

    it("holds the profile, the rule's thresholds within THRESHOLD_BOUNDS, its fix options, target providers and exemptions", () => {
        assert.deepEqual(Object.keys(schema.properties), ["profile", "reservedPorts", "reservedRangeFrom", "nodePortServiceType", "targetProviders", "excludeNamespaces", "excludeNames"]);
        assert.deepEqual(schema.properties.reservedPorts.items, { type: "integer", minimum: THRESHOLD_BOUNDS.reservedPorts.min, maximum: THRESHOLD_BOUNDS.reservedPorts.max });
        assert.equal(schema.properties.reservedRangeFrom.default, undefined, "thresholds default to the profile's");
        assert.match(String(schema.properties.reservedRangeFrom.description), /eks: 62000, tke-serverless: 61000/);
        assert.ok(!("targetProviders" in configSchemaFor({ thresholds: [], fixes: [], targetOnly: false }).properties));
    });

    it("fills in the defaults and leaves its input alone", () => {
        const raw = { profile: "tke-serverless" };
        assert.deepEqual(validateConfig("p", schema, raw), {
            profile: "tke-serverless",
            nodePortServiceType: "ClusterIP",
            targetProviders: ["target", "*-target", "serverless", "*-serverless"],
            excludeNamespaces: [],
            excludeNames: [],
        });
        assert.deepEqual(raw, { profile: "tke-serverless" });
        assert.equal(validateConfig("p", schema, undefined).profile, "eks");
    });

    it("lists every problem in one error naming the policy, each key, its value and what is allowed", () => {
        assert.throws(
            () => validateConfig("eks-reserved-ports", schema, { reservedPorts: [9100, 0], reservedRangeFrom: "62000", nodePortServiceType: "NodePort", targetProviders: [], colour: "red" }),
            (e: Error) => {
                assert.ok(e instanceof PolicyConfigError);
                assert.match(e.message, /^policy eks-reserved-ports: bad config: /);
                for (const part of [
                    'unknown key "colour" (value "red"); allowed keys: profile, reservedPorts, reservedRangeFrom, nodePortServiceType, targetProviders, excludeNamespaces, excludeNames',
                    "reservedPorts[1] = 0: must be an integer from 1 to 65535",
                    'reservedRangeFrom = "62000": must be an integer from 1 to 65535',
                    'nodePortServiceType = "NodePort": must be one of "ClusterIP", "LoadBalancer"',
                    "targetProviders = []: must be a list of non-empty strings (at least 1)",
                ]) {
                    assert.ok(e.message.includes(part), `missing: ${part}\nin: ${e.message}`);
                }
                return true;
            },
        );
        assert.throws(() => validateConfig("p", schema, "eks"), /the config must be an object of settings, got "eks"/);
    });
});

describe("target selection", () => {
    it("matches provider names by glob, ignoring case, and URNs by patterns starting with urn:", () => {
        const defaults = DEFAULT_TARGET_PROVIDERS;
        assert.ok(isTargetProvider(provider("dev-target"), defaults));
        assert.ok(isTargetProvider(provider("Prod-Serverless"), defaults));
        assert.ok(isTargetProvider(provider("target"), defaults));
        assert.ok(!isTargetProvider(provider("dev-source"), defaults));
        assert.ok(!isTargetProvider(provider("target-source"), defaults), "a stack called target keeps its source a source");
        assert.ok(!isTargetProvider(provider("tke2eks"), defaults), "the project's name is no marker");
        assert.ok(!isTargetProvider(provider("default_4_34_2"), defaults));
        // The names the migration gives its providers.
        assert.ok(isTargetProvider(provider(kubernetesProviderName("target")), defaults));
        assert.ok(!isTargetProvider(provider(kubernetesProviderName("source")), defaults));
        assert.ok(isTargetProvider(provider("cluster-b"), ["urn:pulumi:dev::tke2eks::pulumi:providers:kubernetes::cluster-?"]));
        assert.ok(!isTargetProvider(provider("cluster-b"), ["urn:*::cluster-a"]));
        assert.ok(!isTargetProvider(undefined, defaults), "no provider: not the target");
        assert.ok(isTargetProvider(undefined, ["*"]), '"*" judges everything');
    });

    it("treats regex metacharacters literally", () => {
        const m = globMatcher(["app.v1", "a+b", "x?z"]);
        assert.ok(m("app.v1") && m("a+b") && m("xyz"));
        assert.ok(!m("appxv1") && !m("aab") && !m("xz"));
    });

    it("reads Velero's glob syntax: classes and alternatives", () => {
        const m = globMatcher(["{shop,blog}-*", "db-[0-2]"]);
        assert.ok(m("shop-web") && m("blog-api") && m("db-1"));
        assert.ok(!m("news-web") && !m("db-3") && !m("{shop,blog}-web"));
    });
});

describe("exemptions", () => {
    const obj = (metadata: Record<string, unknown>) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata });
    const release = { apiVersion: "helm.sh/v3", kind: "Release", name: "velero", namespace: "velero", chart: "velero" };

    it("exempts by namespace glob, a missing namespace being default", () => {
        const m = exemptionMatcher({ excludeNamespaces: ["kube-*", "default"], excludeNames: [] });
        assert.ok(m(obj({ name: "a", namespace: "kube-system" })));
        assert.ok(m(obj({ name: "a" })));
        assert.ok(!m(obj({ name: "a", namespace: "shop" })));
    });

    it("exempts by name, or namespace/name when the pattern has a slash", () => {
        const m = exemptionMatcher({ excludeNamespaces: [], excludeNames: ["legacy-*", "shop/web"] });
        assert.ok(m(obj({ name: "legacy-api", namespace: "any" })));
        assert.ok(m(obj({ name: "web", namespace: "shop" })));
        assert.ok(!m(obj({ name: "web", namespace: "blog" })));
        assert.ok(!m(obj({ namespace: "shop" })), "a nameless object matches no name");
    });

    it("reads a Helm release's own name and namespace", () => {
        assert.ok(exemptionMatcher({ excludeNamespaces: [], excludeNames: ["velero/velero"] })(release));
        assert.ok(exemptionMatcher({ excludeNamespaces: ["velero"], excludeNames: [] })(release));
    });

    it("reads no name or namespace when nothing is exempted", () => {
        const trap = { apiVersion: "v1", kind: "Pod", get metadata(): never { throw new Error("read") } };
        assert.equal(exemptionMatcher({ excludeNamespaces: [], excludeNames: [] })(trap), false);
    });
});
