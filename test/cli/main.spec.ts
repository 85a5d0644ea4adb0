/**
 * The process contract of bin/tke2eks (the built entry point, as `npm ci` leaves it): the
 * version, a reader that goes away early, and unexpected errors as one line.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { internalError } from "../../cli/main";
import { buildProgram, EXAMPLES } from "../../cli/program";
import { chartVeleroLine } from "../../config/veleroRelease";
import { PINNED_CHART } from "../../rules/veleroVersions";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "tke2eks");

/** Runs the CLI with its stdout closed before it writes (`| head -c 0`) or after its first chunk (`| head -1`). */
function withClosedStdout(args: string[], when: "before" | "after-first-chunk"): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        if (when === "before") child.stdout.destroy();
        else child.stdout.once("data", () => child.stdout.destroy());
        let stderr = "";
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stderr }));
    });
}

describe("tke2eks as a process", function () {
    this.timeout(20_000);

    it("--version prints the package's version and the Velero, chart and plugin versions it installs; -o json too", () => {
        const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
        const line = chartVeleroLine();
        const text = spawnSync(process.execPath, [BIN, "--version"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(text.status, 0);
        assert.match(text.stdout, new RegExp(`^tke2eks +${version.replace(/\./g, "\\.")}$`, "m"));
        assert.match(text.stdout, new RegExp(`^velero +${line.defaultVelero}$`, "m"));
        assert.match(text.stdout, new RegExp(`^veleroChart +${PINNED_CHART.version}$`, "m"));
        const json = spawnSync(process.execPath, [BIN, "-V", "-o", "json"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(json.status, 0);
        assert.deepEqual(JSON.parse(json.stdout), { tke2eks: version, velero: line.defaultVelero, veleroChart: PINNED_CHART.version, veleroPluginForAws: line.defaultAwsPlugin, node: process.version });
        const bad = spawnSync(process.execPath, [BIN, "--version", "-o", "xml"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(bad.status, 2);
        assert.equal(bad.stderr, "tke2eks: --version -o xml: takes nothing, or -o table | json\n");
    });

    it("kubectl's habits: -o/--output (--format its alias), -n, Go durations; --cwd's default names no caller's path", () => {
        const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
        const viaO = cli("plan", "-o", "json");
        assert.equal(viaO.status, 0, viaO.stderr);
        assert.equal(viaO.stdout, cli("plan", "--format", "json").stdout);
        assert.equal(JSON.parse(viaO.stdout).stack, "dev");
        assert.equal(cli("plan", "--output", "table").stdout, cli("plan", "--format", "text").stdout);
        const help = cli("plan", "--help").stdout;
        assert.match(help, /-o, --output <format>\s+table \| json \| yaml/);
        assert.ok(!help.includes(ROOT), "the --cwd default is no absolute path");
        for (const cmd of ["preflight", "await", "inventory", "verify"]) assert.match(cli(cmd, "--help").stdout, /-n, --namespace <ns>/, cmd);
        for (const cmd of ["preflight", "restore-preview", "verify"]) assert.match(cli(cmd, "--help").stdout, /-o, --output <format>/, cmd);
        // A manifest scan given -n and -o json: the namespace applies, the report is JSON.
        const scan = cli("preflight", "examples/tke-app", "-n", "shop", "-o", "json", "--fail-on", "never");
        assert.equal(scan.status, 0, scan.stderr);
        assert.ok(Array.isArray((JSON.parse(scan.stdout) as { findings?: unknown[] }).findings), scan.stdout.slice(0, 200));
        const late = cli("await", "backup", "shop-1", "--timeout", "soon");
        assert.equal(late.status, 2);
        assert.match(late.stderr, /--timeout soon: must be a duration like 30s, 10m or 1h30m/);
    });

    it("every --help ends with examples, each of which the parser takes", async () => {
        const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
        const program = buildProgram();
        for (const name of ["tke2eks", ...program.commands.map((c) => c.name())]) {
            const help = cli(...(name === "tke2eks" ? [] : [name]), "--help").stdout;
            assert.ok(EXAMPLES[name]?.length, name);
            assert.match(help, /\nExamples:\n/, name);
            for (const example of EXAMPLES[name]) assert.ok(help.includes(`  $ ${example}`), `${name}: ${example}`);
        }
        // Each example (up to a shell redirection) is a command line the parser accepts: parse
        // it with the actions replaced, so nothing runs.
        for (const example of Object.values(EXAMPLES).flat()) {
            const argv = example.split(" > ")[0].split(" ").slice(1);
            if (argv[0] === "--version") continue;
            const parsed = buildProgram();
            const quiet = (c: typeof parsed): void => {
                for (const sub of c.commands) {
                    sub.action(() => undefined);
                    quiet(sub);
                }
            };
            quiet(parsed);
            parsed.exitOverride();
            await parsed.parseAsync(argv, { from: "user" });
        }
    });

    it("completion bash completes commands and each command's flags; zsh and fish scripts list them too", () => {
        const script = spawnSync(process.execPath, [BIN, "completion", "bash"], { cwd: ROOT, encoding: "utf8" }).stdout;
        const complete = (words: string[]) =>
            spawnSync("bash", ["-c", `${script}\nCOMP_WORDS=(${words.join(" ")}); COMP_CWORD=${words.length - 1}; _tke2eks; echo "\${COMPREPLY[*]}"`], { encoding: "utf8" }).stdout.trim();
        assert.equal(complete(["tke2eks", "pre"]), "preflight");
        assert.equal(complete(["tke2eks", "verify", "--rest"]), "--restore");
        assert.equal(complete(["tke2eks", "await", "--req"]), "--request-timeout");
        const zsh = spawnSync(process.execPath, [BIN, "completion", "zsh"], { cwd: ROOT, encoding: "utf8" }).stdout;
        assert.ok(zsh.startsWith("#compdef tke2eks\n") && zsh.includes(script));
        const fish = spawnSync(process.execPath, [BIN, "completion", "fish"], { cwd: ROOT, encoding: "utf8" }).stdout;
        assert.match(fish, /^complete -c tke2eks -n '__fish_seen_subcommand_from plan' -s o -l output /m);
        const bad = spawnSync(process.execPath, [BIN, "completion", "tcsh"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(bad.status, 2);
        assert.equal(bad.stderr, "tke2eks: completion tcsh: use one of bash, zsh, fish\n");
    });

    it("a reader that goes away (EPIPE) ends the output quietly, with the scan's own exit code", async () => {
        // A report larger than a pipe holds (64 KiB), so the writer meets the closed pipe mid-report.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-epipe-"));
        try {
            const file = path.join(dir, "services.yaml");
            const service = (i: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: web-${i}, namespace: shop}\nspec: {type: NodePort, ports: [{port: 80, nodePort: ${30000 + i}}]}\n`;
            fs.writeFileSync(file, Array.from({ length: 250 }, (_, i) => service(i)).join("---\n"));
            const runs = await Promise.all([
                withClosedStdout(["preflight", file, "--format", "json"], "before"),
                withClosedStdout(["preflight", file, "--format", "table", "--fail-on", "never"], "after-first-chunk"),
            ]);
            assert.deepEqual(
                runs.map((r) => [r.code, r.stderr]),
                [
                    [1, ""],
                    [0, ""],
                ],
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("an unexpected error is one line saying where to report it; --debug or TKE2EKS_DEBUG shows the stack", () => {
        const err = new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line");
        const line = internalError(err, ["preflight", "x"], {});
        assert.equal(
            line,
            "tke2eks: internal error: Cannot read properties of undefined (reading 'x') (a bug in tke2eks: please report it on the project's issue tracker with the command you ran; --debug or TKE2EKS_DEBUG=1 shows the stack trace)\n",
        );
        assert.match(internalError(err, ["preflight", "--debug"], {}), /\n\s+at /);
        assert.match(internalError(err, [], { TKE2EKS_DEBUG: "1" }), /\n\s+at /);
    });
});
