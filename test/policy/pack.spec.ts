/**
 * The pack as a whole: one policy per DESIGN rule ID, each from its rule's folder; only policy/index.ts
 * builds the PolicyPack (which starts a server) and nothing imports it; `pulumi policy publish`
 * uploads what `npm pack` makes of policy/ (pulumi/pulumi pkg/backend/httpstate/policypack.go:
 * npm.Pack for a nodejs pack), so that tarball must hold the shared code it needs; and, unpacked,
 * it loads and serves the way the Pulumi CLI runs it (@pulumi/pulumi's run-policy-pack).
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { RULE_IDS, ruleById } from "../../rules";
import { PACK_NAME, PACK_VERSION } from "../../policy/pack";
import { policies } from "../../policy/policies";
import { resourceOf, SOURCE, TARGET } from "./harness";

const ROOT = path.join(__dirname, "..", "..");
const POLICY_DIR = path.join(ROOT, "policy");

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return ["node_modules", "dist", ".git", "bin"].includes(e.name) ? [] : sourceFiles(full);
        return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [full] : [];
    });
}

/** `npm pack` of policy/ (its prepack script builds the bundle from the sources now), unpacked into `tmp`. */
function packAndUnpack(tmp: string): { files: string[]; dir: string } {
    const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--silent", "--pack-destination", tmp], { cwd: POLICY_DIR, encoding: "utf8" })) as { filename: string; files: { path: string }[] }[];
    execFileSync("tar", ["xzf", path.join(tmp, packed.filename), "-C", tmp]);
    return { files: packed.files.map((f) => f.path).sort(), dir: path.join(tmp, "package") };
}

