import { strict as assert } from "node:assert";
import { MAX_CONFIGMAP_BYTES, validateModifierConfigMap, validateResourceModifiers } from "../../modifiers/validate";

/** A modifier file using every key Velero 1.13+ knows. */
const FULL = `
version: v1
resourceModifierRules:
  - conditions:
      groupResource: deployments.apps
      resourceNameRegex: "^web$"
      namespaces: [shop, "shop-*"]
      labelSelector:
        matchLabels: {app: web}
        matchExpressions:
          - {key: tier, operator: In, values: [frontend]}
          - {key: legacy, operator: DoesNotExist}
      matches:
        - path: /spec/replicas
          value: "3"
    patches:
      - operation: replace
        path: /spec/replicas
        value: "1"
      - operation: add
        path: /metadata/labels/migrated
        value: '"true"'
      - operation: copy
        from: /metadata/name
        path: /metadata/annotations/original-name
  - conditions:
      groupResource: "*.apps"
    mergePatches:
      - patchData: |
          metadata:
            labels:
              moved: "yes"
  - conditions:
      groupResource: pods
    strategicPatches:
      - patchData: '{"spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}'
`;

function errorsOf(text: string): string[] {
    const r = validateResourceModifiers(text);
    return r.ok ? [] : r.errors;
}

function rule(body: string): string {
    return `version: v1\nresourceModifierRules:\n  - ${body.trim().replace(/\n/g, "\n    ")}\n`;
}

function expectError(text: string, pattern: RegExp): void {
    const errors = errorsOf(text);
    assert.ok(
        errors.some((e) => pattern.test(e)),
        `expected an error matching ${pattern}, got: ${errors.join(" | ") || "none"}`,
    );
}

