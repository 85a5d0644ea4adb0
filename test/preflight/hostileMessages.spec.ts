/**
 * Hostile input as `preflight` and `restore-preview` read it, each command a child process:
 * every failure is one message in our words (the file, what is wrong, what a backup is), never
 * zlib's or tar-stream's, and no byte of the input that could drive a terminal (an escape
 * sequence in an entry name or a file name, a NUL in an object) reaches stderr unescaped.
 */
import { strict as assert } from "node:assert";
import { once } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { runMeasured } from "../support/peakRss";

const POD = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "shop" }, spec: { containers: [{ name: "web", image: "nginx" }] } });
const ENTRY = "resources/pods/namespaces/shop/web.json";
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

async function tar(entries: [string, string | Buffer][]): Promise<Buffer> {
    const t = pack();
    const chunks: Buffer[] = [];
    t.on("data", (c) => chunks.push(c as Buffer));
    const done = once(t, "end");
    for (const [name, body] of entries) t.entry({ name }, body);
    t.finalize();
    await done;
    return Buffer.concat(chunks);
}

describe("hostile input: messages in our words, no control bytes echoed", function () {
    this.timeout(60_000);
    let tmp: string;
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-messages-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const BACKUP = "a Velero backup is a gzip-compressed tar archive (backups/<name>/<name>.tar.gz in the bucket)";
    const cases: [string, () => Promise<Buffer>, (file: string) => string][] = [
        ["an empty file", async () => Buffer.alloc(0), (f) => `${f}: not gzip-compressed: the file is empty; ${BACKUP}`],
        ["text", async () => Buffer.from("hello\u001b]0;owned\u0007 world\n"), (f) => `${f}: not gzip-compressed: it starts with "hello\\u001b]0;owned\\u0007 world\\n"; ${BACKUP}`],
        ["a plain tar", () => tar([[ENTRY, POD]]), (f) => `${f}: not gzip-compressed: it is a plain tar archive; ${BACKUP}`],
        ["a web page", async () => Buffer.from("<!DOCTYPE html><html><body>404</body></html>"), (f) => `${f}: not gzip-compressed: it starts like an HTML or XML document (a web server's page?); ${BACKUP}`],
        ["gzip of no tar", async () => gzipSync("level=info msg=done\n".repeat(40)), (f) => `${f}: the gzip data holds no tar archive, or a damaged one; ${BACKUP}`],
        ["a truncated gzip", async () => gzipSync(await tar([[ENTRY, POD]])).subarray(0, 60), (f) => `${f}: truncated: the gzip data ends early (an interrupted download or upload?)`],
        ["a tar cut inside an entry", async () => gzipSync((await tar([[ENTRY, POD]])).subarray(0, 700)), (f) => `${f}: truncated: the tar archive ends in the middle of an entry`],
        [
            "an entry name and an object with escape sequences and NULs",
            async () => gzipSync(await tar([[`resources/pods/namespaces/shop/we\u001b[2Jb.json`, "{\u0000\u001b[31m"]])),
            (f) => `${f}#resources/pods/namespaces/shop/we\\u001b[2Jb.json: malformed JSON: Expected property name or '}' in JSON at position 1`,
        ],
    ];
    for (const [what, bytes, message] of cases) {
        it(`${what}: exit 2 and one line, escaped`, async () => {
            const file = path.join(tmp, `${what.replace(/\W+/g, "-")}.tar.gz`);
            fs.writeFileSync(file, await bytes());
            const commands = [["preflight", "--backup", file, "--no-progress"], ["restore-preview", "--backup", file]];
            const runs = await Promise.all(commands.map((args) => runMeasured(args)));
            for (const [i, r] of runs.entries()) {
                const args = commands[i];
                assert.equal(r.code, 2, `${args[0]}: ${r.err}`);
                assert.doesNotMatch(r.err, CONTROL, args[0]);
                // JSON.parse's own words: newer V8s (not Node 20's) add " (line 1 column 2)".
                assert.equal(r.err.split("\n")[0].replace(/ \(line \d+ column \d+\)$/, ""), `tke2eks: ${message(file)}`, args[0]);
            }
        });
    }

    // restore-preview reads Velero's volume info beside the tarball (restore/volumeInfo.ts).
    const volumeInfo: [string, (file: string) => void, (file: string) => string][] = [
        ["a truncated gzip", (f) => fs.writeFileSync(f, gzipSync('[{"pvName": "pvc-1"}]').subarray(0, 15)), (f) => `${f}: truncated: the gzip data ends early (an interrupted download or upload?)`],
        ["damaged gzip", (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from("\u001b[2J damaged")])), (f) => `${f}: corrupt gzip data (the file is damaged)`],
        ["a folder", (f) => fs.mkdirSync(f), (f) => `${f}: is a directory, not a file`],
    ];
    for (const [what, write, message] of volumeInfo) {
        it(`volume info beside the tarball that is ${what}: exit 2 and one line in our words`, async () => {
            const dir = fs.mkdtempSync(path.join(tmp, "volume-info-"));
            const file = path.join(dir, "shop-1.tar.gz");
            fs.writeFileSync(file, gzipSync(await tar([[ENTRY, POD]])));
            const info = path.join(dir, "shop-1-volumeinfo.json.gz");
            write(info);
            const r = await runMeasured(["restore-preview", "--backup", file]);
            assert.equal(r.code, 2, r.err);
            assert.equal(r.err, `tke2eks: ${message(info)}\n`);
        });
    }

    it("a manifest file whose name and content hold escape sequences: named escaped", async () => {
        const file = path.join(tmp, "evil\u001b[31m.yaml");
        fs.writeFileSync(file, "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\u001b[31m\"\n");
        const r = await runMeasured(["preflight", file, "--no-progress"]);
        assert.equal(r.code, 2, r.err);
        assert.doesNotMatch(r.err, CONTROL);
        assert.match(r.err, /^tke2eks: .*evil\\u001b\[31m\.yaml:3: malformed YAML: /);
    });
});
