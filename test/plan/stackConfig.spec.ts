import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackConfig } from "../../config/stackFiles";
import { UserError } from "../../core/errors";

describe("plan: reading a stack's config like the Pulumi CLI", () => {
    let dir: string;
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-stack-"));
        write("Pulumi.yaml", "name: tke2eks\nruntime: nodejs\nconfig:\n  tke2eks:prefix: shared\n  tke2eks:stage:\n    default: backup\n");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("hands every value over as a string, maps and lists as JSON, project values under the stack's", () => {
        write("Pulumi.a.yaml", "config:\n  tke2eks:appId: 1250000000\n  tke2eks:createBucket: false\n  region: ap-shanghai\n  tke2eks:prefix: own\n  tke2eks:target:\n    kubeconfig: k.yaml\n    values: {deployNodeAgent: false}\n  aws:region: us-east-1\n");
        const sc = readStackConfig(dir, "a");
        assert.equal(sc.project, "tke2eks");
        assert.equal(sc.file, path.join(dir, "Pulumi.a.yaml"));
        assert.deepEqual(sc.config, {
            "tke2eks:appId": "1250000000",
            "tke2eks:createBucket": "false",
            // A key without a namespace is the project's.
            "tke2eks:region": "ap-shanghai",
            "tke2eks:prefix": "own",
            "tke2eks:stage": "backup",
            "tke2eks:target": '{"kubeconfig":"k.yaml","values":{"deployNodeAgent":false}}',
            "aws:region": "us-east-1",
        });
    });

    it("lays --config overrides on top, into maps by path, with real booleans and JSON", () => {
        write("Pulumi.a.yaml", "config:\n  tke2eks:target:\n    kubeconfig: k.yaml\n    context: b\n");
        const sc = readStackConfig(dir, "a", ["tke2eks:target.context=c", "tke2eks:target.values.deployNodeAgent=true", "stage=restore", "tke2eks:source.kubernetesVersion=1.20", "tke2eks:snapshots={\"enabled\":false}", "tke2eks:bucket=a=b"]);
        assert.deepEqual(JSON.parse(sc.config["tke2eks:target"]), { kubeconfig: "k.yaml", context: "c", values: { deployNodeAgent: true } });
        assert.equal(sc.config["tke2eks:stage"], "restore");
        // Numbers stay strings, as `pulumi config set` keeps them (1.20 is not 1.2).
        assert.deepEqual(JSON.parse(sc.config["tke2eks:source"]), { kubernetesVersion: "1.20" });
        assert.equal(sc.config["tke2eks:snapshots"], '{"enabled":false}');
        assert.equal(sc.config["tke2eks:bucket"], "a=b");
        // The file is left alone.
        assert.match(fs.readFileSync(path.join(dir, "Pulumi.a.yaml"), "utf8"), /context: b/);
    });

    it("keeps a key the file encrypts secret when --config gives its value, as the engine would", () => {
        write("Pulumi.byo.yaml", "config:\n  tke2eks:existingBucket:\n    name: velero\n    secretAccessKey:\n      secure: v1:abc\n  tke2eks:stage: install\n");
        const sc = readStackConfig(dir, "byo", ["tke2eks:existingBucket.secretAccessKey=s3cr3t"]);
        assert.deepEqual(sc.secretKeys, ["tke2eks:existingBucket"]);
        assert.deepEqual(JSON.parse(sc.config["tke2eks:existingBucket"]), { name: "velero", secretAccessKey: "s3cr3t" });
    });

    it("refuses what it cannot read, naming the file or the key", () => {
        const fails = (stack: string, re: RegExp, overrides: string[] = []) =>
            assert.throws(() => readStackConfig(dir, stack, overrides), (err: unknown) => err instanceof UserError && re.test(err.message));
        fails("none", /Pulumi\.none\.yaml not found/);
        write("Pulumi.bad.yaml", "config: [\n");
        fails("bad", /Pulumi\.bad\.yaml is not valid YAML/);
        write("Pulumi.list.yaml", "config:\n  - a\n");
        fails("list", /Pulumi\.list\.yaml: config must be a map/);
        write("Pulumi.ok.yaml", "config: {}\n");
        fails("ok", /expected KEY=VALUE/, ["tke2eks:stage"]);
        fails("../ok", /stack name "..\/ok"/);
        write("Pulumi.sec.yaml", "config:\n  tke2eks:source:\n    kubeconfig:\n      secure: v1:abc\n");
        fails("sec", /tke2eks:source\.kubeconfig in .*Pulumi\.sec\.yaml is encrypted/);
        // Overriding the encrypted value is the way out.
        assert.equal(JSON.parse(readStackConfig(dir, "sec", ["tke2eks:source.kubeconfig=k.yaml"]).config["tke2eks:source"]).kubeconfig, "k.yaml");
        fs.rmSync(path.join(dir, "Pulumi.yaml"));
        fails("ok", /Pulumi\.yaml not found/);
    });
});
