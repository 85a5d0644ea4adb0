/**
 * The one kubeconfig reader (cluster/kubeconfigFile.ts) and the client configuration built
 * from it (cluster/kubeconfig.ts): every check, worded the same for the stack config, `plan`
 * and the cluster commands.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadClientConfig } from "../../cluster/kubeconfig";
import { UserError } from "../../core/errors";
import { readKubeconfig, type KubeconfigProblem } from "../../cluster/kubeconfigFile";

/** A kubeconfig with one cluster `b`, one user `admin` and contexts `eks-b` (current) and `other`; `edit` changes the text. */
function text(edit: (s: string) => string = (s) => s): string {
    return edit(
        [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "  - name: b",
            "    cluster: {server: https://b.example:6443, certificate-authority: certs/ca.crt}",
            "users:",
            "  - name: admin",
            "    user: {token: t0ken}",
            "contexts:",
            "  - name: eks-b",
            "    context: {cluster: b, user: admin}",
            "  - name: other",
            "    context: {cluster: b, user: admin}",
            "current-context: eks-b",
            "",
        ].join("\n"),
    );
}

const CHECK = { contextOption: "--context" };

function problem(content: string, context?: string): KubeconfigProblem {
    const r = readKubeconfig({ content, name: "(test)" }, { ...CHECK, ...(context !== undefined ? { context } : {}) });
    assert.ok("problem" in r, "expected a problem");
    return r.problem;
}

describe("kubeconfig: reading and checking", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-kubeconfigfile-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("names the kubeconfig, the value and what is allowed, and which setting to change", () => {
        const cases: [string, string | undefined, KubeconfigProblem][] = [
            ["  \n", undefined, { field: "kubeconfig", message: "kubeconfig (test): is empty" }],
            ["name: something else\n", undefined, { field: "kubeconfig", message: "kubeconfig (test): not a kubeconfig (expected kind: Config with a contexts list)" }],
            [text((s) => s.replace("kind: Config\n", "")), undefined, { field: "kubeconfig", message: "kubeconfig (test): not a kubeconfig (expected kind: Config with a contexts list)" }],
            [text((s) => s.replace("current-context: eks-b\n", "")), undefined, { field: "context", message: "kubeconfig (test): no current-context; set --context to one of: eks-b, other" }],
            [text(), "eks-c", { field: "context", message: 'kubeconfig (test): no context "eks-c" (contexts: eks-b, other)' }],
            [text((s) => s.replace("current-context: eks-b", "current-context: gone")), undefined, { field: "context", message: 'kubeconfig (test): current-context "gone" is not one of its contexts (contexts: eks-b, other)' }],
            [text((s) => s.replace("{cluster: b, user: admin}", "{user: admin}")), undefined, { field: "kubeconfig", message: 'kubeconfig (test): context "eks-b" names no cluster' }],
            [text((s) => s.replace("{cluster: b, user: admin}", "{cluster: a, user: admin}")), undefined, { field: "kubeconfig", message: 'kubeconfig (test): context "eks-b" names cluster "a", which is not one of its clusters (clusters: b)' }],
            [text((s) => s.replace("{cluster: b, user: admin}", "{cluster: b, user: root}")), undefined, { field: "kubeconfig", message: 'kubeconfig (test): context "eks-b" names user "root", which is not one of its users (users: admin)' }],
            [text((s) => s.replace("https://b.example:6443", "b.example:6443")), undefined, { field: "kubeconfig", message: 'kubeconfig (test): cluster "b" has server "b.example:6443", not an http:// or https:// URL' }],
            [text((s) => s.replace("https://b.example:6443", "ftp://b.example")), undefined, { field: "kubeconfig", message: 'kubeconfig (test): cluster "b" has server "ftp://b.example", not an http:// or https:// URL' }],
            [text((s) => s.replace("server: https://b.example:6443, ", "")), undefined, { field: "kubeconfig", message: 'kubeconfig (test): cluster "b" has server null, not an http:// or https:// URL' }],
        ];
        for (const [content, context, expected] of cases) assert.deepEqual(problem(content, context), expected, expected.message);
        const yaml = problem("apiVersion: v1\nkind: Config\ncontexts: [\n");
        assert.equal(yaml.field, "kubeconfig");
        assert.match(yaml.message, /^kubeconfig \(test\): not valid YAML: [^\n]+$/);
    });

    it("takes the given context over current-context, and plain http (kubectl proxy) without a user", () => {
        const r = readKubeconfig({ content: text(), name: "(test)" }, { ...CHECK, context: "other" });
        assert.ok(!("problem" in r));
        assert.deepEqual(r.kubeconfig, { content: text(), context: "other", server: "https://b.example:6443" });
        assert.equal(r.where, "(test)");

        const proxy = text((s) => s.replace("https://b.example:6443", "http://127.0.0.1:8001").replace("{cluster: b, user: admin}", "{cluster: b}"));
        const p = readKubeconfig({ content: proxy, name: "(test)" }, CHECK);
        assert.ok(!("problem" in p));
        assert.equal(p.kubeconfig.server, "http://127.0.0.1:8001");
    });

    it("reads a path relative to its base folder or under ~, and says why a path cannot be read", () => {
        fs.writeFileSync(path.join(dir, "b.yaml"), text());
        const rel = readKubeconfig({ file: "b.yaml", baseDir: dir }, CHECK);
        assert.ok(!("problem" in rel));
        assert.equal(rel.kubeconfig.file, path.join(dir, "b.yaml"));
        assert.equal(rel.where, path.join(dir, "b.yaml"));

        const home = process.env.HOME;
        process.env.HOME = dir;
        try {
            const tilde = readKubeconfig({ file: "~/b.yaml", baseDir: "/nowhere" }, CHECK);
            assert.ok(!("problem" in tilde));
            assert.equal(tilde.kubeconfig.file, path.join(dir, "b.yaml"));
        } finally {
            process.env.HOME = home;
        }

        const missing = readKubeconfig({ file: "none.yaml", baseDir: dir }, CHECK);
        assert.deepEqual("problem" in missing && missing.problem, { field: "kubeconfig", message: `kubeconfig ${path.join(dir, "none.yaml")}: no such file` });
        const folder = readKubeconfig({ file: dir }, CHECK);
        assert.deepEqual("problem" in folder && folder.problem, { field: "kubeconfig", message: `kubeconfig ${dir}: is a folder, not a file` });
    });
});

