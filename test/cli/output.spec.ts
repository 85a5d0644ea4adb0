/** `-o/--output`: one vocabulary on every command that prints a report, checked with one message. */
import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { buildProgram } from "../../cli/program";
import { outputFormat } from "../../cli/output";
import { yamlOf } from "../../cli/yamlOutput";
import { UserError } from "../../core/errors";

/** What -o each command lists in its --help (the completion scripts take their flags from the same tree). */
const LISTED: Record<string, string> = {
    plan: "table | json | yaml",
    preflight: "table | json | yaml | sarif | junit",
    "restore-preview": "table | json | yaml",
    await: "json | yaml | table",
    inventory: "json | yaml",
    cutover: "json | yaml | table",
    verify: "table | json | yaml",
};

describe("-o/--output", () => {
    it("every command that prints a report takes -o with yaml, and --format as its alias", async () => {
        const program = buildProgram();
        for (const cmd of program.commands) {
            const output = cmd.options.find((o) => o.long === "--output");
            if (!(cmd.name() in LISTED)) {
                assert.equal(output, undefined, cmd.name());
                continue;
            }
            assert.equal(output?.short, "-o", cmd.name());
            assert.ok(output.description.startsWith(`${LISTED[cmd.name()]} (default:`), `${cmd.name()}: ${output.description}`);
            assert.ok(cmd.options.some((o) => o.long === "--format"), cmd.name());
        }
        // inventory, new to -o: the parser hands the value to the command.
        const parsed = buildProgram();
        let given: unknown;
        parsed.commands.find((c) => c.name() === "inventory")?.action((opts: { output?: string }) => void (given = opts.output));
        await parsed.parseAsync(["inventory", "--restore-name", "shop-1", "-o", "yaml"], { from: "user" });
        assert.equal(given, "yaml");
    });

    it("a value outside the command's list: one line naming the flag, the value and the list", () => {
        assert.equal(outputFormat(undefined, ["table", "json", "yaml"] as const, "table"), "table");
        assert.equal(outputFormat("yaml", ["table", "json", "yaml"] as const, "table"), "yaml");
        assert.throws(() => outputFormat("xml", ["table", "json", "yaml"] as const, "table"), (e: unknown) => e instanceof UserError && e.message === '-o/--output "xml": use one of table, json, yaml');
    });

    it("yaml is the json document, whatever chunks it came in", async () => {
        const doc = { summary: { objects: 2 }, findings: [{ rule: "a", message: "line: with colon\nand newline" }], empty: [] };
        const json = JSON.stringify(doc);
        assert.deepEqual(parse(await yamlOf([json.slice(0, 7), json.slice(7)])), doc);
    });
});
