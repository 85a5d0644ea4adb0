import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { PassThrough } from "node:stream";
import { runPreflight } from "../../cli/preflight";
import { readManifests } from "../../preflight/manifests";
import { formatOrigin, type ScanEvent } from "../../preflight/types";
import { UserError } from "../../core/errors";

async function collect(paths: string[], stdin: Readable = Readable.from([])): Promise<ScanEvent[]> {
    const out: ScanEvent[] = [];
    for await (const e of readManifests(paths, stdin)) out.push(e);
    return out;
}

function summary(events: ScanEvent[]): string[] {
    return events.flatMap((e) =>
        "item" in e
            ? [`${String(e.item.obj.kind)} ${String((e.item.obj.metadata as { name?: string } | undefined)?.name)} @ ${formatOrigin(e.item.origin)}`]
            : "problem" in e
              ? [`problem @ ${formatOrigin(e.problem.origin)}: ${e.problem.message}`]
              : [],
    );
}

describe("preflight: manifests input", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-manifests-"));
        fs.mkdirSync(path.join(dir, "apps", "nested"), { recursive: true });
        fs.mkdirSync(path.join(dir, ".git"));
        fs.writeFileSync(path.join(dir, ".git", "config.yaml"), "kind: Ignored\napiVersion: v1\n");
        fs.writeFileSync(
            path.join(dir, "apps", "a.yaml"),
            "# a comment\n\napiVersion: v1\nkind: Service\nmetadata:\n  name: one\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: two\n",
        );
        fs.writeFileSync(path.join(dir, "apps", "nested", "b.yml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");
        fs.writeFileSync(path.join(dir, "apps", "c.json"), JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "j1" } }, { apiVersion: "v1", kind: "Pod", metadata: { name: "j2" } }] }, null, 2));
        fs.writeFileSync(path.join(dir, "apps", "notes.txt"), "not a manifest");
        fs.writeFileSync(path.join(dir, "values.yaml"), "replicaCount: 3\nimage: nginx\n");
        fs.writeFileSync(
            path.join(dir, "broken.yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok1\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ok2}\n",
        );
        fs.writeFileSync(path.join(dir, "broken.json"), '{"apiVersion": "v1",\n "kind": "Pod",\n "metadata": {"name": "x",}}\n');
        fs.writeFileSync(path.join(dir, "array.json"), JSON.stringify([{ apiVersion: "v1", kind: "Pod", metadata: { name: "a1" } }, { note: "not an object" }]));
        fs.writeFileSync(path.join(dir, "inline-list.yaml"), "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Pod, metadata: {name: i1}}\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: i2}\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("walks folders recursively in name order, reading YAML and JSON, skipping hidden folders and other files", async () => {
        const events = await collect([path.join(dir, "apps")]);
        const rel = (s: string) => s.replace(dir + path.sep, "");
        assert.deepEqual(summary(events).map(rel), [
            `Service one @ ${path.join("apps", "a.yaml")}:3`,
            `Service two @ ${path.join("apps", "a.yaml")}:9`,
            `Pod j1 @ ${path.join("apps", "c.json")}:5`,
            `Pod j2 @ ${path.join("apps", "c.json")}:12`,
            `Pod p @ ${path.join("apps", "nested", "b.yml")}:1`,
        ]);
        assert.equal((await collect([dir])).filter((e) => "item" in e && e.item.obj.kind === "Ignored").length, 0);
    });

    it("expands kind: List, inline or streamed, and ignores documents that are not Kubernetes objects", async () => {
        const events = await collect([path.join(dir, "inline-list.yaml"), path.join(dir, "values.yaml"), path.join(dir, "array.json")]);
        assert.deepEqual(summary(events).map((s) => s.replace(dir + path.sep, "")), ["Pod i1 @ inline-list.yaml:4", "Pod i2 @ inline-list.yaml:5", "Pod a1 @ array.json:1"]);
        const skipped = events.flatMap((e) => ("skipped" in e ? [formatOrigin(e.skipped.origin).replace(dir + path.sep, "")] : []));
        assert.deepEqual(skipped, ["values.yaml:1", "array.json:1"]);
    });

    it("reports a malformed document with file and line, and goes on with the rest", async () => {
        const yaml = summary(await collect([path.join(dir, "broken.yaml")])).map((s) => s.replace(dir + path.sep, ""));
        assert.equal(yaml.length, 3);
        assert.equal(yaml[0], "Pod ok1 @ broken.yaml:1");
        assert.match(yaml[1], /^problem @ broken\.yaml:9: malformed YAML: /);
        assert.equal(yaml[2], "Pod ok2 @ broken.yaml:11");
        const json = summary(await collect([path.join(dir, "broken.json")])).map((s) => s.replace(dir + path.sep, ""));
        assert.equal(json.length, 1);
        assert.match(json[0], /^problem @ broken\.json:3: malformed JSON: /);
    });

    it("reads stdin for -, YAML or JSON by its first character", async () => {
        const yaml = await collect(["-"], Readable.from(["apiVersion: v1\nkind: Pod\nmeta", "data:\n  name: s\n"]));
        assert.deepEqual(summary(yaml), ["Pod s @ -:1"]);
        const json = await collect(["-"], Readable.from(['  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "sj"}}']));
        assert.deepEqual(summary(json), ["Pod sj @ -:1"]);
    });

    it("fails at once, naming the path, when a path cannot be read or a folder holds no manifests", async () => {
        const empty = path.join(dir, "apps", "empty");
        fs.mkdirSync(empty);
        fs.writeFileSync(path.join(empty, "README.md"), "# nothing here\n");
        await assert.rejects(collect([empty]), (err: unknown) => err instanceof UserError && err.message === `${empty}: no .yaml, .yml or .json files in this folder`);
        fs.rmSync(empty, { recursive: true });
        const missing = path.join(dir, "nope.yaml");
        await assert.rejects(collect([path.join(dir, "apps"), missing]), (err: unknown) => err instanceof UserError && err.message === `${missing}: no such file or directory`);
        if (process.getuid?.() !== 0) {
            const locked = path.join(dir, "locked.yaml");
            fs.writeFileSync(locked, "a: 1\n", { mode: 0o000 });
            await assert.rejects(collect([locked]), (err: unknown) => err instanceof UserError && /permission denied/.test(err.message));
        }
    });

    it("places a namespaced object without a namespace where it will be applied (default, or the one given), never cluster-scoped", async () => {
        const file = path.join(dir, "unplaced.yaml");
        fs.writeFileSync(
            file,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n---\n" +
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n---\napiVersion: example.com/v1\nkind: Widget\n---\n" +
                "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: letsencrypt\n",
        );
        const where = async (opts: { namespace?: string }) => {
            const out: string[] = [];
            for await (const e of readManifests([file], Readable.from([]), opts)) {
                if ("item" in e) out.push(`${String(e.item.obj.kind)} ${String((e.item.obj.metadata as { namespace?: string } | undefined)?.namespace)}`);
            }
            return out;
        };
        assert.deepEqual(await where({}), ["Deployment default", "Service shop", "ClusterRole undefined", "Widget default", "ClusterIssuer undefined"]);
        assert.deepEqual(await where({ namespace: "team-a" }), ["Deployment team-a", "Service shop", "ClusterRole undefined", "Widget team-a", "ClusterIssuer undefined"]);
    });

    it("groups such an object in the report under that namespace, not as cluster-scoped", async () => {
        const file = path.join(dir, "ds.yaml");
        fs.writeFileSync(file, "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec: {}\n");
        const table = async (namespace: string[]) => {
            const out = new PassThrough();
            const chunks: Buffer[] = [];
            out.on("data", (c: Buffer) => chunks.push(c));
            await runPreflight([file], { namespace, progress: false }, { stdin: Readable.from([]), stdout: out, stderr: new PassThrough() as unknown as NodeJS.WriteStream });
            return Buffer.concat(chunks).toString();
        };
        const plain = await table([]);
        assert.match(plain, /^default\n {2}✖ error eks-no-daemonset/m);
        assert.doesNotMatch(plain, /cluster-scoped/);
        assert.match(await table(["ops"]), /^ops\n {2}✖ error eks-no-daemonset/m);
    });
});
