/**
 * `tke2eks preflight FILE` loads what a file scan uses and nothing else: no Kubernetes client
 * (@kubernetes/client-node costs more CPU than scanning a few files), no AWS SDK (s3:// only), and
 * no stack reader or waiver reader (zod) without --stack or --waivers, and no progress bar off a
 * terminal.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../plan/support";

describe("tke2eks preflight FILE: only the scan's modules", function () {
    this.timeout(60_000);
    let tmp: string;
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "light-scan-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("scans a file without loading the Kubernetes client, the AWS SDK, zod, cli-progress or the stack reader", () => {
        const file = path.join(tmp, "pod.yaml");
        fs.writeFileSync(file, "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: shop}\nspec:\n  containers:\n  - {name: a, image: nginx, ports: [{containerPort: 9100}]}\n");
        // A fresh process, as the CLI runs: other specs in this one have loaded these modules already.
        const script = [
            "process.argv.splice(1, 0, 'tke2eks');",
            "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));",
            "require('./cli/main.ts').run();",
        ].join(" ");
        const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script, "--", "preflight", file, "--format", "json", "--no-progress"], { cwd: PROJECT_DIR, encoding: "utf8" });
        assert.equal(r.status, 1, r.stderr);
        assert.ok((JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.some((f) => f.rule === "eks-reserved-ports"), "the scan ran its rules");
        const loaded = JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)![1]) as string[];
        const heavy = /node_modules[\\/](@kubernetes[\\/]client-node|@aws-sdk|@smithy|zod|cli-progress)[\\/]|[\\/](config[\\/]load|preflight[\\/]waivers|preflight[\\/]cluster)\.ts$/;
        assert.deepEqual(loaded.filter((f) => heavy.test(f)), []);
    });
});
