/**
 * Users get the repository, not the team's internal notes: what the rules say and what the
 * project's files cite must be something a user can open (a public URL, or a file in docs/).
 * Offline: it reads the tree and runs the rules over their fixtures, nothing else.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { AggregateScan, checkObject, engineOptions, isProfileName, PROFILES, RULES, type KubeObject, type ProfileName } from "../../rules";
import { refOf } from "../../rules/objects";
import { fixtureTargetMinor, readYamlDocs, ruleFixtureDir } from "../support/reference";

const ROOT = path.join(__dirname, "..", "..");
const DOCS = path.join(ROOT, "docs");
/** The team's internal notes and design files, which users do not have. */
const INTERNAL = /NOTES\.md|DESIGN\.md|STYLE\.md|\bDESIGN's\b/;
/** Not the project's own files: installed or built, or the tests (which may name what they guard against). */
const SKIPPED_DIRS = new Set(["node_modules", "dist", ".git", "test"]);

function projectFiles(dir: string = ROOT): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : projectFiles(full);
        return e.isFile() ? [full] : [];
    });
}

/** Every rule fixture (rules/<id>/fixtures/), with the profile its folder names (the top folder is profile eks). */
function fixtureFiles(dir?: string, profile: ProfileName = "eks"): { file: string; profile: ProfileName }[] {
    if (dir === undefined) return RULES.flatMap((r) => fixtureFiles(ruleFixtureDir(r.id)));
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return fixtureFiles(full, isProfileName(e.name) ? e.name : profile);
        return /\.ya?ml$/.test(e.name) ? [{ file: full, profile }] : [];
    });
}

/** What users read from the rules: every finding's message and fix over every fixture, all rules on. */
function ruleTexts(): { rule: string; text: string; where: string }[] {
    const out: { rule: string; text: string; where: string }[] = [];
    for (const { file, profile } of fixtureFiles()) {
        const opts = engineOptions(profile, { targetMinor: fixtureTargetMinor(file) });
        const scan = new AggregateScan(opts);
        const where = path.relative(ROOT, file);
        for (const obj of readYamlDocs(file) as KubeObject[]) {
            for (const f of checkObject(obj, opts)) out.push({ rule: f.rule, text: `${f.message}\n${f.fix}`, where });
            scan.add(obj, refOf(obj));
        }
        for (const f of scan.finish()) out.push({ rule: f.rule, text: `${f.message}\n${f.fix}`, where });
    }
    return out;
}

/** Relative link targets in a markdown file, without their #anchor. */
function relativeLinks(markdown: string): string[] {
    return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^([a-z]+:|#)/i.test(t)).map((t) => t.replace(/#.*$/, ""));
}

const docFiles = fs.readdirSync(DOCS).filter((f) => f.endsWith(".md"));

describe("sources users can open", () => {
    it("no rule's title, reason, fix or profile source cites an internal file", () => {
        for (const r of RULES) assert.doesNotMatch(`${r.title}\n${r.why}\n${r.fix}`, INTERNAL, r.id);
        for (const p of Object.values(PROFILES)) assert.doesNotMatch(p.source, INTERNAL, p.name);
    });

    it("no finding's message or fix over the rule fixtures cites an internal file, and every rule is heard from", () => {
        const texts = ruleTexts();
        for (const t of texts) assert.doesNotMatch(t.text, INTERNAL, `${t.rule} on ${t.where}`);
        assert.deepEqual([...new Set(texts.map((t) => t.rule))].sort(), RULES.map((r) => r.id).sort());
    });

    it("no file of the project outside the tests cites an internal file", () => {
        const files = projectFiles();
        assert.ok(files.some((f) => path.relative(ROOT, f) === path.join("rules", "profiles.ts")), "the walk reaches the sources");
        const offenders = files.filter((f) => INTERNAL.test(fs.readFileSync(f, "latin1"))).map((f) => path.relative(ROOT, f));
        assert.deepEqual(offenders, []);
    });

    it("every relative link in docs/ resolves", () => {
        assert.ok(docFiles.length > 1, "docs/ holds the sources");
        for (const f of docFiles) {
            for (const target of relativeLinks(fs.readFileSync(path.join(DOCS, f), "utf8"))) {
                assert.ok(fs.existsSync(path.resolve(DOCS, target)), `docs/${f} links to ${target}, which does not exist`);
            }
        }
    });

    it("docs/README.md lists every file in docs/", () => {
        const listed = new Set(relativeLinks(fs.readFileSync(path.join(DOCS, "README.md"), "utf8")));
        for (const f of docFiles.filter((d) => d !== "README.md")) assert.ok(listed.has(f), `docs/README.md does not link ${f}`);
    });

    for (const readme of ["README.md", "README.zh-CN.md"]) {
        it(`${readme} points to docs/, and its links into docs/ resolve`, () => {
            const intoDocs = relativeLinks(fs.readFileSync(path.join(ROOT, readme), "utf8")).filter((t) => t.startsWith("docs/"));
            assert.ok(intoDocs.length > 0, `${readme} has no link into docs/`);
            for (const target of intoDocs) assert.ok(fs.existsSync(path.join(ROOT, target)), `${readme} links to ${target}, which does not exist`);
        });
    }
});
