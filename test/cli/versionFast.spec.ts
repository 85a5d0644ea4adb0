/**
 * `tke2eks --version` loads the entry point and the version report only: not commander (ESM,
 * the largest part of the CLI's start-up) nor the command tree (cli/program.ts). Measured in
 * CONTRIBUTING.md's performance table; this keeps the split from silently coming undone.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { PROJECT_DIR } from "../plan/support";

function loadedBy(args: string[]): { status: number | null; stdout: string; loaded: string[] } {
    // commander 15 is ESM; under tsx it is required (require(esm)), so it shows in require.cache.
    const script = [
        "process.argv.splice(1, 0, 'tke2eks');",
        "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));",
        "require('./cli/main.ts').run();",
    ].join(" ");
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script, "--", ...args], { cwd: PROJECT_DIR, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, loaded: JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)![1]) as string[] };
}

const heavy = (loaded: string[]) => loaded.filter((u) => /node_modules[\\/]commander[\\/]|cli[\\/]program\.ts$/.test(u));

describe("tke2eks --version: only the entry point and the version report", function () {
    this.timeout(60_000);

    it("prints the versions without loading commander or the command tree", () => {
        const r = loadedBy(["--version", "-o", "json"]);
        assert.equal(r.status, 0);
        assert.ok("velero" in (JSON.parse(r.stdout) as object));
        assert.deepEqual(heavy(r.loaded), []);
    });

    it("a command does load them (the check sees what it should)", () => {
        const r = loadedBy(["completion", "bash"]);
        assert.equal(r.status, 0);
        assert.ok(heavy(r.loaded).some((u) => u.includes("commander")) && heavy(r.loaded).some((u) => u.endsWith("program.ts")), JSON.stringify(heavy(r.loaded)));
    });
});
