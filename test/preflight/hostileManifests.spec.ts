/**
 * Hostile or odd manifest input read by `tke2eks preflight` as a child process: every case ends
 * in a report or one line naming the file, never a stack trace, a hang or unbounded memory.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runMeasured } from "../support/peakRss.js";

const POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: web, image: nginx:1.27}]\n";

interface Report {
    summary: { objects: number };
    findings: unknown[];
    unreadable?: { source: string; message: string }[];
}

describe("hostile manifests (preflight)", function () {
    this.timeout(30_000);
    let tmp: string;
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-manifests-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("alias fan-out: 1,000 aliased containers of 1,000 aliased 9100 ports (9 KB) is refused naming file:line and the limit; the next document is still read", async () => {
        const ports = `[${Array(1000).fill("*p").join(",")}]`;
        const containers = `[${Array(1000).fill("*c").join(",")}]`;
        const bomb = `apiVersion: v1\nkind: Pod\nmetadata: {name: bomb, namespace: shop}\nx-port: &p {containerPort: 9100}\nx-container: &c {name: c, image: nginx, ports: ${ports}}\nspec:\n  containers: ${containers}\n`;
        const file = path.join(tmp, "bomb.yaml");
        fs.writeFileSync(file, `${POD}---\n${bomb}`);
        const r = await runMeasured(["preflight", file, "--format", "json", "--no-progress"]);
        assert.equal(r.code, 2, r.err);
        const report = JSON.parse(r.out) as Report;
        assert.equal(report.summary.objects, 1);
        assert.deepEqual(report.findings.filter((f) => (f as { rule: string }).rule === "eks-reserved-ports"), []);
        // The document as the splitter cuts it: its `---` line, no last newline.
        const limit = `---\n${bomb}`.length - 1 + 100_000;
        assert.deepEqual(report.unreadable, [
            {
                source: `${file}:7`,
                message: `YAML aliases (*name) expand this document to more than ${limit} values (its length in characters + 100000): refused as an alias bomb; write the repeated parts out`,
            },
        ]);
        assert.doesNotMatch(r.err, /\n\s+at /);
    });

    it("a few anchors and aliases, as people write them, are read as usual", async () => {
        const file = path.join(tmp, "anchors.yaml");
        const env = "x-env: &env [{name: A, value: a}, {name: B, value: b}]\n";
        fs.writeFileSync(file, `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n${env}spec:\n  containers:\n  - {name: a, image: nginx, env: *env, ports: [{containerPort: 9100}]}\n  - {name: b, image: nginx, env: *env}\n`);
        const r = await runMeasured(["preflight", file, "--format", "json", "--no-progress"]);
        assert.equal(r.code, 1, r.err);
        const report = JSON.parse(r.out) as Report;
        assert.equal(report.unreadable, undefined);
        assert.equal(report.summary.objects, 1);
    });
});
