/**
 * The sandbox's child processes: each logs to its own file and is tied to the process that started
 * it, so nothing outlives the sandbox: `setpriv --pdeathsig KILL` (util-linux) makes the kernel
 * kill the child when its parent dies, whatever the cause, even SIGKILL; `stop` ends them in order.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { UserError } from "../core/errors";

export interface Started {
    name: string;
    child: ChildProcess;
    log: string;
    /** Resolves when the process has ended. */
    exited: Promise<number | null>;
}

let setprivAvailable: boolean | undefined;

function hasSetpriv(): boolean {
    setprivAvailable ??= spawnSync("setpriv", ["--version"], { stdio: "ignore" }).status === 0;
    return setprivAvailable;
}

export class Processes {
    private readonly started: Started[] = [];

    constructor(private readonly logDir: string) {
        fs.mkdirSync(logDir, { recursive: true });
    }

    /** Starts `program` with `args`, its output appended to `<logDir>/<name>.log`. */
    start(name: string, program: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Started {
        const log = path.join(this.logDir, `${name}.log`);
        const fd = fs.openSync(log, "a");
        const [cmd, argv] = hasSetpriv() ? ["setpriv", ["--pdeathsig", "KILL", "--", program, ...args]] : [program, args];
        const child = spawn(cmd, argv, { stdio: ["ignore", fd, fd], env: opts.env ?? process.env, cwd: opts.cwd });
        fs.closeSync(fd);
        const exited = new Promise<number | null>((resolve) => {
            child.once("exit", (code) => resolve(code));
            child.once("error", () => resolve(null));
        });
        const entry = { name, child, log, exited };
        this.started.push(entry);
        return entry;
    }

    /** Name and process id of each process still meant to run (the sandbox's state file lists them for `down`). */
    pids(): { name: string; pid: number }[] {
        return this.started.filter((s) => s.child.pid !== undefined).map((s) => ({ name: s.name, pid: s.child.pid as number }));
    }

    /** The first process that ended while it should run, if any. */
    dead(): Started | undefined {
        return this.started.find((s) => s.child.exitCode !== null || s.child.signalCode !== null);
    }

    /** Ends every process, the last started first, SIGTERM then SIGKILL after `graceMs`. */
    async stop(graceMs = 5000): Promise<void> {
        for (const s of [...this.started].reverse()) {
            if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
            s.child.kill("SIGTERM");
            const timer = setTimeout(() => s.child.kill("SIGKILL"), graceMs);
            await s.exited;
            clearTimeout(timer);
        }
        this.started.length = 0;
    }
}

/** Whether a process with this id exists (ours or not). */
export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Whether `pid` is still one of the sandbox's: alive and naming the sandbox's folder on its command line (a reused id does not). */
export function runsFor(pid: number, dir: string): boolean {
    if (!isAlive(pid)) return false;
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
    } catch {
        return false;
    }
}

/** The last lines of a log, for a message about a process that failed. */
export function logTail(file: string, lines = 8): string {
    try {
        return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}

/** A port free on 127.0.0.1 now (the kernel's pick); the caller binds it at once. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Polls `check` until it resolves true, or fails naming `what` and the process's log. */
export async function waitFor(what: string, check: () => Promise<boolean>, opts: { timeoutMs: number; started?: Started }): Promise<void> {
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
        if (opts.started && (opts.started.child.exitCode !== null || opts.started.child.signalCode !== null)) {
            throw new UserError(`sandbox: ${opts.started.name} exited while waiting for ${what}; last lines of ${opts.started.log}:\n${logTail(opts.started.log)}`);
        }
        if (await check().catch(() => false)) return;
        if (Date.now() > deadline) {
            const tail = opts.started ? `; last lines of ${opts.started.log}:\n${logTail(opts.started.log)}` : "";
            throw new UserError(`sandbox: ${what} not ready after ${Math.round(opts.timeoutMs / 1000)} s${tail}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
}
