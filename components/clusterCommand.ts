/**
 * A `tke2eks` subcommand run by a Pulumi `local.Command` against one cluster: the awaiters
 * and the inventory. Why not `pulumi.com/waitFor` on the custom resources: it can only
 * express success, and Velero's FailedValidation never sets a completion time, so any failure
 * would hang until the timeout and say nothing. Our awaiter fails at once with Velero's counts.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { CONTEXT_ENV, KUBECONFIG_ENV } from "../cluster/commandEnv";
import type { ClusterConfig } from "../config/load";
import type { ClusterInstall } from "./stage";

/** Relative to the project folder (where Pulumi runs the program), so state holds no checkout path. */
export const CLI = "node bin/tke2eks";

/** Slack over the command's own timeout: the command reports its timeout before Pulumi gives up. */
const TIMEOUT_SLACK_SECONDS = 120;

export interface ClusterCommandArgs {
    cluster: ClusterInstall;
    config: ClusterConfig;
    /** The subcommand and its arguments, e.g. ["await", "backup", "shop-1", ...]: names already validated. */
    argv: string[];
    /** How long the command itself may run. */
    timeoutSeconds: number;
}

export function clusterCommand(name: string, args: ClusterCommandArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
    const minutes = Math.ceil((args.timeoutSeconds + TIMEOUT_SLACK_SECONDS) / 60);
    return new command.local.Command(
        name,
        {
            create: [CLI, ...args.argv].join(" "),
            environment: {
                // The kubeconfig carries credentials: a secret in the state, never on the command line.
                [KUBECONFIG_ENV]: pulumi.secret(args.config.kubeconfig.content),
                [CONTEXT_ENV]: args.config.kubeconfig.context,
            },
        },
        { ...opts, customTimeouts: { create: `${minutes}m`, update: `${minutes}m` } },
    );
}

/** The command's one-line JSON status, parsed; unknown until it ran. */
export function statusOf(cmd: command.local.Command): pulumi.Output<unknown> {
    return cmd.stdout.apply((out) => {
        const line = out.trim().split("\n").pop() ?? "";
        try {
            return JSON.parse(line) as unknown;
        } catch {
            return out;
        }
    });
}
