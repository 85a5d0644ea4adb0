/**
 * The restore modifiers, end to end: scan every rule fixture and the example export, write
 * the ConfigMap, read it back as Velero would (YAML 1.1, strict format), replay it on each
 * object under its group-resource, and judge the result again. What an automatic fix
 * addressed must be gone, nothing new may appear, and patched custom resources must still
 * validate against their upstream CRDs.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { groupResourceOf } from "../../modifiers/groupResources";
import { modifierConfigMap, renderConfigMap, resourceModifiers } from "../../modifiers/build";
import { applyResourceModifiers } from "../../modifiers/replay";
import { MODIFIER_YAML_VERSION, validateModifierConfigMap } from "../../modifiers/validate";
import { readManifests } from "../../preflight/manifests";
import { Scanner } from "../../preflight/scan";
import type { ScanItem } from "../../preflight/types";
import { checkObject, DEFAULT_FIXES, isProfileName, resolveProfile, RULE_IDS, type EngineOptions, type FixOptions, type ProfileName } from "../../rules";
import { ruleFixtureDir } from "../support/reference";
import { customResourceErrors, hasCrd } from "../support/crds";

const ROOT = path.join(__dirname, "..", "..");

function fixtureFiles(): { file: string; profile: ProfileName }[] {
    const out: { file: string; profile: ProfileName }[] = [];
    const walk = (dir: string, profile: ProfileName) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const full = path.join(dir, e.name);
            if (e.isDirectory()) walk(full, isProfileName(e.name) ? e.name : profile);
            else if (/\.ya?ml$/.test(e.name)) out.push({ file: full, profile });
        }
    };
    for (const id of RULE_IDS) walk(ruleFixtureDir(id), "eks");
    for (const f of fs.readdirSync(path.join(ROOT, "examples", "tke-app")).filter((n) => n.endsWith(".yaml"))) {
        out.push({ file: path.join(ROOT, "examples", "tke-app", f), profile: "eks" });
    }
    return out;
}

async function items(file: string): Promise<ScanItem[]> {
    const out: ScanItem[] = [];
    for await (const e of readManifests([file], process.stdin)) if ("item" in e) out.push(e.item);
    return out;
}

const key = (f: { rule: string; path: string }) => `${f.rule} ${f.path}`;

// One variant per form the builder writes: JSON patches with the old pasting (v1.12.0),
// merge and core-only strategic patches (v1.12.4), strategic patches of apps and batch too (v1.18.2).
const VARIANTS: { label: string; fixes: FixOptions; velero: string }[] = [
    { label: "default fixes, Velero v1.18.2", fixes: DEFAULT_FIXES, velero: "v1.18.2" },
    { label: "LoadBalancer and retain-ip fixes, Velero v1.12.4", fixes: { nodePortServiceType: "LoadBalancer", retainIp: true }, velero: "v1.12.4" },
    { label: "retain-ip fixes, Velero v1.12.0", fixes: { nodePortServiceType: "ClusterIP", retainIp: true }, velero: "v1.12.0" },
];

describe("modifiers: replayed on the rule fixtures and the example", () => {
    const totals = new Map<string, number>();
    after(() => {
        // Guards against a vacuous pass: the fixtures must exercise the fixes.
        for (const v of VARIANTS) assert.ok((totals.get(v.label) ?? 0) >= 8, `${v.label}: only ${totals.get(v.label) ?? 0} objects patched`);
    });

    for (const { file, profile } of fixtureFiles()) {
        for (const variant of VARIANTS) {
            it(`${path.relative(ROOT, file)} (${profile}, ${variant.label})`, async () => {
                const engine: EngineOptions = { profile: resolveProfile(profile), fixes: variant.fixes };
                const objects = await items(file);
                const scanner = new Scanner({ engine, collectFixes: true });
                for (const item of objects) scanner.add({ item });
                const report = scanner.finish();
                report.findings.close();
                for (const u of report.unpatchable) {
                    assert.equal(groupResourceOf(u.ref.apiVersion, u.ref.kind), undefined, `${u.ref.kind} ${u.ref.name}: ${u.reason}`);
                }
                if (report.fixes.length === 0) return;

                const text = renderConfigMap(modifierConfigMap(resourceModifiers(report.fixes, variant.velero)));
                const checked = validateModifierConfigMap(parse(text, { version: MODIFIER_YAML_VERSION }), { velero: variant.velero });
                assert.ok(checked.ok, `invalid modifiers:\n${text}\n${JSON.stringify(checked)}`);

                for (const { obj } of objects) {
                    const gr = groupResourceOf(String(obj.apiVersion), String(obj.kind));
                    if (!gr) continue;
                    const before = checkObject(obj, engine);
                    const { object: patched, errors } = applyResourceModifiers(checked.value.modifiers, obj, gr, variant.velero);
                    assert.deepEqual(errors, [], `${String(obj.kind)}: rules failed`);
                    if (patched === obj) continue;
                    totals.set(variant.label, (totals.get(variant.label) ?? 0) + 1);
                    const after = new Set(checkObject(patched, engine).map(key));
                    for (const f of before.filter((b) => (b.autofix ?? []).length > 0)) {
                        assert.ok(!after.has(key(f)), `${String(obj.kind)} ${key(f)} is still reported after its fix`);
                    }
                    const known = new Set(before.map(key));
                    for (const k of after) assert.ok(known.has(k), `the fix introduced a new finding: ${k}`);
                    if (hasCrd(obj)) {
                        const was = new Set(customResourceErrors(obj, { allowUnserved: true }));
                        const now = customResourceErrors(patched, { allowUnserved: true }).filter((e) => !was.has(e));
                        assert.deepEqual(now, [], `${String(obj.kind)} no longer validates against its CRD`);
                    }
                }
            });
        }
    }
});
