/**
 * The user docs in both languages say the same things, and say all of it: each English doc and
 * its Chinese twin have the same heading structure, the same commands in their code blocks and
 * the same stack config keys; every relative link (and its #anchor) resolves; the configuration
 * doc names every key of the config schema and the CLI doc every command and long flag of the
 * parser. Each check returns what is wrong, and is tried here on a drifted copy as well.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import type { z } from "zod";
import { buildProgram } from "../../cli/program";
import { configSchema } from "../../config/schema";

const ROOT = path.join(__dirname, "..", "..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");

/** The English docs a user reads, each with a Chinese twin beside it (`X.md` → `X.zh-CN.md`). */
const USER_DOCS = ["README.md", "docs/runbook.md", "docs/cli.md", "docs/configuration.md", "docs/cutover.md", "docs/restore-changes.md", "docs/partially-failed.md"];
const twinOf = (rel: string) => rel.replace(/\.md$/, ".zh-CN.md");

/** The markdown outside fenced code blocks, and the lines inside them. */
function split(markdown: string): { prose: string[]; code: string[] } {
    const prose: string[] = [];
    const code: string[] = [];
    let fence: string | undefined;
    for (const line of markdown.split("\n")) {
        const m = /^\s*(```|~~~)/.exec(line);
        if (m && (fence === undefined || m[1] === fence)) {
            fence = fence === undefined ? m[1] : undefined;
            continue;
        }
        (fence === undefined ? prose : code).push(line);
    }
    return { prose, code };
}

function headings(markdown: string): { level: number; text: string }[] {
    return split(markdown)
        .prose.map((l) => /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ level: m[1].length, text: m[2] }));
}

/** GitHub's anchor for each heading: lowercased, punctuation but `-` and `_` dropped, spaces to `-`, repeats numbered. */
function anchors(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    for (const h of headings(markdown)) {
        const text = h.text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]+>/g, "");
        const base = text
            .toLowerCase()
            .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
            .replace(/ /g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n === 0 ? base : `${base}-${n}`);
    }
    return out;
}

/** Lines in code blocks that run tke2eks, pulumi or npm, without a trailing comment (which is translated). */
function commands(markdown: string): string[] {
    return split(markdown)
        .code.map((l) => l.trim())
        .filter((l) => /^(\.\/bin\/tke2eks|tke2eks|pulumi|npm)(\s|$)/.test(l))
        .map((l) => l.replace(/\s+#\s.*$/, ""));
}

/** The stack config keys a doc names, `tke2eks:key.path` (list indexes dropped). */
function configKeys(markdown: string): string[] {
    return [...new Set([...markdown.matchAll(/tke2eks:[A-Za-z][\w.]*/g)].map((m) => m[0].replace(/\.+$/, "")))].sort();
}

/** What differs between an English doc and its twin. */
function twinProblems(en: string, zh: string): string[] {
    const problems: string[] = [];
    const levels = (md: string) => headings(md).map((h) => h.level);
    if (levels(en).join(",") !== levels(zh).join(",")) {
        problems.push(`heading levels differ:\n  en ${headings(en).map((h) => `${"#".repeat(h.level)} ${h.text}`).join(" | ")}\n  zh ${headings(zh).map((h) => `${"#".repeat(h.level)} ${h.text}`).join(" | ")}`);
    }
    // As many times each: a step one language repeats and the other drops is a drift too.
    const count = (list: string[]) => list.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());
    const [ce, cz] = [count(commands(en)), count(commands(zh))];
    for (const [c, n] of ce) if ((cz.get(c) ?? 0) < n) problems.push(`command only in English: ${c}`);
    for (const [c, n] of cz) if ((ce.get(c) ?? 0) < n) problems.push(`command only in Chinese: ${c}`);
    const [ke, kz] = [configKeys(en), configKeys(zh)];
    for (const k of ke.filter((x) => !kz.includes(x))) problems.push(`config key only in English: ${k}`);
    for (const k of kz.filter((x) => !ke.includes(x))) problems.push(`config key only in Chinese: ${k}`);
    return problems;
}

/** Relative links of a doc (outside code) that lead to no file, or to no such heading in it. */
function linkProblems(rel: string, markdown: string, readOther: (file: string) => string | undefined): string[] {
    const prose = split(markdown).prose.join("\n").replace(/`[^`\n]*`/g, "");
    const problems: string[] = [];
    for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [file, anchor] = target.split("#", 2);
        const to = file === "" ? rel : path.posix.normalize(path.posix.join(path.posix.dirname(rel), file));
        const text = file === "" ? markdown : readOther(to);
        if (text === undefined) problems.push(`${rel} links to ${target}: no file ${to}`);
        else if (anchor !== undefined && to.endsWith(".md") && !anchors(text).has(anchor)) problems.push(`${rel} links to ${target}: ${to} has no heading #${anchor}`);
    }
    return problems;
}

interface ZodDef {
    type: string;
    shape?: Record<string, z.ZodType>;
    innerType?: z.ZodType;
    in?: z.ZodType;
    out?: z.ZodType;
    valueType?: z.ZodType;
    element?: z.ZodType;
    options?: z.ZodType[];
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: ZodDef } })._zod.def;

/** Every key path of the config schema, through optional, default, pipe, record, list and union wrappers. */
function schemaKeys(schema: z.ZodType, prefix: string[] = []): string[][] {
    const def = defOf(schema);
    if (def.type === "object" && def.shape) return Object.entries(def.shape).flatMap(([k, s]) => [[...prefix, k], ...schemaKeys(s, [...prefix, k])]);
    const inner = [def.innerType, def.in, def.out, def.valueType, def.element, ...(def.options ?? [])].filter((s): s is z.ZodType => s !== undefined);
    const found = inner.flatMap((s) => schemaKeys(s, prefix));
    return found.filter((k, i) => found.findIndex((o) => o.join(".") === k.join(".")) === i);
}

