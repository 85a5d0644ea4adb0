/**
 * Velero's results of a PartiallyFailed or Failed run: the messages as Velero v1.18.2 formats
 * them, read by namespace and object; and, against a fake API server and bucket, the faults a
 * real Velero does not produce on demand (a cut file, a file of the wrong shape, no URL). The
 * happy path against the real Velero is test/e2e/partiallyFailed.e2e.ts.
 */
import { strict as assert } from "node:assert";
import { gzipSync } from "node:zlib";
import { runAwait } from "../../cli/await";
import { firstFew, objectOf, parseResults } from "../../cluster/veleroResults";
import { UserError } from "../../core/errors";
import { captureIo } from "../support/captureIo";
import { kubeconfig, verifyApi, type Api } from "./verifyServer";

describe("Velero's results", () => {
    it("names the object of each message form Velero writes", () => {
        // restore.go:1665 with getResourceID (restore.go:1077-1083).
        assert.equal(objectOf(`error restoring configmaps/shop/cfg: admission webhook "deny" denied the request`), "configmaps/shop/cfg");
        assert.equal(objectOf("error restoring storageclasses.storage.k8s.io/cbs: forbidden"), "storageclasses.storage.k8s.io/cbs");
        // restore.go:1622 and 1638.
        assert.equal(objectOf(`could not restore, ConfigMap "cfg" already exists. Warning: the in-cluster version is different than the backed-up version`), "ConfigMap/cfg");
        assert.equal(objectOf("could not restore, ConfigMap:cfg already exists. Warning: the in-cluster version is different than the backed-up version"), "ConfigMap/cfg");
        // log_counter_hook.go:69-77.
        assert.equal(objectOf(" resource: /pods name: /web-0 message: /Error backing up item error: /timed out"), "pods/web-0");
        assert.equal(objectOf("error parsing backup contents: EOF"), undefined);
    });

    it("reads errors and warnings by scope, namespaces sorted, and names the first few", () => {
        const r = parseResults(
            JSON.stringify({
                errors: { velero: ["error parsing backup contents: EOF"], namespaces: { zeta: ["error restoring configmaps/zeta/a: no"], alpha: ["error restoring secrets/alpha/b: no", "error restoring secrets/alpha/c: no"] } },
                warnings: { cluster: ["could not restore, Namespace:alpha already exists. Warning: x"] },
            }),
            "f",
        );
        assert.deepEqual(
            r.errors.map((e) => [e.scope, e.object]),
            [
                ["velero", undefined],
                ["alpha", "secrets/alpha/b"],
                ["alpha", "secrets/alpha/c"],
                ["zeta", "configmaps/zeta/a"],
            ],
        );
        assert.deepEqual(r.warnings, [{ scope: "cluster", object: "Namespace/alpha", message: "could not restore, Namespace:alpha already exists. Warning: x" }]);
        assert.equal(firstFew(r, 2), "errors: velero: error parsing backup contents: EOF; alpha secrets/alpha/b: error restoring secrets/alpha/b: no (and 2 more)");
        assert.equal(firstFew({ errors: [], warnings: r.warnings }), "warnings: cluster Namespace/alpha: could not restore, Namespace:alpha already exists. Warning: x");
    });

    it("refuses a file of the wrong shape, naming the key", () => {
        assert.throws(() => parseResults("{", "restore x's results"), (e: unknown) => e instanceof UserError && /^restore x's results: not JSON/.test(e.message));
        assert.throws(() => parseResults(JSON.stringify({ errors: { namespaces: { shop: "boom" } } }), "f"), /f: "errors\.namespaces\.shop" is not a list of messages$/);
        assert.throws(() => parseResults(JSON.stringify({ warnings: ["x"] }), "f"), /f: "warnings" is not an object of velero, cluster and namespaces$/);
    });
});

describe("tke2eks await: a PartiallyFailed restore whose results cannot be read", () => {
    let api: Api;
    const RESTORES = "/apis/velero.io/v1/namespaces/velero/restores";
    const REQUESTS = "/apis/velero.io/v1/namespaces/velero/downloadrequests";
    const FILE = "/bucket/velero/restores/shop-1/restore-shop-1-results.gz";
    const FAST = { namespace: "velero", timeout: "2", interval: "0.01", requestTimeout: "1" };
    beforeEach(async () => {
        api = await verifyApi();
        api.collections[RESTORES] = [{ apiVersion: "velero.io/v1", kind: "Restore", metadata: { name: "shop-1", namespace: "velero" }, status: { phase: "PartiallyFailed", errors: 2, warnings: 0, progress: { totalItems: 4, itemsRestored: 4 } } }];
        api.onCreate[REQUESTS] = (body) => ({ ...body, status: { phase: "Processed", downloadURL: `${api.url}${FILE}?X-Amz-Signature=abc123` } });
    });
    afterEach(() => api.close());
    const run = async (format?: string) => {
        const t = captureIo({ TKE2EKS_KUBECONFIG: kubeconfig(api.url), TKE2EKS_CONTEXT: "eks-b" });
        const code = await runAwait("restore", "shop-1", { ...FAST, ...(format ? { format } : {}) }, t);
        return { code, err: t.err(), out: t.out() };
    };

    it("a cut file: the failure stands, saying why its results are missing", async () => {
        api.files[FILE] = gzipSync(JSON.stringify({ errors: { namespaces: { shop: ["error restoring configmaps/shop/cfg: no"] } } })).subarray(0, 20);
        const r = await run();
        assert.equal(r.code, 1);
        assert.match(r.err, /\ntke2eks: Restore velero\/shop-1 PartiallyFailed: 4\/4 items, 2 errors, 0 warnings; .* \(Velero's results not read: restore shop-1's results \(from the bucket\): not gzip \(/);
        const json = JSON.parse(r.out) as { phase: string; results?: unknown; resultsError?: string };
        assert.equal(json.phase, "PartiallyFailed");
        assert.equal(json.results, undefined);
        assert.match(json.resultsError ?? "", /not gzip/);
        assert.ok(!r.err.includes("Signature") && !r.out.includes("Signature"), "the signed URL is never printed");
    });

    it("no URL from Velero: the failure stands; the table says the results were not read", async () => {
        api.onCreate[REQUESTS] = (body) => body;
        const r = await run("table");
        assert.equal(r.code, 1);
        // Within the command's --timeout: the session gives up on the DownloadRequest.
        assert.match(r.err, /\(Velero's results not read: gave up after 2s \(--timeout\) while trying to get downloadrequests\.velero\.io velero\/shop-1-results-[0-9a-f]{8} on cluster /);
        assert.match(r.out, /^Restore velero\/shop-1: PartiallyFailed, 4\/4 items, 2 errors, 0 warnings\nresults not read: gave up after 2s/);
    });

    it("refuses an unknown --output", async () => {
        await assert.rejects(run("xml"), /^UserError: -o\/--output "xml": use one of json, yaml, table$/);
    });
});