describe("modifiers: strict validator of Velero's resource-modifier format", () => {
    it("accepts every key Velero knows", () => {
        assert.deepEqual(errorsOf(FULL), []);
    });

    it("accepts YAML 1.1 scalars the way Velero coerces them into strings", () => {
        // go-yaml v2 reads `yes` and 8080 as a bool and an int; sigs.k8s.io/yaml turns them into "true" and "8080".
        assert.deepEqual(errorsOf(rule("conditions: {groupResource: pods}\npatches:\n  - {operation: add, path: /a, value: yes}\n  - {operation: add, path: /b, value: 8080}")), []);
    });

    it("refuses unknown and duplicate keys (Velero parses strictly)", () => {
        expectError(rule("conditions: {groupResource: pods, resourceName: web}\npatches: [{operation: remove, path: /a}]"), /conditions: unknown key "resourceName"/);
        expectError(rule("conditions: {groupResource: pods}\npatches: [{operation: remove, path: /a, op: remove}]"), /patches\[0\]: unknown key "op"/);
        expectError(`version: v1\nkind: ResourceModifiers\nresourceModifierRules: []\n`, /unknown key "kind"/);
        expectError(`version: v1\nversion: v1\nresourceModifierRules: []\n`, /line 2: .*[Uu]nique|duplicate/);
    });

    it("needs version v1 and at least one rule", () => {
        expectError(`version: v2\nresourceModifierRules: [{conditions: {groupResource: pods}, patches: [{operation: remove, path: /a}]}]`, /version: "v2" is not supported/);
        expectError(`version: v1\nresourceModifierRules: []`, /resourceModifierRules: must not be empty/);
        expectError(`resourceModifierRules: []`, /version: required \(string\)/);
    });

    it("needs a group-resource and exactly one kind of patch per rule", () => {
        expectError(rule('conditions: {groupResource: ""}\npatches: [{operation: remove, path: /a}]'), /groupResource: must not be empty/);
        expectError(rule("conditions: {namespaces: [a]}\npatches: [{operation: remove, path: /a}]"), /conditions.groupResource: required/);
        expectError(rule("conditions: {groupResource: pods}"), /needs one of patches, mergePatches, strategicPatches/);
        expectError(rule("conditions: {groupResource: pods}\npatches: [{operation: remove, path: /a}]\nmergePatches: [{patchData: '{}'}]"), /only one kind of patch/);
        expectError(rule("conditions: {groupResource: 'pods.{apps'}\npatches: [{operation: remove, path: /a}]"), /unclosed/);
    });

    it("checks each JSON patch as Velero will apply it", () => {
        const patch = (p: string) => rule(`conditions: {groupResource: pods}\npatches: [${p}]`);
        expectError(patch("{operation: upsert, path: /a}"), /"upsert" is not one of add, remove, replace, move, copy, test/);
        expectError(patch("{operation: Remove, path: /a}"), /lower case/);
        expectError(patch('{operation: remove, path: ""}'), /path: must not be empty/);
        expectError(patch("{operation: remove, path: spec}"), /must be empty or start with "\/"/);
        expectError(patch("{operation: add, path: /a}"), /add needs a value/);
        expectError(patch("{operation: move, path: /a}"), /move needs from/);
        expectError(patch("{operation: add, path: /a, value: 1.5}"), /32-bit floats/);
        expectError(patch("{operation: add, path: /a, value: NaN}"), /not valid JSON/);
        expectError(patch("{operation: add, path: /a, value: [1]}"), /value: must be a string, number, boolean or null/);
    });

    it("checks regexes for Go's RE2, label selectors and merge patch data", () => {
        const cond = (c: string) => rule(`conditions: {groupResource: pods, ${c}}\npatches: [{operation: remove, path: /a}]`);
        expectError(cond('resourceNameRegex: "^(?!kube-).*"'), /RE2/);
        expectError(cond('resourceNameRegex: "^(web"'), /not a valid regular expression/);
        expectError(cond("labelSelector: {matchExpressions: [{key: a, operator: In}]}"), /In needs values/);
        expectError(cond("labelSelector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}"), /Exists takes no values/);
        expectError(cond("labelSelector: {matchExpressions: [{key: a, operator: Gt, values: ['1']}]}"), /"Gt" is not one of/);
        expectError(cond("matches: [{path: '', value: x}]"), /matches\[0\].path: must not be empty/);
        expectError(rule("conditions: {groupResource: pods}\nmergePatches: [{patchData: '[1, 2]'}]"), /patchData: must be a YAML or JSON mapping/);
    });

    it("given an older Velero, refuses what it cannot read", () => {
        const errors = (text: string, velero: string) => {
            const r = validateResourceModifiers(text, { velero });
            return r.ok ? [] : r.errors;
        };
        // Quoted values (a label or annotation "true") came in v1.12.2 (json_patch.go:34-38 there; not in v1.12.1's resource_modifiers.go).
        const quoted = rule("conditions: {groupResource: statefulsets.apps}\npatches: [{operation: add, path: /metadata/labels/a, value: '\"true\"'}]");
        assert.deepEqual(errors(quoted, "v1.12.2"), []);
        assert.ok(errors(quoted, "v1.12.1").some((e) => /not valid JSON/.test(e)), errors(quoted, "v1.12.1").join(" | "));
        // v1.12.0 and v1.12.1 read Go's other boolean spellings unquoted; a minor alone counts as its first release.
        const t = rule("conditions: {groupResource: pods}\npatches: [{operation: add, path: /a, value: t}]");
        assert.deepEqual(errors(t, "1.18"), []);
        assert.ok(errors(t, "1.12").some((e) => /not valid JSON/.test(e)));
        assert.ok(errors(FULL, "velero/velero:v1.12.0").some((e) => /conditions.matches: matches needs Velero ≥ 1.12.2/.test(e)));
        assert.ok(errors(FULL, "v1.12.1").some((e) => /groupResource: a glob needs Velero ≥ 1.12.2/.test(e)));
        assert.ok(errors(FULL, "v1.12.0").some((e) => /mergePatches: mergePatches needs Velero ≥ 1.12.2/.test(e)));
        assert.deepEqual(errors(FULL, "v1.12.2"), []);
        const plain = rule("conditions: {groupResource: services}\npatches: [{operation: replace, path: /spec/type, value: ClusterIP}]");
        assert.deepEqual(errors(plain, "v1.12.0"), []);
        // Strategic patches need the kind in the server's scheme: apps and batch from v1.14.0.
        const smp = (gr: string) => rule(`conditions: {groupResource: ${gr}}\nstrategicPatches: [{patchData: '{"spec": {}}'}]`);
        assert.ok(errors(smp("deployments.apps"), "v1.13.2").some((e) => /cannot strategic-merge deployments.apps \(its scheme knows apps\/v1 from v1.14.0\)/.test(e)));
        assert.deepEqual(errors(smp("deployments.apps"), "v1.14.0"), []);
        assert.deepEqual(errors(smp("services"), "v1.12.2"), []);
    });

    it("names the offending key of each error in full, one line each", () => {
        const cond = (c: string) => rule(`conditions: {groupResource: pods, ${c}}\npatches: [{operation: remove, path: /a}]`);
        const at = "resourceModifierRules[0]";
        assert.deepEqual(errorsOf(cond("labelSelector: {matchExpressions: [{key: a, operator: Exists}, {key: a, operator: Gt, values: ['1']}, {key: b, operator: NotIn}, {key: c, operator: DoesNotExist, values: [x]}]}")), [
            `${at}.conditions.labelSelector.matchExpressions[1].operator: "Gt" is not one of In, NotIn, Exists, DoesNotExist`,
            `${at}.conditions.labelSelector.matchExpressions[2].values: NotIn needs values`,
            `${at}.conditions.labelSelector.matchExpressions[3].values: DoesNotExist takes no values`,
        ]);
        assert.deepEqual(errorsOf(cond('resourceNameRegex: "^(web"')).map((e) => e.split(": Invalid")[0]), [`${at}.conditions.resourceNameRegex: "^(web" is not a valid regular expression`]);
        assert.deepEqual(errorsOf(cond("matches: [{path: /a, value: x}, {path: '', value: x}]")), [`${at}.conditions.matches[1].path: must not be empty`]);
        const groupResource = (gr: string) => errorsOf(rule(`conditions: {groupResource: '${gr}'}\npatches: [{operation: remove, path: /a}]`));
        assert.deepEqual(groupResource(""), [`${at}.conditions.groupResource: must not be empty`]);
        assert.deepEqual(groupResource("pods["), [`${at}.conditions.groupResource: glob "pods[" has an unclosed "["`]);
        assert.deepEqual(groupResource("{pods,services"), [`${at}.conditions.groupResource: glob "{pods,services" has an unclosed "{"`]);
        assert.deepEqual(groupResource("pods\\"), [`${at}.conditions.groupResource: glob "pods\\" ends with an escape`]);
        assert.deepEqual(errorsOf(rule("conditions: {groupResource: pods}\npatches: [{operation: remove, path: /a}]\nmergePatches: [{patchData: '{}'}]")), [`${at}: has patches and mergePatches; only one kind of patch is allowed`]);
        assert.deepEqual(errorsOf(rule("conditions: {groupResource: pods}")), [`${at}: needs one of patches, mergePatches, strategicPatches`]);
        // A YAML error, null and a scalar are no patch document.
        assert.deepEqual(errorsOf(rule("conditions: {groupResource: pods}\nstrategicPatches: [{patchData: '{}'}, {patchData: 'a: ['}, {patchData: 'null'}, {patchData: '5'}]")), [1, 2, 3].map((i) => `${at}.strategicPatches[${i}].patchData: must be a YAML or JSON mapping`));
        assert.deepEqual(errorsOf(rule("conditions: {groupResource: pods, namespace: x}\npatches: [{operation: remove, path: /a}]")), [`${at}.conditions: unknown key "namespace"`]);
        assert.deepEqual(errorsOf(rule("conditions: {groupResource: pods, a: 1, b: 2}\npatches: [{operation: remove, path: /a}]")), [`${at}.conditions: unknown keys "a", "b"`]);
        assert.deepEqual(errorsOf(rule("conditions: {}\npatches: [{operation: remove, path: /a}]")), [`${at}.conditions.groupResource: required (string)`]);
        assert.deepEqual(errorsOf("[]"), ["(top level): must be a map, not a list"]);
        assert.deepEqual(errorsOf("version: v2\nresourceModifierRules: []\n"), ['version: "v2" is not supported (Velero knows v1)', "resourceModifierRules: must not be empty"]);
        assert.deepEqual(errorsOf(rule("conditions: {groupResource: pods}\npatches: [{operation: copy, path: /a}, {operation: test, path: /a}, {operation: replace, path: /a}]")), [
            `${at}.patches[0].from: copy needs from`,
            `${at}.patches[1].value: test needs a value (Velero would use an empty string)`,
            `${at}.patches[2].value: replace needs a value (Velero would use an empty string)`,
        ]);
        assert.deepEqual(errorsOf(rule("conditions: {groupResource: pods}\npatches: [{operation: add, path: /a~2, value: x}, {operation: move, from: b, path: /a}]")), [
            `${at}.patches[0].path: JSON pointer "/a~2" has "~" not followed by 0 or 1`,
            `${at}.patches[1].from: JSON pointer "b" must be empty or start with "/"`,
        ]);
    });

    it("names the rule of an error the Velero named cannot read", () => {
        const errors = (text: string, velero: string) => {
            const r = validateResourceModifiers(text, { velero });
            return r.ok ? [] : r.errors;
        };
        const smp = (gr: string) => rule(`conditions: {groupResource: ${gr}}\nstrategicPatches: [{patchData: '{}'}]`);
        assert.deepEqual(errors(smp("services"), "v1.12.0"), ["resourceModifierRules[0].strategicPatches: strategicPatches needs Velero ≥ 1.12.2"]);
        assert.deepEqual(errors(smp("cronjobs.batch"), "v1.13.2"), [
            "resourceModifierRules[0].strategicPatches: Velero v1.13.2 cannot strategic-merge cronjobs.batch (its scheme knows batch/v1 from v1.14.0); use patches or mergePatches",
        ]);
        // Only the apps and batch groups came late to the scheme.
        assert.deepEqual(errors(smp("deployments.apps.example.com"), "v1.13.2"), []);
        assert.deepEqual(errors(smp("cronjobs.batch"), "v1.14.0"), []);
    });

    it("reports malformed YAML with its line", () => {
        expectError("version: v1\nresourceModifierRules:\n  - conditions: {groupResource: pods\n", /^line \d+: /);
    });

    describe("the ConfigMap", () => {
        const cm = (data: Record<string, string>, metadata: Record<string, unknown> = { name: "mods", namespace: "velero" }) => ({ apiVersion: "v1", kind: "ConfigMap", metadata, data });
        const valid = "version: v1\nresourceModifierRules:\n  - conditions: {groupResource: services}\n    patches: [{operation: replace, path: /spec/type, value: ClusterIP}]\n";

        it("holds the modifiers in exactly one data key", () => {
            const r = validateModifierConfigMap(cm({ "mods.yaml": valid }));
            assert.ok(r.ok);
            assert.equal(r.value.key, "mods.yaml");
            assert.equal(r.value.modifiers.resourceModifierRules[0].conditions.groupResource, "services");
            const two = validateModifierConfigMap(cm({ a: valid, b: valid }));
            assert.ok(!two.ok && /exactly one key.*found 2 \(a, b\)/.test(two.errors[0]));
            const none = validateModifierConfigMap(cm({}));
            assert.ok(!none.ok && /found 0 \(none\)/.test(none.errors[0]));
        });

        it("needs a name and the Velero namespace, and valid modifiers", () => {
            const noNs = validateModifierConfigMap(cm({ a: valid }, { name: "mods" }));
            assert.ok(!noNs.ok && noNs.errors.some((e) => e.startsWith("metadata.namespace:")));
            const bad = validateModifierConfigMap(cm({ "m.yaml": valid.replace("replace", "swap") }));
            assert.ok(!bad.ok && /^data\.m\.yaml: resourceModifierRules\[0\]\.patches\[0\]\.operation: "swap"/.test(bad.errors[0]), JSON.stringify(bad));
            const notCm = validateModifierConfigMap({ ...cm({ a: valid }), kind: "Secret" });
            assert.ok(!notCm.ok && notCm.errors.some((e) => e.startsWith("kind:")));
        });

        it("fits the API server's 1 MiB ConfigMap limit", () => {
            // Key and value count, as the API server counts them; a comment pads the modifiers to the limit.
            const fits = `${valid}#${"x".repeat(MAX_CONFIGMAP_BYTES - valid.length - 2)}`;
            assert.ok(validateModifierConfigMap(cm({ m: fits })).ok);
            const big = validateModifierConfigMap(cm({ m: `${fits}x` }));
            assert.ok(!big.ok && /^data: \d+ bytes; the API server refuses a ConfigMap over 1048576 bytes/.test(big.errors[0]), JSON.stringify(big).slice(0, 200));
        });
    });
});
