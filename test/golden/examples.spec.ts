/**
 * Golden report: `tke2eks preflight examples/tke-app --format json`, compared byte for byte
 * with the committed file, which was reviewed by hand against the example (every object,
 * rule, line and count). A rule change that alters it must be reviewed the same way.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { runPreflight } from "../../cli/preflight";

const ROOT = path.join(__dirname, "..", "..");
const GOLDEN = path.join(__dirname, "tke-app.preflight.json");
const REGENERATE = "UPDATE_GOLDEN=1 npx mocha test/golden/examples.spec.ts";

async function report(): Promise<{ code: number; json: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on("data", (c: Buffer) => chunks.push(c));
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
        const code = await runPreflight(["examples/tke-app"], { format: "json" }, { stdin: Readable.from([]), stdout, stderr: stderr as unknown as NodeJS.WriteStream });
        return { code, json: Buffer.concat(chunks).toString("utf8") };
    } finally {
        process.chdir(cwd);
    }
}

describe("golden: preflight report for examples/tke-app", () => {
    it("matches test/golden/tke-app.preflight.json", async () => {
        const { code, json } = await report();
        assert.equal(code, 1, "the example has errors: exit 1");
        if (process.env.UPDATE_GOLDEN === "1") {
            fs.writeFileSync(GOLDEN, json);
            return;
        }
        const golden = fs.readFileSync(GOLDEN, "utf8");
        if (json === golden) return;
        const got = json.split("\n");
        const want = golden.split("\n");
        const line = got.findIndex((l, i) => l !== want[i]);
        assert.fail(
            `the preflight report for examples/tke-app differs from ${path.relative(ROOT, GOLDEN)} at line ${line + 1}:\n` +
                `  golden: ${want[line] ?? "(end of file)"}\n  now:    ${got[line] ?? "(end of file)"}\n` +
                `If the change is intended, regenerate it deliberately with\n  ${REGENERATE}\n` +
                `then review \`git diff ${path.relative(ROOT, GOLDEN)}\` line by line against examples/tke-app before committing.`,
        );
    });
});
