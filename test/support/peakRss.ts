/**
 * Runs bin/tke2eks as a child process and reports its peak resident memory, for the tests that
 * hostile input stays bounded: VmHWM of /proc/self/status, read by the child as it exits
 * (Linux). Not getrusage's maxrss: that one starts at the parent's size, inherited at fork.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const BIN = path.join(__dirname, "..", "..", "bin", "tke2eks");
const MARK = "peak-rss-kib:";

export interface Measured {
    code: number | null;
    out: string;
    err: string;
    /** Peak resident memory, MiB. */
    peakMb: number;
}

export async function runMeasured(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peak-rss-"));
    const preload = path.join(dir, "preload.js");
    fs.writeFileSync(preload, `process.on("exit", () => { const fs = require("node:fs"); fs.writeSync(2, "\\n${MARK}" + /VmHWM:\\s*(\\d+)/.exec(fs.readFileSync("/proc/self/status", "utf8"))[1] + "\\n"); });\n`);
    try {
        return await new Promise((resolve) => {
            const child = spawn(process.execPath, ["--require", preload, BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "", TMPDIR: os.tmpdir(), ...env } });
            let out = "";
            let err = "";
            child.stdout.on("data", (d: Buffer) => (out += d.toString()));
            child.stderr.on("data", (d: Buffer) => (err += d.toString()));
            child.on("close", (code) => {
                const at = err.lastIndexOf(MARK);
                const peakMb = at < 0 ? NaN : Number(err.slice(at + MARK.length).trim()) / 1024;
                resolve({ code, out, err: at < 0 ? err : err.slice(0, at).replace(/\n$/, ""), peakMb });
            });
        });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
