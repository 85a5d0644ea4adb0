/**
 * The standard streams of a command run in-process, captured: stdout and stderr as text, and
 * the environment the command reads (kubeconfig content, context).
 */
import { Writable } from "node:stream";

export interface CapturedIo {
    stdout: Writable;
    stderr: Writable;
    env: NodeJS.ProcessEnv;
    out(): string;
    err(): string;
}

export function captureIo(env: NodeJS.ProcessEnv): CapturedIo {
    const sink = () => {
        const chunks: string[] = [];
        const stream = new Writable({
            write(chunk, _enc, cb) {
                chunks.push(String(chunk));
                cb();
            },
        });
        return { stream, text: () => chunks.join("") };
    };
    const stdout = sink();
    const stderr = sink();
    return { stdout: stdout.stream, stderr: stderr.stream, env, out: stdout.text, err: stderr.text };
}
