/**
 * Every rule has readable good/bad fixtures (kyverno style) under
 * rules/<rule-id>/fixtures/[<profile>/]{good,bad}-<case>.yaml. A bad file lists every
 * finding it must produce in its header, one line each, written by hand:
 *
 *     # expect: <rule> <Kind> <namespace/name> <JSON pointer> [(advisory)]
 *
 * `(advisory)` marks a finding that stays a warning even when its rule is mandatory.
 * and the rule must report exactly those (object or set level, in any order); a good file
 * lists none and must produce none. Every reported path must resolve in its object.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { AggregateScan, checkObject, engineOptions, isProfileName, RULE_IDS, type KubeObject, type ObjectRef, type ProfileName, type RuleId } from "../../rules";
import { describe as describeRef, refOf, resolvePointer } from "../../rules/objects";
import { fixtureExpectations, fixtureTargetMinor, readYamlDocs, ruleFixtureDir } from "../support/reference";

const ROOT = path.join(__dirname, "..", "..", "rules");

interface Case { rule: RuleId; profile: ProfileName; file: string; good: boolean }

function cases(rule: RuleId): Case[] {
    const dir = ruleFixtureDir(rule);
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

interface Found { rule: RuleId; obj?: KubeObject; ref?: ObjectRef; path: string; advisory?: boolean }

function findingsOf(rule: RuleId, profile: ProfileName, docs: KubeObject[], targetMinor = 0): Found[] {
    const opts = { ...engineOptions(profile, { targetMinor }), only: [rule] };
    const scan = new AggregateScan(opts);
    const out: Found[] = [];
    for (const obj of docs) {
        for (const f of checkObject(obj, opts)) out.push({ rule: f.rule, obj, ref: refOf(obj), path: f.path, advisory: f.advisory });
        scan.add(obj, refOf(obj));
    }
    for (const f of scan.finish()) out.push({ rule: f.rule, ...(f.object ? { ref: f.object } : {}), path: f.path, advisory: f.advisory });
    return out;
}

/** A finding as a header line writes it: `<rule> <Kind> <namespace/name> <pointer> [(advisory)]`. */
function line(f: Found): string {
    return `${f.rule} ${f.ref ? describeRef(f.ref) : "(set)"} ${f.path}${f.advisory ? " (advisory)" : ""}`;
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
                    const want = fixtureExpectations(c.file);
                    if (c.good) assert.deepEqual(want, [], `${c.file}: a good fixture expects no finding`);
                    else assert.ok(want.length > 0, `${c.file}: a bad fixture lists its findings in "# expect:" lines`);
                    assert.deepEqual(found.map(line).sort(), [...want].sort(), `${c.file}: findings of ${rule}`);
                    for (const f of found) {
                        if (f.obj) assert.notEqual(resolvePointer(f.obj, f.path), undefined, `${f.path} does not resolve`);
                    }
                });
            }
        });
    }
});
