/**
 * The command tree of `tke2eks` (contract in docs/cli.md, one section per subcommand), loaded by
 * cli/main.ts only once a command is asked for. Subcommands load lazily so `preflight` never
 * pays for loading Pulumi, and `plan` never for the Kubernetes client.
 */
import { Command, Option } from "commander";
import { DEFAULT_AWAIT_TIMEOUT, DEFAULT_INVENTORY_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SCAN_TIMEOUT } from "../cluster/limits";
import { withBackupOptions } from "./backupOptions";
import { collect, withStackOptions } from "./stackOptions";
import { COLOR_CHOICES, DEBUG_ENV, setColorChoice, type ColorChoice } from "./output";

/**
 * `-o/--output`, kubectl's flag, on every command that prints a report, with one vocabulary
 * (table | json | yaml, plus sarif | junit where they apply); `--format` stays as its alias.
 */
function outputOption(formats: string, fallback: string): Option {
    return new Option("-o, --output <format>", `${formats} (default: "${fallback}")`);
}

function formatAlias(): Option {
    return new Option("--format <format>", "the same as -o/--output");
}

function outputOf(opts: { output?: string; format?: string }, fallback: string): string {
    return opts.output ?? opts.format ?? fallback;
}


export function buildProgram(): Command {
    const program = new Command("tke2eks")
        .description("Move workloads from TKE to serverless EKS with Velero; check what the serverless cluster cannot run.")
        // Handled by main() before parsing: it takes -o json too.
        .option("-V, --version", "print the versions of tke2eks and of what it installs (Velero, chart, plugin); -o json for JSON")
        .option("--debug", `on an unexpected error, print its stack trace (also: ${DEBUG_ENV}=1)`)
        .addOption(new Option("--color <when>", "colour the tables: auto (a terminal, unless NO_COLOR is set and non-empty; FORCE_COLOR forces it) | always | never").choices(COLOR_CHOICES).default("auto"))
        .hook("preAction", (root) => setColorChoice((root.opts() as { color: ColorChoice }).color))
        .showHelpAfterError()
        .exitOverride();

    program
        .command("plan")
        .description("run the Pulumi program offline on a stack's config, evaluate the policy pack and print the plan")
        .option("--stack <name>", "stack whose Pulumi.<stack>.yaml to use", "dev")
        .option("--config <KEY=VALUE>", "override one config key for this run (repeatable)", collect, [])
        .addOption(outputOption("table | json | yaml", "table"))
        .addOption(formatAlias())
        // ".": the help shows no caller's absolute path; resolved against the working directory.
        .option("--cwd <dir>", "project directory holding Pulumi.yaml", ".")
        .action(async (opts) => {
            const { runPlan } = await import("./plan.js");
            process.exitCode = await runPlan({ ...opts, format: outputOf(opts, "table") });
        });

    withStackOptions(
        withBackupOptions(
            program
                .command("preflight")
                .description("scan manifests, a live cluster or a Velero backup for what the serverless cluster cannot run")
                .argument("[paths...]", "files or folders of YAML/JSON manifests, - for stdin")
                .option("--kubeconfig <file>", "scan a live cluster through this kubeconfig")
                .option("--context <name>", "kubeconfig context")
                .option("-n, --namespace <ns>", "only these namespaces (repeatable); manifests without a namespace land in the one given, else default", collect, []),
            "scan",
        ),
        "cluster B's Kubernetes version and Velero, the restore's fix options and waivers",
    )
        .option("--profile <profile>", "eks | tke-serverless", "eks")
        .addOption(outputOption("table | json | yaml | sarif | junit", "table"))
        .addOption(formatAlias())
        .option("--fail-on <level>", "error | warning | never", "error")
        .option("--modifiers <out.yaml>", "write the Velero resource-modifier ConfigMap for the automatic fixes")
        .option("--velero-version <tag>", "the target's Velero, whose format --modifiers writes (default: the stack's, else the one this project installs)")
        .option("--exclusions", "print the resources and namespaces a Restore should skip")
        .option("--waivers <file>", "waive findings listed in this file (default: the stack's tke2eks:restore.waivers)")
        .option("--no-progress", "no progress line on stderr (shown only on a terminal)")
        .option("--allow-empty", "pass a scan that found no objects (otherwise exit 2: nothing scanned is no pass)")
        .option("--timeout <duration>", "live cluster: give up after this long; a Go duration (10m, 1h30m) or seconds", String(DEFAULT_SCAN_TIMEOUT))
        .option("--request-timeout <duration>", "live cluster: time one API request may take", String(DEFAULT_REQUEST_TIMEOUT))
        .option("--target-version <1.N>", "cluster B's Kubernetes version: check API versions by the upstream removals table (default: the stack's tke2eks:target.kubernetesVersion)")
        .option("--target-kubeconfig <file>", "cluster B's kubeconfig: check API versions and prerequisites against B itself (read-only)")
        .option("--target-context <name>", "cluster B's kubeconfig context")
        .action(async (paths: string[], opts) => {
            const { runPreflight } = await import("./preflight.js");
            process.exitCode = await runPreflight(paths, { ...opts, format: outputOf(opts, "table") });
        });

    withStackOptions(
        withBackupOptions(
            program.command("restore-preview").description("predict what cluster B receives from a Velero backup: restored, fixed, skipped or refused, object by object"),
            "preview",
        ),
        "the Restore, fixes, target Velero and waivers",
    )
        .addOption(outputOption("table | json | yaml", "table"))
        .addOption(formatAlias())
        .option("--waivers <file>", "accept the refusals of mandatory rules listed in this file (default: the stack's tke2eks:restore.waivers)")
        .action(async (opts) => {
            const { runRestorePreview } = await import("./restorePreview.js");
            process.exitCode = await runRestorePreview({ ...opts, format: outputOf(opts, "table") });
        });

    program
        .command("await")
        .description("wait for a Velero Backup or Restore to finish (what the migration stages run); JSON status on stdout")
        .argument("<kind>", "backup | restore")
        .argument("<name>", "the Backup's or Restore's name (the run name)")
        .option("-n, --namespace <ns>", "Velero's namespace", "velero")
        .option("--timeout <duration>", "give up after this long (exit 1); a Go duration (10m, 1h30m) or seconds", String(DEFAULT_AWAIT_TIMEOUT))
        .option("--request-timeout <duration>", "time one API request may take (then retried)", String(DEFAULT_REQUEST_TIMEOUT))
        .option("--interval <duration>", "time between polls", "5")
        .option("--allow-partially-failed", "accept PartiallyFailed (reported with its counts)")
        .option("--location <name>", "while the Backup is not there, check this BackupStorageLocation; fail at once when it is Unavailable (the sync gate)")
        .addOption(outputOption("json | yaml | table", "json"))
        .addOption(formatAlias())
        .option("--kubeconfig <file>", "kubeconfig file (default: $TKE2EKS_KUBECONFIG content, then $KUBECONFIG, ~/.kube/config)")
        .option("--context <name>", "kubeconfig context (default: $TKE2EKS_CONTEXT, then current-context)")
        .action(async (kind: string, name: string, opts) => {
            const { runAwait } = await import("./await.js");
            process.exitCode = await runAwait(kind, name, { ...opts, format: outputOf(opts, "json") });
        });

    program
        .command("inventory")
        .description("count Deployments, StatefulSets, Services, PVCs and Pods per namespace after a restore; JSON on stdout")
        .requiredOption("--restore-name <name>", "the Restore (run) whose objects to count")
        .option("-n, --namespace <ns>", "namespaces to count (repeatable; default: those the Restore created)", collect, [])
        .option("--allow-empty", "pass when the Restore created no namespace (otherwise exit 2)")
        .addOption(outputOption("json | yaml", "json"))
        .addOption(formatAlias())
        .option("--timeout <duration>", "give up after this long (exit 1); a Go duration (10m, 1h30m) or seconds", String(DEFAULT_INVENTORY_TIMEOUT))
        .option("--request-timeout <duration>", "time one API request may take (then retried)", String(DEFAULT_REQUEST_TIMEOUT))
        .option("--kubeconfig <file>", "kubeconfig file (default: $TKE2EKS_KUBECONFIG content, then $KUBECONFIG, ~/.kube/config)")
        .option("--context <name>", "kubeconfig context (default: $TKE2EKS_CONTEXT, then current-context)")
        .action(async (opts) => {
            const { runInventory } = await import("./await.js");
            process.exitCode = await runInventory({ ...opts, format: outputOf(opts, "json") });
        });

    program
        .command("cutover")
        .description("the cut-over on cluster A: scale-down scales the migrated namespaces' Deployments and StatefulSets to zero, keeping each count in an annotation; scale-back gives them back")
        .argument("<action>", "scale-down | scale-back")
        .option("-n, --namespace <ns>", "a migrated namespace (repeatable, at least one)", collect, [])
        .option("--timeout <duration>", "how long to wait for the Pods to go (scale-down) or be ready (scale-back)", "600")
        .option("--request-timeout <duration>", "time one API request may take (then retried)", String(DEFAULT_REQUEST_TIMEOUT))
        .option("--interval <duration>", "time between checks", "5")
        .addOption(outputOption("json | yaml | table", "json"))
        .addOption(formatAlias())
        .option("--kubeconfig <file>", "cluster A's kubeconfig (default: $TKE2EKS_KUBECONFIG content, then $KUBECONFIG, ~/.kube/config)")
        .option("--context <name>", "kubeconfig context (default: $TKE2EKS_CONTEXT, then current-context)")
        .action(async (action: string, opts) => {
            const { runCutover } = await import("./cutover.js");
            process.exitCode = await runCutover(action, { ...opts, format: outputOf(opts, "json") });
        });

    program
        .command("verify")
        .description("what the backup held against what exists and is ready in cluster B, per namespace; exit 1 when anything is missing or not ready")
        .requiredOption("--restore <name>", "the Restore (run) to verify")
        .option("--kubeconfig <file>", "cluster B's kubeconfig (default: $TKE2EKS_KUBECONFIG content, then $KUBECONFIG, ~/.kube/config)")
        .option("--context <name>", "kubeconfig context (default: $TKE2EKS_CONTEXT, then current-context)")
        .option("-n, --namespace <ns>", "only these namespaces of B (repeatable; default: all the backup holds)", collect, [])
        .option("--backup <file>", "the backup's tarball <name>.tar.gz (its <name>-volumeinfo.json.gz read beside it); default: fetched from the bucket through B's Velero (DownloadRequests)")
        .option("--velero-namespace <ns>", "Velero's namespace in B", "velero")
        .addOption(outputOption("table | json | yaml", "table"))
        .addOption(formatAlias())
        .option("--timeout <duration>", "how long to wait for B's workloads to become ready", "600")
        .option("--request-timeout <duration>", "time one API request may take (then retried)", String(DEFAULT_REQUEST_TIMEOUT))
        .option("--interval <duration>", "time between checks", "5")
        .option("--warn-only", "report what is missing or not ready, but exit 0")
        .action(async (opts) => {
            const { runVerify } = await import("./verify.js");
            process.exitCode = await runVerify({ ...opts, format: outputOf(opts, "table") });
        });

    const sandbox = program
        .command("sandbox")
        .description("rehearse the migration on 127.0.0.1: clusters A and B, an S3 bucket and Velero, the real programs built from pinned Go modules");
    sandbox
        .command("up")
        .description("start the rehearsal in DIR (writes DIR/env.sh, DIR/bin/, DIR/Pulumi.sandbox.yaml) and return once everything answers")
        .requiredOption("--dir <dir>", "folder for the sandbox's data, logs and files")
        .option("--chart <tgz>", `the Velero chart's .tgz at the pinned version (default: $TKE2EKS_CHART, else the reference copy under $TKE2EKS_REFERENCE)`)
        .option("--watch-pid <pid>", "stop the sandbox when this process ends (default: the process that ran up, past npm/npx)")
        .option("--velero <who>", "who installs Velero: sandbox (from the stack's plan), or engine (`pulumi up` at stage install; the sandbox then runs the server its Deployment describes)", "sandbox")
        .option("--timeout <duration>", "give up after this long; the first run builds the programs (minutes)", "30m")
        .action(async (opts) => {
            const { runSandboxUp } = await import("./sandbox.js");
            process.exitCode = await runSandboxUp(opts);
        });
    sandbox
        .command("down")
        .description("stop the rehearsal in DIR; nothing it started is left running")
        .requiredOption("--dir <dir>", "the folder given to sandbox up")
        .action(async (opts) => {
            const { runSandboxDown } = await import("./sandbox.js");
            process.exitCode = await runSandboxDown(opts);
        });

    program
        .command("completion")
        .description("print a shell completion script")
        .argument("<shell>", "bash | zsh | fish")
        .action(async (shell: string) => {
            const { completionScript } = await import("./completion.js");
            process.stdout.write(completionScript(shell, program));
        });

    program.addHelpText("after", helpExamples(EXAMPLES.tke2eks));
    for (const cmd of program.commands) cmd.addHelpText("after", helpExamples(EXAMPLES[cmd.name()] ?? []));
    return program;
}

