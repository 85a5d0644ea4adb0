/**
 * What `sandbox up`, the supervisor and `sandbox down` share: the supervisor's arguments, its
 * messages, and the state file naming who runs the sandbox. Loads nothing heavy: `up` and `down`
 * never load the rehearsal itself.
 */
import * as path from "node:path";

/** Who installs Velero on the clusters: the sandbox itself, or the engine's `pulumi up` at stage install. */
export const VELERO_INSTALLERS = ["sandbox", "engine"] as const;
export type VeleroInstaller = (typeof VELERO_INSTALLERS)[number];

export interface SupervisorArgs {
    dir: string;
    projectDir: string;
    chart: string;
    velero: VeleroInstaller;
    watchPid: number;
}

/** What `up` hears over the IPC channel. */
export type SupervisorMessage = { log: string } | { ready: Record<string, string> } | { error: string };

/** `DIR/sandbox.json`: who runs the sandbox, for `down` and for a second `up`. */
export interface SandboxState {
    supervisor: number;
    processes: { name: string; pid: number }[];
    env: Record<string, string>;
}

export const stateFile = (dir: string) => path.join(dir, "sandbox.json");
