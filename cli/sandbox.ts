/**
 * `tke2eks sandbox up|down --dir DIR`: the migration rehearsed on 127.0.0.1 with the real
 * programs. Exit 0 when everything answers (up) or nothing is left running (down), 1 when the
 * sandbox could not start, 2 for bad input.
 */
import * as path from "node:path";
import { down, ownerPid, up } from "../sandbox/control";
import { VELERO_INSTALLERS, type VeleroInstaller } from "../sandbox/state";
import { toolsDir } from "../sandbox/toolchain";
import { PINNED_CHART } from "../rules/veleroVersions";
import { UserError } from "../core/errors";
import { seconds } from "./options";

export interface SandboxUpOptions {
    dir: string;
    chart?: string;
    watchPid?: string;
    velero: string;
    timeout: string;
}

function installer(value: string): VeleroInstaller {
    const known = VELERO_INSTALLERS.find((v) => v === value);
    if (!known) throw new UserError(`--velero ${value}: expected one of ${VELERO_INSTALLERS.join(", ")}`);
    return known;
}

/** The chart's .tgz: --chart, else $TKE2EKS_CHART, else the reference copy the tests use. */
function chartFile(given: string | undefined, env: NodeJS.ProcessEnv): string {
    const file = given ?? env.TKE2EKS_CHART ?? path.join(env.TKE2EKS_REFERENCE ?? path.join("..", "shared", "reference"), `velero-chart-${PINNED_CHART.version}`, `velero-${PINNED_CHART.version}.tgz`);
    return path.resolve(file);
}

function processId(value: string): number {
    if (!/^[1-9]\d*$/.test(value)) throw new UserError(`--watch-pid ${value}: expected a process id (a whole number above 0)`);
    return Number(value);
}

export async function runSandboxUp(opts: SandboxUpOptions): Promise<number> {
    const watchPid = opts.watchPid === undefined ? ownerPid() : processId(opts.watchPid);
    const velero = installer(opts.velero);
    const env = await up({
        dir: opts.dir,
        // The project this CLI belongs to: its program declares the Velero the sandbox installs.
        projectDir: path.dirname(path.dirname(toolsDir())),
        chart: chartFile(opts.chart, process.env),
        velero,
        watchPid,
        timeoutMs: seconds("--timeout", opts.timeout, 1) * 1000,
        log: (line) => process.stderr.write(`sandbox: ${line}\n`),
    });
    const dir = path.resolve(opts.dir);
    process.stdout.write(
        [
            `sandbox ready in ${dir}: source ${path.join(dir, "env.sh")}`,
            `  cluster A (source): KUBECONFIG=${env.KUBECONFIG_A}`,
            `  cluster B (target): KUBECONFIG=${env.KUBECONFIG_B}`,
            `  bucket: ${env.S3_ENDPOINT}/${env.BUCKET}/${env.PREFIX}`,
            `  stop it with: tke2eks sandbox down --dir ${opts.dir}`,
            "",
        ].join("\n"),
    );
    return 0;
}

export async function runSandboxDown(opts: { dir: string }): Promise<number> {
    process.stdout.write(`${await down(opts.dir)}\n`);
    return 0;
}
