/**
 * `tke2eks sandbox up` and `down`: start the supervisor detached and wait for its word; stop it
 * and make sure nothing it started is left.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../core/errors";
import { isAlive, runsFor } from "./processes";
import { stateFile, type SandboxState, type SupervisorArgs, type SupervisorMessage, type VeleroInstaller } from "./state";

export interface UpOptions {
    dir: string;
    projectDir: string;
    chart: string;
    velero: VeleroInstaller;
    watchPid: number;
    /** Gives up (and stops what started) after this long: a cold first run builds for minutes. */
    timeoutMs: number;
    log: (line: string) => void;
}


export function readState(dir: string): SandboxState | undefined {
    try {
        return JSON.parse(fs.readFileSync(stateFile(dir), "utf8")) as SandboxState;
    } catch {
        return undefined;
    }
}

/**
 * The process a sandbox lives as long as: the one that ran `up`, or past an `npm exec`/`npx`
 * wrapper (it ends with `up`) the shell that ran it.
 */
export function ownerPid(pid = process.ppid): number {
    try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        if (cmdline.some((arg) => /(^|\/)(npm|npx)(-cli\.js)?$/.test(arg))) {
            const ppid = /^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
            if (ppid) return ownerPid(Number(ppid[1]));
        }
    } catch {
        // No /proc: the parent it is.
    }
    return pid;
}

/** The supervisor's module, compiled or (under tsx) as source. */
function supervisorEntry(): string[] {
    const entry = require.resolve("./supervisor");
    return [...process.execArgv, entry];
}

export async function up(o: UpOptions): Promise<Record<string, string>> {
    const dir = path.resolve(o.dir);
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError(`--dir ${o.dir}: not a folder`);
    const running = readState(dir);
    if (running && runsFor(running.supervisor, dir)) throw new UserError(`--dir ${o.dir}: a sandbox already runs there (supervisor pid ${running.supervisor}); run tke2eks sandbox down --dir ${o.dir} first`);
    if (!fs.existsSync(o.chart)) throw new UserError(`--chart ${o.chart}: no such file; give the Velero chart's .tgz`);
    fs.mkdirSync(path.join(dir, "logs"), { recursive: true, mode: 0o700 });

    const log = fs.openSync(path.join(dir, "logs", "supervisor.log"), "a");
    const args: SupervisorArgs = { dir, projectDir: o.projectDir, chart: path.resolve(o.chart), velero: o.velero, watchPid: o.watchPid };
    const child = spawn(process.execPath, [...supervisorEntry(), JSON.stringify(args)], { detached: true, stdio: ["ignore", log, log, "ipc"] });
    fs.closeSync(log);
    try {
        return await new Promise<Record<string, string>>((resolve, reject) => {
            const timer = setTimeout(() => reject(new UserError(`sandbox: not ready after ${Math.round(o.timeoutMs / 1000)} s; see ${path.join(dir, "logs")}`, 1)), o.timeoutMs);
            child.on("message", (m: SupervisorMessage) => {
                if ("log" in m) o.log(m.log);
                else if ("ready" in m) {
                    clearTimeout(timer);
                    resolve(m.ready);
                } else {
                    clearTimeout(timer);
                    reject(new UserError(m.error, 1));
                }
            });
            child.on("exit", (code) => {
                clearTimeout(timer);
                reject(new UserError(`sandbox: the supervisor exited (${code ?? "signal"}) before it was ready; see ${path.join(dir, "logs", "supervisor.log")}`, 1));
            });
        });
    } catch (err) {
        if (child.exitCode === null) child.kill("SIGTERM");
        throw err;
    } finally {
        child.removeAllListeners();
        if (child.connected) child.disconnect();
        child.unref();
    }
}

async function waitGone(pids: number[], dir: string, ms: number): Promise<number[]> {
    const deadline = Date.now() + ms;
    let left = pids.filter((p) => runsFor(p, dir));
    while (left.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        left = left.filter((p) => runsFor(p, dir));
    }
    return left;
}

/** Stops the sandbox in `dir`: the supervisor ends its programs; whatever is left after that is killed. */
export async function down(dirGiven: string): Promise<string> {
    const dir = path.resolve(dirGiven);
    const state = readState(dir);
    if (!state) return `no sandbox runs in ${dirGiven}`;
    const all = [state.supervisor, ...state.processes.map((p) => p.pid)];
    if (runsFor(state.supervisor, dir)) process.kill(state.supervisor, "SIGTERM");
    const left = await waitGone(all, dir, 30_000);
    for (const pid of left) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    await waitGone(left, dir, 5_000);
    fs.rmSync(stateFile(dir), { force: true });
    return `sandbox in ${dirGiven} stopped${left.length ? ` (killed ${left.length} that did not stop in 30 s)` : ""}`;
}
