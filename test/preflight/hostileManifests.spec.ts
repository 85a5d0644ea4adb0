/**
 * Hostile or odd manifest input read by `tke2eks preflight` as a child process: every case ends
 * in a report or one line naming the file, never a stack trace, a hang or unbounded memory.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runMeasured } from "../support/peakRss";

const BIN = path.join(__dirname, "..", "..", "bin", "tke2eks");
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

    it("UTF-16 with its byte-order mark (PowerShell's >) and UTF-8 with one are read as UTF-8 is, YAML and JSON", async () => {
        const yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: web, image: nginx, ports: [{containerPort: 9100}]}]\n";
        const json = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "api", namespace: "shop" }, spec: { containers: [{ name: "api", image: "nginx", ports: [{ containerPort: 9100 }] }] } });
        const be = (text: string) => Buffer.from(text, "utf16le").swap16();
        const encodings: [string, (t: string) => Buffer][] = [
            ["utf8", (t) => Buffer.from(t)],
            ["utf8-bom", (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)])],
            ["utf16le-bom", (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")])],
            ["utf16be-bom", (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), be(t)])],
        ];
        const reports: string[] = [];
        for (const [name, encode] of encodings) {
            const dir = path.join(tmp, name);
            fs.mkdirSync(dir);
            fs.writeFileSync(path.join(dir, "pod.yaml"), encode(yaml));
            fs.writeFileSync(path.join(dir, "pod.json"), encode(json));
            const r = await runMeasured(["preflight", dir, "--format", "json", "--no-progress"]);
            assert.equal(r.code, 1, `${name}: ${r.err}`);
            reports.push(r.out.split(dir).join("DIR"));
        }
        const first = JSON.parse(reports[0]) as Omit<Report, "findings"> & { findings: { rule: string; name: string }[] };
        assert.deepEqual(first.findings.filter((f) => f.rule === "eks-reserved-ports").map((f) => f.name).sort(), ["api", "web"]);
        for (const [i, r] of reports.entries()) assert.equal(r, reports[0], encodings[i][0]);
    });

    it("bytes that are not UTF-8 text: the file is listed as unreadable by name and the scan says it is incomplete", async () => {
        const file = path.join(tmp, "binary.yaml");
        fs.writeFileSync(file, Buffer.concat([Buffer.from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\xff"), Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from("}\n")]));
        const good = path.join(tmp, "good.yaml");
        fs.writeFileSync(good, POD);
        const r = await runMeasured(["preflight", good, file, "--format", "json", "--no-progress"]);
        assert.equal(r.code, 2, r.err);
        assert.deepEqual((JSON.parse(r.out) as Report).unreadable, [{ source: file, message: "not valid UTF-8 text (binary data, or another encoding: save it as UTF-8)" }]);
    });

    it("a folder's unreadable parts (locked file and folder, dangling link, FIFO) are listed and the rest is scanned; a FIFO is never opened", function () {
        const root = process.getuid?.() === 0;
        const dir = path.join(tmp, "folder");
        fs.mkdirSync(path.join(dir, "locked-dir"), { recursive: true });
        fs.writeFileSync(path.join(dir, "good.yaml"), POD);
        fs.writeFileSync(path.join(dir, "locked-dir", "hidden.yaml"), POD);
        fs.writeFileSync(path.join(dir, "locked.yaml"), POD);
        fs.symlinkSync(path.join(dir, "gone.yaml"), path.join(dir, "dangling.yaml"));
        fs.symlinkSync(path.join(dir, "gone"), path.join(dir, "dangling-not-a-manifest"));
        execFileSync("mkfifo", [path.join(dir, "pipe.yaml")]);
        fs.chmodSync(path.join(dir, "locked.yaml"), 0o000);
        fs.chmodSync(path.join(dir, "locked-dir"), 0o000);
        // root reads whatever the mode says: run the CLI as nobody there, with a Node nobody can
        // run (scripts/use-node.sh puts one under $HOME, which nobody may not enter).
        let node = process.execPath;
        if (root) {
            fs.chmodSync(tmp, 0o755);
            node = path.join(tmp, "node");
            try {
                fs.linkSync(process.execPath, node);
            } catch {
                fs.copyFileSync(process.execPath, node);
            }
        }
        const r = spawnSync(node, [BIN, "preflight", dir, "--format", "json", "--no-progress"], {
            encoding: "utf8",
            timeout: 20_000,
            env: { PATH: process.env.PATH ?? "" },
            ...(root ? { uid: 65534, gid: 65534 } : {}),
        });
        assert.equal(r.status, 2, r.error?.message ?? r.stderr);
        const report = JSON.parse(r.stdout) as Report;
        assert.equal(report.summary.objects, 1);
        assert.deepEqual(report.unreadable, [
            { source: path.join(dir, "dangling.yaml"), message: "not read: no such file or directory" },
            { source: path.join(dir, "locked-dir"), message: "folder not read: permission denied" },
            { source: path.join(dir, "locked.yaml"), message: "not read: permission denied" },
            { source: path.join(dir, "pipe.yaml"), message: "not read: a FIFO, not a manifest file" },
        ]);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
});