/** What each --help ends with: commands to copy (test/cli/main.spec.ts runs them through the parser). */
export const EXAMPLES: Record<string, string[]> = {
    tke2eks: ["tke2eks plan -o yaml", "tke2eks preflight ./manifests -n shop", "tke2eks --version -o json", "tke2eks completion bash > /etc/bash_completion.d/tke2eks"],
    plan: ["tke2eks plan --stack dev", "tke2eks plan --stack prod --config tke2eks:stage=restore -o json"],
    preflight: [
        "tke2eks preflight ./manifests -o sarif > preflight.sarif",
        "tke2eks preflight --kubeconfig tke-a.yaml -n shop -n web --timeout 10m",
        "tke2eks preflight --backup velero/backups/shop-1/shop-1.tar.gz --modifiers fixes.yaml",
        "tke2eks preflight ./manifests -o yaml",
    ],
    "restore-preview": ["tke2eks restore-preview --backup shop-1.tar.gz --stack prod --s3-timeout 1m", "tke2eks restore-preview --backup shop-1.tar.gz -o yaml"],
    await: ["tke2eks await backup shop-1 --timeout 5h", "tke2eks await restore shop-1 -n velero --request-timeout 30s", "tke2eks await restore shop-1 -o table"],
    inventory: ["tke2eks inventory --restore-name shop-1", "tke2eks inventory --restore-name shop-1 -n shop --timeout 2m -o yaml"],
    cutover: ["tke2eks cutover scale-down -n shop -n web --kubeconfig tke-a.yaml", "tke2eks cutover scale-back -n shop -n web -o table"],
    verify: ["tke2eks verify --restore shop-1 --kubeconfig eks-b.yaml", "tke2eks verify --restore shop-1 -n shop -o json --timeout 15m", "tke2eks verify --restore shop-1 -o yaml"],
    sandbox: ["tke2eks sandbox up --dir /tmp/rehearsal --chart velero-12.1.0.tgz", "tke2eks sandbox down --dir /tmp/rehearsal"],
    completion: ["tke2eks completion bash > /etc/bash_completion.d/tke2eks", "tke2eks completion zsh > \"${fpath[1]}/_tke2eks\"", "tke2eks completion fish > ~/.config/fish/completions/tke2eks.fish"],
};

function helpExamples(lines: readonly string[]): string {
    return lines.length === 0 ? "" : `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}
