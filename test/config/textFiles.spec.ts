/**
 * The files a user writes for tke2eks (a stack file, a waivers file) read as Pulumi and kubectl
 * read text (Go's yaml.v3 detects UTF-16 by its byte-order mark; PowerShell's `>` writes it),
 * and refused by name, in words, when they are no text or no file: the built CLI as a child.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runMeasured } from "../support/peakRss";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "tke-app");
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
const NOT_UTF8 = "not valid UTF-8 text (binary data, or another encoding: save it as UTF-8)";

describe("text files the user writes: UTF-16 read, non-text and folders refused by name", function () {
    this.timeout(60_000);
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "text-files-"));
        // A project beside the real one: its stack files name examples/ relative to it.
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(tmp, "Pulumi.yaml"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(tmp, "Pulumi.dev.yaml"));
        fs.symlinkSync(path.join(ROOT, "examples"), path.join(tmp, "examples"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("plan: a UTF-16 stack file plans as its UTF-8 original; bytes that are no text and a folder are one line, exit 2", async () => {
        const dev = fs.readFileSync(path.join(tmp, "Pulumi.dev.yaml"), "utf8");
        fs.writeFileSync(path.join(tmp, "Pulumi.wide.yaml"), utf16le(dev));
        fs.writeFileSync(path.join(tmp, "Pulumi.binary.yaml"), Buffer.concat([Buffer.from(dev), Buffer.from([0xc3, 0x28, 0x0a])]));
        fs.mkdirSync(path.join(tmp, "Pulumi.folder.yaml"));
        const plan = (stack: string) => runMeasured(["plan", "--stack", stack, "--cwd", tmp, "--format", "json"]);
        const [utf8, wide, binary, folder] = await Promise.all(["dev", "wide", "binary", "folder"].map(plan));
        assert.equal(wide.code, utf8.code, wide.err);
        assert.equal(wide.out.replace(/\bwide\b/g, "dev"), utf8.out);
        assert.equal(binary.code, 2);
        assert.equal(binary.err.trim(), `tke2eks: ${path.join(tmp, "Pulumi.binary.yaml")} cannot be read: ${NOT_UTF8}`);
        assert.equal(folder.code, 2);
        assert.equal(folder.err.trim(), `tke2eks: ${path.join(tmp, "Pulumi.folder.yaml")} cannot be read: is a directory`);
    });

    it("waivers: a UTF-16 file waives as its UTF-8 original; no text, a folder, entries that are no map: one line each, exit 2", async () => {
        const waivers = `- rule: eks-no-daemonset\n  namespace: monitoring\n  name: node-exporter\n  reason: replaced by the platform's metrics\n  expires: "2099-12-31"\n`;
        const files = { utf8: path.join(tmp, "w-utf8.yaml"), wide: path.join(tmp, "w-wide.yaml"), binary: path.join(tmp, "w-binary.yaml"), folder: path.join(tmp, "w-folder.yaml"), scalars: path.join(tmp, "w-scalars.yaml") };
        fs.writeFileSync(files.utf8, waivers);
        fs.writeFileSync(files.wide, utf16le(waivers));
        fs.writeFileSync(files.binary, Buffer.from([0x2d, 0x20, 0xff, 0xfe, 0x0a]));
        fs.mkdirSync(files.folder);
        fs.writeFileSync(files.scalars, "- just a string\n- 5\n");
        const scan = (file: string) => runMeasured(["preflight", EXAMPLE, "--waivers", file, "--format", "json", "--no-progress"]);
        const [utf8, wide] = await Promise.all([scan(files.utf8), scan(files.wide)]);
        assert.equal((JSON.parse(utf8.out) as { waived: unknown[] }).waived.length, 1, utf8.err);
        assert.equal(wide.code, utf8.code, wide.err);
        assert.equal(wide.out.split(files.wide).join(files.utf8), utf8.out);
        const refused: [string, string][] = [
            [files.binary, `cannot be read: ${NOT_UTF8}`],
            [files.folder, "cannot be read: is a directory"],
            [files.scalars, "2 bad entries: entry 1: (top level): must be a map, not a string; entry 2: (top level): must be a map, not a number"],
        ];
        const runs = await Promise.all(refused.map(([file]) => scan(file)));
        for (const [i, [file, why]] of refused.entries()) {
            const r = runs[i];
            assert.equal(r.code, 2, r.err);
            assert.equal(r.err.trim(), `tke2eks: waivers ${file}: ${why}`);
        }
    });
});
