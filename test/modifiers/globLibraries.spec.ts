/**
 * Why modifiers/glob.ts is not picomatch: the gobwas/glob v0.2.3 semantics Velero v1.18.2
 * matches with (go.mod:24), case by case, against our compiler and picomatch. A picomatch
 * release that starts to agree fails here: then re-check whether it can replace ours.
 */
import { strict as assert } from "node:assert";
import picomatch from "picomatch";
import { globToRegExp } from "../../modifiers/glob";

/** picomatch at its closest to gobwas: dotfiles allowed, `.` (Velero's groupResource separator) mapped to its `/`. */
function pico(pattern: string, subject: string, separators: "" | "."): boolean {
    const map = (s: string) => (separators === "." ? s.replace(/\./g, "/") : s);
    return picomatch(map(pattern), { dot: true })(map(subject));
}

// [pattern, subject, separators, what gobwas answers, where]
const DIFFER: [string, string, "" | ".", boolean, string][] = [
    ["deploy**", "deployments.apps", ".", true, "`**` anywhere is any run, lexer.go:176-178"],
    ["[!a]", ".", ".", true, "classes ignore separators, compiler.go:499-505"],
    ["[!a-c]x", "bx", "", false, "`[!...]` negates, lexer.go:19; picomatch reads `[!a-c]` as `!` or a-c"],
    ["*", "", "", true, "`*` matches the empty string, compiler.go:19-20"],
    ["*", "urn:a/b", "", true, "no separators: `*` crosses `/`"],
    ["{1..3}", "2", "", false, "no ranges: one alternative `1..3`"],
    ["!(shop)", "web", "", false, "no extglobs: plain text"],
    ["!shop", "web", "", false, "no negation: plain text"],
    ["a+(b)", "abb", "", false, "no extglobs: plain text"],
];

const AGREE: [string, string, "" | ".", boolean][] = [
    ["*.apps", "deployments.apps", ".", true],
    ["*", "deployments.apps", ".", false],
    ["**", "deployments.apps", ".", true],
    ["?", ".", ".", false],
    ["{deployments,statefulsets}.apps", "statefulsets.apps", ".", true],
    ["[a-c]x", "bx", "", true],
    ["\\*", "*", "", true],
    ["\\*", "a", "", false],
    ["*-prod", "shop-prod", "", true],
];

describe("globs: gobwas/glob vs picomatch", () => {
    it("ours answers as gobwas where picomatch does not", () => {
        for (const [pattern, subject, separators, gobwas, why] of DIFFER) {
            const label = `${JSON.stringify(pattern)} on ${JSON.stringify(subject)} (${why})`;
            assert.equal(globToRegExp(pattern, separators).test(subject), gobwas, `ours: ${label}`);
            assert.equal(pico(pattern, subject, separators), !gobwas, `picomatch: ${label}`);
        }
    });

    it("all agree on the plain cases: *, **, ?, classes, alternatives, escapes, dotted group-resources", () => {
        for (const [pattern, subject, separators, gobwas] of AGREE) {
            assert.deepEqual([globToRegExp(pattern, separators).test(subject), pico(pattern, subject, separators)], [gobwas, gobwas], `${pattern} on ${subject}`);
        }
    });
});
