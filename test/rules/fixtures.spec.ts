/**
 * Every rule has readable good/bad fixtures (kyverno style) under
 * test/fixtures/rules/<rule-id>/[<profile>/]{good,bad}-<case>.yaml. A bad file must make
 * the rule report (object or set level), a good one must not; every reported path must
 * resolve in its object.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { AggregateScan, checkObject, engineOptions, isProfileName, RULE_IDS, type KubeObject, type ProfileName, type RuleId } from "../../rules";
import { refOf, resolvePointer } from "../../rules/objects";
import { fixtureTargetMinor, readYamlDocs } from "../support/reference";

const ROOT = path.join(__dirname, "..", "fixtures", "rules");

interface Case { rule: RuleId; profile: ProfileName; file: string; good: boolean }

function cases(rule: RuleId): Case[] {
    const dir = path.join(ROOT, rule);
    if (!fs.existsSync(dir)) return [];
    const out: Case[] = [];
    const walk = (d: string, profile: ProfileName) => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
            const full = path.join(d, entry.name);
            if (entry.isDirectory()) {
                assert.ok(isProfileName(entry.name), `${full}: fixture folders are named after a profile`);
                walk(full, entry.name);
            } else if (/^(good|bad)-.+\.ya?ml$/.test(entry.name)) {
                out.push({ rule, profile, file: full, good: entry.name.startsWith("good-") });
            }
        }
    };
    walk(dir, "eks");
    return out;
}

function findingsOf(rule: RuleId, profile: ProfileName, docs: KubeObject[], targetMinor = 0): { obj?: KubeObject; path: string }[] {
    const opts = { ...engineOptions(profile, { targetMinor }), only: [rule] };
    const scan = new AggregateScan(opts);
    const out: { obj?: KubeObject; path: string }[] = [];
    for (const obj of docs) {
        for (const f of checkObject(obj, opts)) out.push({ obj, path: f.path });
        scan.add(obj, refOf(obj));
    }
    for (const f of scan.finish()) out.push({ path: f.path });
    return out;
}

describe("rule fixtures", () => {
    for (const rule of RULE_IDS) {
        describe(rule, () => {
            const all = cases(rule);
            it("has good and bad fixtures", () => {
                assert.ok(all.some((c) => c.good), `${rule}: no good-*.yaml fixture`);
                assert.ok(all.some((c) => !c.good), `${rule}: no bad-*.yaml fixture`);
            });
            for (const c of all) {
                it(`${c.good ? "passes" : "fails"} ${path.relative(ROOT, c.file)}`, () => {
                    const docs = readYamlDocs(c.file).filter((d): d is KubeObject => typeof d === "object" && d !== null);
                    const found = findingsOf(rule, c.profile, docs, fixtureTargetMinor(c.file));
                    if (c.good) {
                        assert.deepEqual(found.map((f) => f.path), [], `${c.file} should pass ${rule}`);
                    } else {
                        assert.ok(found.length > 0, `${c.file} should fail ${rule}`);
                    }
                    for (const f of found) {
                        if (f.obj) assert.notEqual(resolvePointer(f.obj, f.path), undefined, `${f.path} does not resolve`);
                    }
                });
            }
        });
    }
});