describe("kubeconfig: the client's configuration", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-clientconfig-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const fails = (load: () => unknown, message: string) => assert.throws(load, (err: unknown) => err instanceof UserError && err.message === message);

    it("refuses what the reader refuses, with the reader's words (the client library alone would accept these)", () => {
        fails(() => loadClientConfig({ content: text((s) => s.replace("kind: Config\n", "")), contentName: "from $K" }, {}), "kubeconfig from $K: not a kubeconfig (expected kind: Config with a contexts list)");
        fails(() => loadClientConfig({ content: text((s) => s.replace("current-context: eks-b", "current-context: gone")), contentName: "from $K" }, {}), 'kubeconfig from $K: current-context "gone" is not one of its contexts (contexts: eks-b, other)');
        fails(() => loadClientConfig({ content: text((s) => s.replace("user: admin}", "user: root}")), contentName: "from $K" }, {}), 'kubeconfig from $K: context "eks-b" names user "root", which is not one of its users (users: admin)');
    });

    it("builds the client from the checked file: the chosen context, certificate paths from the file's folder, http without TLS checks", () => {
        const file = path.join(dir, "b.yaml");
        fs.writeFileSync(file, text());
        const c = loadClientConfig({ file, context: "other" }, {});
        assert.deepEqual([c.where, c.context, c.server, c.kc.getCurrentContext()], [file, "other", "https://b.example:6443", "other"]);
        assert.equal(c.kc.getCurrentCluster()?.caFile, path.join(dir, "certs", "ca.crt"));
        assert.equal(c.kc.getCurrentCluster()?.skipTLSVerify, false);

        const proxy = loadClientConfig({ content: text((s) => s.replace("https://b.example:6443", "http://127.0.0.1:8001")) }, {});
        assert.equal(proxy.where, "(inline)");
        assert.equal(proxy.kc.getCurrentCluster()?.skipTLSVerify, true);
    });

    it("checks a kubeconfig from the default places (KUBECONFIG) the same way", () => {
        const file = path.join(dir, "default.yaml");
        fs.writeFileSync(file, text((s) => s.replace("user: admin}", "user: root}")));
        const saved = process.env.KUBECONFIG;
        // The client library reads KUBECONFIG from the process's environment itself.
        process.env.KUBECONFIG = file;
        try {
            fails(() => loadClientConfig({}, { KUBECONFIG: file }), `kubeconfig ${file}: context "eks-b" names user "root", which is not one of its users (users: admin)`);
        } finally {
            if (saved === undefined) delete process.env.KUBECONFIG;
            else process.env.KUBECONFIG = saved;
        }
        fails(() => loadClientConfig({}, { KUBECONFIG: path.join(dir, "none.yaml") }), "no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config");
    });
});
