/**
 * Typed lists as the API server returns them (`kubectl get --raw /api/v1/pods`: a PodList whose
 * items carry no kind or apiVersion), read from files in either key order, from stdin, and
 * from the loopback API server: every path yields the same typed objects, and the rules judge
 * them instead of skipping them.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { dump } from "js-yaml";
import { readCluster } from "../../preflight/cluster";
import { readManifests } from "../../preflight/manifests";
import { scan } from "../../preflight/scan";
import type { ScanEvent } from "../../preflight/types";
import { engineOptions, type KubeObject } from "../../rules";
import { apiServer, kubeconfigFor, type ApiServer, type Obj } from "../support/apiServer";

const FIXTURES = path.join(__dirname, "..", "fixtures", "typed-lists");
const NAMES = ["pods", "replicasets", "deployments", "services"];
type List = { kind: string; apiVersion: string; metadata: unknown; items: Obj[] };
const lists: Record<string, List> = Object.fromEntries(NAMES.map((n) => [n, JSON.parse(fs.readFileSync(path.join(FIXTURES, `${n}.json`), "utf8")) as List]));

/** Keys sorted at every level, as `jq -S` or a YAML round trip through sorted maps write them: `kind` comes after `items`. */
function sorted(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v !== "object" || v === null) return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
}

async function collect(events: AsyncIterable<ScanEvent>): Promise<ScanEvent[]> {
    const out: ScanEvent[] = [];
    for await (const e of events) out.push(e);
    return out;
}

const objects = (events: ScanEvent[]) => events.flatMap((e) => ("item" in e ? [e.item.obj] : []));
const skipped = (events: ScanEvent[]) => events.filter((e) => "skipped" in e).length;
const byName = (objs: KubeObject[]) => objs.map((o) => `${String(o.apiVersion)} ${String(o.kind)} ${String((o.metadata as { namespace: string }).namespace)}/${String((o.metadata as { name: string }).name)}`);

/** What a typed list means: each item with the list's kind and apiVersion. */
function expected(list: List): KubeObject[] {
    return list.items.map((item) => ({ apiVersion: list.apiVersion, kind: list.kind.replace(/List$/, ""), ...item }));
}

describe("preflight: typed lists (items without kind)", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-typed-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const name of NAMES) {
        it(`${lists[name].kind}: as JSON and YAML in the API server's key order and sorted, and from stdin`, async () => {
            const list = lists[name];
            const want = expected(list);
            const files: Record<string, string> = {
                "api.json": fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"),
                "sorted.json": JSON.stringify(sorted(list), null, 2),
                "api.yaml": dump(list),
                "sorted.yaml": dump(list, { sortKeys: true }),
            };
            for (const [suffix, text] of Object.entries(files)) {
                const file = path.join(dir, `${name}-${suffix}`);
                fs.writeFileSync(file, text);
                const events = await collect(readManifests([file], Readable.from([])));
                assert.equal(skipped(events), 0, suffix);
                assert.deepEqual(objects(events).map((o) => sorted(o)), want.map((o) => sorted(o)), `${name} ${suffix}`);
                // Stdin in small chunks: the list's kind and apiVersion are read across chunk boundaries.
                const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
                const fromStdin = await collect(readManifests(["-"], Readable.from(chunks)));
                assert.deepEqual(objects(fromStdin).map((o) => sorted(o)), want.map((o) => sorted(o)), `${name} ${suffix} on stdin`);
            }
        });
    }

    it("keeps the items' own kind, and skips the untyped items of a plain List", async () => {
        const file = path.join(dir, "mixed.yaml");
        fs.writeFileSync(file, dump({ apiVersion: "v1", kind: "List", items: [{ metadata: { name: "anon" } }, { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "x" } }] }));
        const events = await collect(readManifests([file], Readable.from([])));
        assert.equal(skipped(events), 1);
        assert.deepEqual(byName(objects(events)), ["v1 Service x/s"]);
    });

    it("judges a typed list's items instead of reporting the dump clean", async () => {
        const report = await scan(readManifests([path.join(FIXTURES, "deployments.json"), path.join(FIXTURES, "services.json")], Readable.from([])), { engine: engineOptions("eks") });
        try {
            const found = [...report.findings.findings(report.findings.counted())].map((f) => `${f.rule} ${f.kind} ${f.name}`);
            assert.ok(found.includes("eks-host-network Deployment web"), found.join("\n"));
            assert.ok(found.includes("eks-no-nodeport-service Service web"), found.join("\n"));
            assert.equal(report.objects, 3);
            assert.equal(report.skipped.count, 0);
        } finally {
            report.findings.close();
        }
    });

    describe("from the loopback API server", () => {
        let server: ApiServer;
        before(async () => {
            server = await apiServer({
                discovery: {
                    "/api/v1": [
                        { name: "pods", kind: "Pod", namespaced: true },
                        { name: "services", kind: "Service", namespaced: true },
                    ],
                    "/apis/apps/v1": [
                        { name: "deployments", kind: "Deployment", namespaced: true },
                        { name: "replicasets", kind: "ReplicaSet", namespaced: true },
                    ],
                },
                data: {
                    "/api/v1/pods": lists.pods,
                    "/api/v1/services": lists.services,
                    "/apis/apps/v1/deployments": lists.deployments,
                    "/apis/apps/v1/replicasets": lists.replicasets,
                },
            });
        });
        after(() => server.close());

        it("yields the same objects as the files", async () => {
            const live = objects(await collect(readCluster({ kubeconfig: kubeconfigFor(dir, server.url), context: "tke-a", pageSize: 1 })));
            const files = objects(await collect(readManifests(NAMES.map((n) => path.join(FIXTURES, `${n}.json`)), Readable.from([]))));
            const key = (o: KubeObject) => byName([o])[0];
            assert.deepEqual(live.map(key).sort(), files.map(key).sort());
            for (const o of live) {
                const twin = files.find((f) => key(f) === key(o));
                assert.deepEqual(sorted(o), sorted(twin), key(o));
            }
        });
    });
});
