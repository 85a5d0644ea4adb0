/**
 * `tke2eks`: the command line (contract in DESIGN.md). Subcommands load lazily so
 * `preflight` never pays for loading Pulumi, and `plan` never for the Kubernetes client.
 */
import { Command, CommanderError } from "commander";
import { CliError } from "./errors";

function collect(value: string, previous: string[]): string[] {
    return [...previous, value];
}

export function buildProgram(): Command {
    const program = new Command("tke2eks")
        .description("Move workloads from TKE to serverless EKS with Velero; check what the serverless cluster cannot run.")
        .showHelpAfterError()
        .exitOverride();

    program
        .command("plan")
        .description("run the Pulumi program offline on a stack's config, evaluate the policy pack and print the plan")
        .option("--stack <name>", "stack whose Pulumi.<stack>.yaml to use", "dev")
        .option("--config <KEY=VALUE>", "override one config key for this run (repeatable)", collect, [])
        .option("--format <format>", "text | json | yaml", "text")
        .option("--cwd <dir>", "project directory holding Pulumi.yaml", process.cwd())
        .action(async (opts) => {
            const { runPlan } = await import("./plan");
            process.exitCode = await runPlan(opts);
        });

    program
        .command("preflight")
        .description("scan manifests, a live cluster or a Velero backup for what the serverless cluster cannot run")
        .argument("[paths...]", "files or folders of YAML/JSON manifests, - for stdin")
        .option("--kubeconfig <file>", "scan a live cluster through this kubeconfig")
        .option("--context <name>", "kubeconfig context")
        .option("--namespace <ns>", "only these namespaces (repeatable); manifests without a namespace land in the one given, else default", collect, [])
        .option("--backup <file.tar.gz>", "scan a Velero backup tarball")
        .option("--profile <profile>", "eks | tke-serverless", "eks")
        .option("--format <format>", "table | json | sarif | junit", "table")
        .option("--fail-on <level>", "error | warning | never", "error")
        .option("--modifiers <out.yaml>", "write the Velero resource-modifier ConfigMap for the automatic fixes")
        .option("--exclusions", "print the resources and namespaces a Restore should skip")
        .option("--waivers <file>", "waive findings listed in this file")
        .option("--no-progress", "no progress line on stderr (shown only on a terminal)")
        .option("--target-version <1.N>", "cluster B's Kubernetes version: check API versions by the upstream removals table")
        .option("--target-kubeconfig <file>", "cluster B's kubeconfig: check API versions and prerequisites against B itself (read-only)")
        .option("--target-context <name>", "cluster B's kubeconfig context")
        .action(async (paths: string[], opts) => {
            const { runPreflight } = await import("./preflight");
            process.exitCode = await runPreflight(paths, opts);
        });

    program
        .command("await")
        .description("wait for a Velero Backup or Restore to finish (what the migration stages run); JSON status on stdout")
        .argument("<kind>", "backup | restore")
        .argument("<name>", "the Backup's or Restore's name (the run name)")
        .option("--namespace <ns>", "Velero's namespace", "velero")
        .option("--timeout <seconds>", "give up after this long", "3600")
        .option("--interval <seconds>", "time between polls", "5")
        .option("--allow-partially-failed", "accept PartiallyFailed (reported with its counts)")
        .option("--kubeconfig <file>", "kubeconfig file (default: $TKE2EKS_KUBECONFIG content, then $KUBECONFIG, ~/.kube/config)")
        .option("--context <name>", "kubeconfig context (default: $TKE2EKS_CONTEXT, then current-context)")
        .action(async (kind: string, name: string, opts) => {
            const { runAwait } = await import("./await");
            process.exitCode = await runAwait(kind, name, opts);
        });

    program
        .command("inventory")
        .description("count Deployments, StatefulSets, Services, PVCs and Pods per namespace after a restore; JSON on stdout")
        .requiredOption("--restore-name <name>", "the Restore (run) whose objects to count")
        .option("--namespace <ns>", "namespaces to count (repeatable; default: those the Restore created)", collect, [])
        .option("--kubeconfig <file>", "kubeconfig file (default: $TKE2EKS_KUBECONFIG content, then $KUBECONFIG, ~/.kube/config)")
        .option("--context <name>", "kubeconfig context (default: $TKE2EKS_CONTEXT, then current-context)")
        .action(async (opts) => {
            const { runInventory } = await import("./await");
            process.exitCode = await runInventory(opts);
        });

    return program;
}

export async function main(argv: string[]): Promise<number> {
    try {
        await buildProgram().parseAsync(argv, { from: "user" });
        return typeof process.exitCode === "number" ? process.exitCode : 0;
    } catch (err) {
        if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
        if (err instanceof CliError) {
            process.stderr.write(`tke2eks: ${err.message}\n`);
            return err.exitCode;
        }
        throw err;
    }
}

/** Entry point for bin/tke2eks: sets the exit code, prints bugs with their stack. */
export function run(): void {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`tke2eks: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exitCode = 3;
        },
    );
}