describe("the policy pack", () => {
    it("has one policy per DESIGN rule ID, in DESIGN's order, each rule in its own folder rules/<id>/", () => {
        assert.deepEqual(
            policies.map((p) => p.name),
            [...RULE_IDS],
        );
        for (const id of RULE_IDS) {
            const dir = path.join(ROOT, "rules", id);
            const mod = createRequire(__filename)(dir) as Record<string, { id?: string }>;
            assert.deepEqual(
                Object.values(mod).map((r) => r.id).filter((x) => x !== undefined),
                [id],
                `rules/${id}/index.ts exports the ${id} rule alone`,
            );
            for (const part of ["policy.spec.ts", "fixtures"]) assert.ok(fs.existsSync(path.join(dir, part)), `rules/${id}/${part}`);
        }
    });

    it("gives each policy the rule's default level", () => {
        for (const p of policies) assert.equal(p.enforcementLevel, ruleById(p.name as (typeof RULE_IDS)[number]).defaultLevel, p.name);
    });

    it("constructs the PolicyPack in policy/index.ts only, and nothing imports that file", () => {
        const files = sourceFiles(ROOT).filter((f) => !f.startsWith(path.join(ROOT, "test", "policy")));
        const constructing = files.filter((f) => /new\s+PolicyPack\s*\(/.test(fs.readFileSync(f, "utf8")));
        assert.deepEqual(
            constructing.map((f) => path.relative(ROOT, f)),
            ["policy/index.ts"],
        );
        const importers = files.filter((f) => {
            const specs = [...fs.readFileSync(f, "utf8").matchAll(/(?:from|import|require)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
            return specs.some((s) => s.startsWith(".") && [POLICY_DIR, path.join(POLICY_DIR, "index")].includes(path.resolve(path.dirname(f), s).replace(/\.ts$/, "")));
        });
        assert.deepEqual(importers, []);
    });

    it("is a nodejs policy pack whose package matches the root's pins and the reported version", () => {
        const manifest = parse(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")) as { runtime: string; description: string };
        assert.equal(manifest.runtime, "nodejs");
        assert.ok(manifest.description.length > 20);
        const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
        const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        assert.equal(pkg.version, PACK_VERSION);
        for (const dep of ["@pulumi/policy", "@pulumi/pulumi"]) assert.equal(pkg.dependencies[dep], root.dependencies[dep], dep);
    });

    it("loads its policies and the plan's evaluator without starting a server", () => {
        const script = [
            "require('./policy/policies'); require('./policy/evaluate');",
            "const loaded = Object.keys(require.cache).filter((f) => /grpc-js|@pulumi[\\\\/]policy[\\\\/](server|policy|index)\\.js$/.test(f));",
            "process.stdout.write(JSON.stringify(loaded));",
        ].join("\n");
        // A served pack keeps the process alive: this must exit on its own, well before the timeout.
        const out = execFileSync(process.execPath, ["-r", "tsx/cjs", "-e", script], { cwd: ROOT, timeout: 20_000, encoding: "utf8" });
        assert.equal(out, "[]");
    });

    describe("as `pulumi policy publish` packs it", function () {
        this.timeout(60_000);
        let unpacked: string;
        let tmp: string;

        before(() => {
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-pack-"));
            const { files, dir } = packAndUnpack(tmp);
            assert.deepEqual(files, ["PulumiPolicy.yaml", "bin/index.js", "package.json"]);
            unpacked = dir;
        });

        after(() => fs.rmSync(tmp, { recursive: true, force: true }));

        it("holds the shared code (../rules, ../modifiers, ../core) and declares every package it requires", () => {
            const bundle = fs.readFileSync(path.join(unpacked, "bin", "index.js"), "utf8");
            const required = [...new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))];
            assert.deepEqual(required.filter((r) => r.startsWith(".")), [], "nothing outside the tarball");
            const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, "package.json"), "utf8")) as { main: string; dependencies: Record<string, string> };
            assert.equal(pkg.main, "bin/index.js");
            const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
            for (const r of required.filter((x) => !x.startsWith("node:"))) {
                const name = r.startsWith("@") ? r.split("/").slice(0, 2).join("/") : r.split("/")[0];
                assert.ok(pkg.dependencies[name], `policy/package.json declares ${name}`);
                assert.equal(pkg.dependencies[name], root.dependencies[name], `${name}: the pack's range is the root's`);
            }
            assert.ok(required.includes("ajv"), "the rule catalogue's schema checks need ajv");
            // esbuild heads each bundled module with its path: the rules' specs and fixtures beside them stay out.
            const modules = [...bundle.matchAll(/^\/\/ (\S+\.ts)$/gm)].map((m) => m[1]);
            assert.ok(modules.includes("../rules/eks-no-daemonset/index.ts"), modules.join("\n"));
            assert.deepEqual(modules.filter((m) => /\.spec\.ts$|\/fixtures\/|^\.\.\/test\//.test(m)), []);
        });

        it("has its own lockfile, in step with its package.json", () => {
            const lock = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package-lock.json"), "utf8")) as { packages: Record<string, { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }> };
            const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
            assert.deepEqual(lock.packages[""].dependencies, pkg.dependencies);
            assert.deepEqual(lock.packages[""].devDependencies, pkg.devDependencies);
        });
    });

    describe("served as the Pulumi CLI runs the published pack", function () {
        this.timeout(60_000);
        let tmp: string;
        let child: ChildProcess;
        let port: number;
        const load = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));
        type Callback = (err: Error | null, resp: Record<string, () => unknown>) => void;
        let client: Record<string, (req: unknown, cb: Callback) => void> & { close(): void };
        const rpc = (method: string, req: unknown) =>
            new Promise<Record<string, () => unknown>>((resolve, reject) => client[method](req, (err, resp) => (err ? reject(err) : resolve(resp))));

        before(async () => {
            // The tarball unpacked on its own, as the CLI installs a pack from a policy group; its
            // dependencies are the root's (same ranges, tested above): linked, as this runs offline.
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-served-"));
            const unpacked = packAndUnpack(tmp).dir;
            fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(unpacked, "node_modules"), "dir");
            // What the CLI starts for a pack: the nodejs runtime's policy-pack runner in the pack's folder.
            child = spawn(process.execPath, [path.join(unpacked, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:1", "."], { cwd: unpacked, stdio: ["ignore", "pipe", "pipe"] });
            port = await new Promise<number>((resolve, reject) => {
                let out = "";
                let err = "";
                child.stdout!.on("data", (d: Buffer) => {
                    out += d.toString();
                    const m = /^(\d+)\s*$/m.exec(out);
                    if (m) resolve(Number(m[1]));
                });
                child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
                child.on("exit", (code) => reject(new Error(`the pack exited (${code}) before serving:\n${out}${err}`)));
            });
            const grpc = load("@grpc/grpc-js") as { credentials: { createInsecure(): unknown } };
            const { AnalyzerClient } = load("./analyzer_grpc_pb") as { AnalyzerClient: new (addr: string, creds: unknown) => typeof client };
            client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        });

        after(() => {
            client?.close();
            if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid);
            fs.rmSync(tmp, { recursive: true, force: true });
        });

        it("tells the engine its name, version and every policy with its level and config schema", async () => {
            const { Empty } = load("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };
            const info = await rpc("getAnalyzerInfo", new Empty());
            assert.equal(info.getName(), PACK_NAME);
            assert.equal(info.getVersion(), PACK_VERSION);
            const served = (info.getPoliciesList() as Record<string, () => unknown>[]).map((p) => ({
                name: p.getName(),
                level: p.getEnforcementlevel(),
                schemaKeys: Object.keys((p.getConfigschema() as { getProperties(): { toJavaScript(): object } }).getProperties().toJavaScript()),
            }));
            const { EnforcementLevel } = load("./analyzer_pb") as { EnforcementLevel: Record<string, number> };
            assert.deepEqual(
                served.map((p) => p.name),
                [...RULE_IDS],
            );
            for (const p of served) {
                const rule = ruleById(p.name as (typeof RULE_IDS)[number]);
                assert.equal(p.level, EnforcementLevel[rule.defaultLevel.toUpperCase()], p.name as string);
                assert.ok(p.schemaKeys.includes("profile") && p.schemaKeys.includes("excludeNamespaces"), p.name as string);
            }
        });

        it("analyzes a resource over gRPC: a DaemonSet fails on the target, passes on the source", async () => {
            const pb = load("./analyzer_pb") as Record<string, new () => Record<string, (v: unknown) => void>>;
            const { Struct } = load("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: unknown): unknown } };
            const ds = { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "ops" }, spec: { template: { spec: { containers: [{ name: "a", image: "ops/agent:1" }] } } } };
            const analyze = async (prov: typeof TARGET) => {
                const r = resourceOf(ds, prov);
                const req = new pb.AnalyzeRequest();
                req.setType(r.type);
                req.setUrn(r.urn);
                req.setName(r.name);
                req.setProperties(Struct.fromJavaScript(r.props));
                req.setOptions(new pb.AnalyzerResourceOptions());
                const p = new pb.AnalyzerProviderResource();
                p.setType(prov.type);
                p.setUrn(prov.urn);
                p.setName(prov.name);
                p.setProperties(Struct.fromJavaScript({}));
                req.setProvider(p);
                const resp = await rpc("analyze", req);
                return (resp.getDiagnosticsList() as Record<string, () => string>[]).map((d) => d.getPolicyname());
            };
            assert.deepEqual(await analyze(TARGET), ["eks-no-daemonset"]);
            assert.deepEqual(await analyze(SOURCE), []);
        });
    });
});
