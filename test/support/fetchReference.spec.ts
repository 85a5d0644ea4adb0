/**
 * The global setup that fetches the reference files on a fresh clone, run against a mirror made
 * from the reference folder itself (a folder, and the same served over HTTP on 127.0.0.1), so no
 * test touches the network.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ensureReference } from "./fetchReference";
import { REFERENCE_DIR } from "./reference";

/** One of the files scripts/fetch-reference.sh pins. */
const BACKUPS_CRD = path.join("velero-1.18", "crds", "velero.io_backups.yaml");

function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe("fetching the reference files when the folder lacks them (scripts/fetch-reference.sh)", function () {
    this.timeout(60_000);
    let tmp: string;
    let mirror: string;
    /** What the script fetches: the files it pins, found in the reference folder. */
    let pinned: string[];
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-reference-"));
        mirror = path.join(tmp, "mirror");
        fs.cpSync(REFERENCE_DIR, mirror, { recursive: true });
        const script = fs.readFileSync(path.join(__dirname, "..", "..", "scripts", "fetch-reference.sh"), "utf8");
        pinned = [...script.matchAll(/^ {2}"([^|"]+)\|/gm)].map((m) => m[1]).sort();
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("runs as mocha's global setup, before any spec reads the folder", () => {
        const rc = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", ".mocharc.json"), "utf8")) as { require: string[] };
        assert.ok(rc.require.includes("test/support/fetchReference.ts"), rc.require.join(", "));
    });

    it("fills a missing folder from a mirror folder, every pinned file byte for byte", async () => {
        const dest = path.join(tmp, "reference");
        assert.match(await ensureReference(dest, { ...process.env, TKE2EKS_REFERENCE_MIRROR: mirror }), /fetch-reference: \d+ files in /);
        assert.ok(pinned.includes(BACKUPS_CRD) && pinned.length >= 10, pinned.join(", "));
        assert.deepEqual(filesUnder(dest), pinned);
        for (const rel of pinned) assert.ok(fs.readFileSync(path.join(dest, rel)).equals(fs.readFileSync(path.join(REFERENCE_DIR, rel))), rel);
    });

    it("fills it from a mirror URL too", async () => {
        const server = http.createServer((req, res) => {
            const file = path.join(mirror, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
            if (!file.startsWith(mirror) || !fs.existsSync(file)) return void res.writeHead(404).end();
            res.end(fs.readFileSync(file));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const dest = path.join(tmp, "reference");
            await ensureReference(dest, { ...process.env, TKE2EKS_REFERENCE_MIRROR: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
            assert.deepEqual(filesUnder(dest), pinned);
        } finally {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });

    it("leaves a folder that holds every file alone, fetching nothing", async () => {
        const dest = path.join(tmp, "reference");
        fs.cpSync(mirror, dest, { recursive: true });
        fs.writeFileSync(path.join(dest, BACKUPS_CRD), "kept as it is\n");
        assert.equal(await ensureReference(dest, { ...process.env, TKE2EKS_REFERENCE_MIRROR: path.join(tmp, "no-such-mirror") }), "");
        assert.equal(fs.readFileSync(path.join(dest, BACKUPS_CRD), "utf8"), "kept as it is\n");
    });

    it("refuses a file whose SHA-256 is not the pinned one, naming it, and writes nothing", async () => {
        fs.appendFileSync(path.join(mirror, BACKUPS_CRD), "# changed\n");
        const dest = path.join(tmp, "reference");
        await assert.rejects(ensureReference(dest, { ...process.env, TKE2EKS_REFERENCE_MIRROR: mirror }), (e: Error) => {
            assert.match(e.message, /missing from .*reference and could not be fetched: fetch-reference: .*velero\.io_backups\.yaml has SHA-256 [0-9a-f]{64}, expected 38107fa5/);
            assert.match(e.message, /Set TKE2EKS_REFERENCE/);
            return true;
        });
        assert.equal(fs.existsSync(dest), false);
    });

    it("says which file a mirror lacks", async () => {
        fs.rmSync(path.join(mirror, BACKUPS_CRD));
        await assert.rejects(ensureReference(path.join(tmp, "reference"), { ...process.env, TKE2EKS_REFERENCE_MIRROR: mirror }), /cannot read .*velero\.io_backups\.yaml \(TKE2EKS_REFERENCE_MIRROR\)/);
    });
});
