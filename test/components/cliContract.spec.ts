import { strict as assert } from "node:assert";
import type { Command } from "commander";
import { buildProgram } from "../../cli/program";
import { CLI } from "../../components/clusterCommand";
import { Migration } from "../../components/migration";
import { backupInBucket } from "../../restore/stageFixes";
import { declare, devConfig } from "./harness";

/** The real CLI definition with every action a no-op, and errors thrown instead of exiting. */
function parserOnly(): Command {
    const program = buildProgram();
    const quiet = (c: Command) => {
        c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
        if (c.commands.length === 0) c.action(() => {});
        c.commands.forEach(quiet);
    };
    quiet(program);
    return program;
}

/** Every command line the components declare, at every stage of the dev stack. */
async function declaredCommandLines(): Promise<string[]> {
    const lines: string[] = [];
    for (const stage of ["install", "backup", "restore", "complete"]) {
        const config = devConfig([`tke2eks:stage=${stage}`]);
        const d = await declare(() => new Migration("migration", { config, fixes: backupInBucket(config) }), { stack: "dev" });
        for (const c of d.ofType("command:local:Command")) lines.push(String(c.inputs.create));
    }
    return lines;
}

describe("components ↔ CLI: one contract (issue 21, point 5)", () => {
    it("every command line a stage declares parses with the real CLI definition", async () => {
        const lines = await declaredCommandLines();
        assert.ok(lines.length >= 3, `expected the awaiters and the verification, got ${lines.join(" | ")}`);
        for (const line of lines) {
            assert.ok(line.startsWith(`${CLI} `), line);
            // The arguments are validated names and numbers: no quoting to undo.
            const argv = line.slice(CLI.length + 1).split(/\s+/);
            await assert.doesNotReject(parserOnly().parseAsync(argv, { from: "user" }), line);
        }
    });

    it("would catch a renamed flag: the parser refuses one it does not define", async () => {
        await assert.rejects(parserOnly().parseAsync(["await", "backup", "shop-1", "--no-such-flag"], { from: "user" }), /unknown option '--no-such-flag'/);
    });
});
