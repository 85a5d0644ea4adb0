/**
 * The sandbox's supervisor: the one process that owns the rehearsal. `sandbox up` starts it
 * detached with an IPC channel, hears "ready" (or the error) and returns; the supervisor then
 * keeps everything running until `sandbox down` sends it SIGTERM or the process that ran
 * `up` (`watchPid`) is gone, and every program it started dies with it (processes.ts).
 */
import * as fs from "node:fs";
import { isAlive } from "./processes";
import { startRehearsal } from "./rehearsal";
import { stateFile, type SandboxState, type SupervisorArgs, type SupervisorMessage } from "./state";


export async function supervise(a: SupervisorArgs, send: (m: SupervisorMessage) => void): Promise<void> {
    const log = (line: string) => {
        process.stdout.write(`${new Date().toISOString()} ${line}\n`);
        send({ log: line });
    };
    let rehearsal;
    try {
        rehearsal = await startRehearsal({ dir: a.dir, projectDir: a.projectDir, chart: a.chart, velero: a.velero, log });
    } catch (err) {
        send({ error: err instanceof Error ? err.message : String(err) });
        process.exitCode = 1;
        return;
    }
    const state: SandboxState = { supervisor: process.pid, processes: rehearsal.processes.pids(), env: rehearsal.env };
    fs.writeFileSync(stateFile(a.dir), JSON.stringify(state, null, 2) + "\n");

    let stopping: Promise<void> | undefined;
    const stop = (why: string) => {
        stopping ??= (async () => {
            log(`stopping: ${why}`);
            clearInterval(watch);
            await rehearsal.stop();
            fs.rmSync(stateFile(a.dir), { force: true });
            log("stopped");
        })();
        return stopping;
    };
    let reported: string | undefined;
    const watch = setInterval(() => {
        if (!isAlive(a.watchPid)) void stop(`process ${a.watchPid}, which started the sandbox, is gone`);
        const dead = rehearsal.processes.dead();
        if (dead && dead.name !== reported) {
            reported = dead.name;
            log(`${dead.name} exited; see ${dead.log}`);
        }
    }, 1000);
    process.once("SIGTERM", () => void stop("SIGTERM"));
    process.once("SIGINT", () => void stop("SIGINT"));
    send({ ready: rehearsal.env });
}

if (require.main === module) {
    const args = JSON.parse(process.argv[2] ?? "{}") as SupervisorArgs;
    const send = (m: SupervisorMessage) => {
        if (process.connected) process.send?.(m);
    };
    void supervise(args, send).then(() => {
        if (process.connected) process.disconnect();
    });
}
