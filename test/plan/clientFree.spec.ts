/**
 * `tke2eks plan --stack dev` stays offline and light: it checks the stack's kubeconfigs
 * (cluster/kubeconfigFile.ts) without ever loading the Kubernetes client library.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { PROJECT_DIR } from "./support";

describe("tke2eks plan: no Kubernetes client", function () {
    this.timeout(60_000);

    it("runs the whole plan without loading @kubernetes/client-node, reading the kubeconfigs through the plain reader", () => {
        // A fresh process, as the CLI runs: other specs in this one have loaded the client already.
        const script = [
            "process.argv.splice(1, 0, 'tke2eks');",
            "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));",
            "require('./cli/main.ts').run();",
        ].join(" ");
        const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script, "--", "plan", "--stack", "dev", "--format", "json"], { cwd: PROJECT_DIR, encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.ok((JSON.parse(r.stdout) as { resources: unknown[] }).resources.length > 0);
        const loaded = JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)![1]) as string[];
        assert.deepEqual(loaded.filter((f) => f.includes("@kubernetes/client-node") || f.endsWith("cluster/kubeconfig.ts")), []);
        assert.ok(loaded.some((f) => f.endsWith("cluster/kubeconfigFile.ts")), "the stack's kubeconfigs are read through cluster/kubeconfigFile.ts");
    });
});