/** Schema keys a doc does not name: a top key as `tke2eks:key`, a nested one as `` `key` `` or its full `tke2eks:a.b`. */
function configDocProblems(markdown: string): string[] {
    return schemaKeys(configSchema)
        .filter((p) => !(p.length === 1 ? markdown.includes(`\`tke2eks:${p[0]}\``) : markdown.includes(`\`${p[p.length - 1]}\``) || markdown.includes(`tke2eks:${p.join(".")}`)))
        .map((p) => `names no tke2eks:${p.join(".")}`);
}

function commandTree(cmd: Command, prefix: string[] = []): { path: string[]; cmd: Command }[] {
    return cmd.commands.flatMap((c) => [{ path: [...prefix, c.name()], cmd: c }, ...commandTree(c, [...prefix, c.name()])]);
}

/** Commands the CLI doc never shows as `tke2eks <command>`, and long flags it never names. */
function cliDocProblems(markdown: string, program: Command = buildProgram()): string[] {
    const problems: string[] = [];
    const all = [{ path: [] as string[], cmd: program }, ...commandTree(program)];
    for (const { path: p, cmd } of all) {
        const shown = `tke2eks ${p.join(" ")}`;
        if (p.length > 0 && !markdown.includes(shown)) problems.push(`shows no ${shown}`);
        for (const o of cmd.options) {
            if (o.long && !new RegExp(`${o.long}(?![\\w-])`).test(markdown)) problems.push(`names no ${o.long} (${shown.trim()})`);
        }
    }
    return problems;
}

const docFiles = () => [
    "README.md",
    "README.zh-CN.md",
    "CONTRIBUTING.md",
    ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
];
const readIfThere = (rel: string) => (fs.existsSync(path.join(ROOT, rel)) ? (fs.statSync(path.join(ROOT, rel)).isFile() ? read(rel) : "") : undefined);

describe("the docs in two languages, complete and linked", () => {
    for (const en of USER_DOCS) {
        it(`${en} and ${twinOf(en)} have the same headings, commands and config keys`, () => {
            assert.ok(fs.existsSync(path.join(ROOT, twinOf(en))), `${twinOf(en)} is missing`);
            assert.deepEqual(twinProblems(read(en), read(twinOf(en))), []);
        });
    }

    it("every relative link in README*, CONTRIBUTING.md and docs/ resolves, #anchors to a heading", () => {
        assert.deepEqual(docFiles().flatMap((rel) => linkProblems(rel, read(rel), readIfThere)), []);
    });

    it("docs/configuration.md names every key of the config schema", () => {
        assert.ok(schemaKeys(configSchema).some((p) => p.join(".") === "backup.hooks"), "the walk reaches nested keys");
        assert.deepEqual(configDocProblems(read("docs/configuration.md")), []);
    });

    it("docs/cli.md shows every command and every long flag of the parser", () => {
        assert.deepEqual(cliDocProblems(read("docs/cli.md")), []);
    });

    describe("each check catches a drift (a copy with one thing changed)", () => {
        it("a heading the twin lacks, a command it runs differently, a config key it leaves out", () => {
            const en = read("docs/runbook.md");
            const zh = read("docs/runbook.zh-CN.md");
            assert.match(twinProblems(en, zh.replace(/^## .*$/m, "")).join("\n"), /heading levels differ/);
            // One of the several `pulumi up` steps dropped: each command counts as often as it is run.
            assert.deepEqual(twinProblems(en, zh.replace("\npulumi up --policy-pack ./policy\n", "\n")), ["command only in English: pulumi up --policy-pack ./policy"]);
            assert.match(twinProblems(en, zh.replaceAll("tke2eks:verify.onFailure", "")).join("\n"), /config key only in English: tke2eks:verify\.onFailure/);
        });

        it("a link to a missing file or heading", () => {
            const others = (rel: string) => (rel === "docs/cli.md" ? "# CLI\n\n## `tke2eks verify`\n" : undefined);
            assert.deepEqual(linkProblems("docs/x.md", "[a](cli.md#tke2eks-verify) [b](#here)\n\n## Here\n", others), []);
            assert.deepEqual(linkProblems("docs/x.md", "[a](cli.md#tke2eks-await) [b](gone.md) [c](#nowhere)", others), [
                "docs/x.md links to cli.md#tke2eks-await: docs/cli.md has no heading #tke2eks-await",
                "docs/x.md links to gone.md: no file docs/gone.md",
                "docs/x.md links to #nowhere: docs/x.md has no heading #nowhere",
            ]);
        });

        it("a schema key the configuration doc leaves out", () => {
            const doc = read("docs/configuration.md");
            assert.deepEqual(configDocProblems(doc.replaceAll("`storageClassMapping`", "").replaceAll("tke2eks:restore.storageClassMapping", "")), ["names no tke2eks:restore.storageClassMapping"]);
        });

        it("a command or a flag the CLI doc leaves out", () => {
            const doc = read("docs/cli.md");
            assert.deepEqual(cliDocProblems(doc.replace(/--allow-partially-failed/g, "")), ["names no --allow-partially-failed (tke2eks await)"]);
            assert.ok(cliDocProblems(doc.replace(/tke2eks sandbox down/g, "")).includes("shows no tke2eks sandbox down"));
        });
    });
});
