/**
 * A backup tarball that holds an item's entry more than once (Velero never writes one; `tar -r`
 * or an edit does): Velero extracts every entry to one folder before restoring, so the last
 * entry of a name is the file it reads (velero v1.18.1 pkg/archive/extractor.go:58-68 writeFile
 * truncates, :113-125), and `./x`, `/x` and `a/../x` name the same file (:71-79, :99-103). Both
 * commands that read a backup, as child processes, count and judge that last entry alone.
 */
import { strict as assert } from "node:assert";
import { once } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { runMeasured } from "../support/peakRss";

const ENTRY = "resources/services/namespaces/shop/web.json";
const service = (type: string) => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "shop" },
    spec: { type, selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080, ...(type === "NodePort" ? { nodePort: 30080 } : {}) }] },
});
const CONFIGMAP = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "shop" }, data: { a: "b" } };

async function tarball(file: string, entries: [string, unknown][]): Promise<void> {
    const tar = pack();
    const chunks: Buffer[] = [];
    tar.on("data", (c) => chunks.push(c as Buffer));
    const done = once(tar, "end");
    for (const [name, obj] of entries) tar.entry({ name }, JSON.stringify(obj));
    tar.finalize();
    await done;
    fs.writeFileSync(file, gzipSync(Buffer.concat(chunks)));
}

interface Preflight {
    summary: { objects: number };
    findings: { rule: string; source: string }[];
}
interface Preview {
    summary: { objects: number };
    objects: { kind: string; name: string; outcome: string }[];
}

describe("duplicate entries in a backup tarball: the last one wins, as in Velero", function () {
    this.timeout(30_000);
    let tmp: string;
    before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "duplicate-entries-"))));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    for (const [first, last] of [
        ["NodePort", "ClusterIP"],
        ["ClusterIP", "NodePort"],
    ]) {
        it(`a ${first} Service then the same entry as ${last} (spelled ./ and /): one object, judged as ${last}`, async () => {
            const file = path.join(tmp, `${first}-${last}.tar.gz`);
            await tarball(file, [
                ["resources/configmaps/namespaces/shop/settings.json", CONFIGMAP],
                [`./${ENTRY}`, service(first)],
                ["resources/configmaps/namespaces/shop/other.json", { ...CONFIGMAP, metadata: { name: "other", namespace: "shop" } }],
                [`/resources/services/../services/namespaces/shop/web.json`, service(last)],
            ]);
            const [scan, preview] = await Promise.all([runMeasured(["preflight", "--backup", file, "--format", "json", "--no-progress"]), runMeasured(["restore-preview", "--backup", file, "--format", "json"])]);
            assert.equal(scan.code, last === "NodePort" ? 1 : 0, scan.err);
            const report = JSON.parse(scan.out) as Preflight;
            assert.equal(report.summary.objects, 3);
            assert.deepEqual(
                report.findings.filter((f) => f.rule === "eks-no-nodeport-service").map((f) => f.source),
                last === "NodePort" ? [`${file}#${ENTRY}`] : [],
            );
            assert.equal(preview.code, 0, preview.err);
            const predicted = JSON.parse(preview.out) as Preview;
            assert.equal(predicted.summary.objects, 3);
            const web = predicted.objects.filter((o) => o.kind === "Service");
            assert.deepEqual(
                web.map((o) => o.outcome),
                [last === "NodePort" ? "fixed" : "restored"],
            );
        });
    }

    it("an entry whose path leaves the backup's folder: exit 2 naming it, as Velero refuses the tarball", async () => {
        const file = path.join(tmp, "escape.tar.gz");
        await tarball(file, [
            [ENTRY, service("ClusterIP")],
            ["resources/../../etc/web.json", CONFIGMAP],
        ]);
        const runs = await Promise.all([["preflight", "--backup", file, "--no-progress"], ["restore-preview", "--backup", file]].map((args) => runMeasured(args)));
        for (const r of runs) {
            assert.equal(r.code, 2, r.err);
            assert.equal(r.err.trim(), `tke2eks: ${file}: entry "resources/../../etc/web.json" points outside the backup; Velero refuses to restore such a tarball ("invalid archive path … escapes target directory")`);
        }
    });
});
