/** One colour rule for every command: --color, then NO_COLOR (set and non-empty), FORCE_COLOR, a terminal. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { useColor } from "../../cli/output";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "tke2eks");
const TTY = { isTTY: true };
const PIPE = { isTTY: false };

describe("the colour rule", () => {
    it("auto: a terminal has colour unless NO_COLOR is set and non-empty; FORCE_COLOR colours a pipe", () => {
        assert.equal(useColor(TTY, {}, "auto"), true);
        assert.equal(useColor(PIPE, {}, "auto"), false);
        assert.equal(useColor(TTY, { NO_COLOR: "1" }, "auto"), false);
        assert.equal(useColor(TTY, { NO_COLOR: "" }, "auto"), true, "an empty NO_COLOR does not count (no-color.org)");
        assert.equal(useColor(PIPE, { FORCE_COLOR: "1" }, "auto"), true);
        assert.equal(useColor(PIPE, { FORCE_COLOR: "0" }, "auto"), false);
        assert.equal(useColor(TTY, { NO_COLOR: "1", FORCE_COLOR: "1" }, "auto"), false, "NO_COLOR wins");
    });

    it("--color always and never decide alone", () => {
        assert.equal(useColor(PIPE, { NO_COLOR: "1" }, "always"), true);
        assert.equal(useColor(TTY, { FORCE_COLOR: "1" }, "never"), false);
    });

    it("holds for plan, preflight and restore-preview alike, through bin/tke2eks", function () {
        this.timeout(30_000);
        const env: NodeJS.ProcessEnv = { ...process.env };
        delete env.NO_COLOR;
        delete env.FORCE_COLOR;
        const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...env, ...extra } }).stdout;
        const escape = /\x1b\[/;
        for (const args of [["plan"], ["preflight", "examples/tke-app", "--fail-on", "never"]]) {
            assert.doesNotMatch(run(args), escape, `${args[0]}: a pipe has no colour`);
            assert.match(run(["--color", "always", ...args]), escape, `${args[0]} --color always`);
            assert.match(run(args, { FORCE_COLOR: "1" }), escape, `${args[0]} FORCE_COLOR`);
            assert.doesNotMatch(run(args, { FORCE_COLOR: "1", NO_COLOR: "1" }), escape, `${args[0]} NO_COLOR`);
            assert.match(run(args, { FORCE_COLOR: "1", NO_COLOR: "" }), escape, `${args[0]}: an empty NO_COLOR`);
        }
        const bad = spawnSync(process.execPath, [BIN, "--color", "sometimes", "plan"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /--color.*sometimes.*auto, always, never/);
    });
});
