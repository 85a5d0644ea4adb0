/**
 * Progress for long scans on a terminal (stderr): objects scanned, rate and where the scan
 * is. Quiet when stderr is not a TTY, so pipes and CI logs stay clean.
 */
import type { Origin } from "./types";
import { formatOrigin } from "./types";

export interface Progress {
    tick(objects: number, origin: Origin): void;
    stop(): void;
}

const QUIET: Progress = { tick: () => undefined, stop: () => undefined };

/** Redraws at most every this many ms; the clock is read every 256 objects. */
const REDRAW_MS = 200;

/** The bar's module loads only for a terminal: a scan whose stderr is a pipe never needs it. */
export async function progress(stream: NodeJS.WriteStream, enabled: boolean): Promise<Progress> {
    if (!enabled || !stream.isTTY) return QUIET;
    const { SingleBar } = await import("cli-progress");
    const bar = new SingleBar({
        stream,
        format: "scanning: {value} objects · {rate} objects/s · {where}",
        hideCursor: true,
        clearOnComplete: true,
        fps: 5,
    });
    const start = Date.now();
    let last = 0;
    let started = false;
    return {
        tick(objects, origin) {
            if ((objects & 255) !== 0) return;
            const now = Date.now();
            if (now - last < REDRAW_MS) return;
            last = now;
            const rate = Math.round(objects / Math.max((now - start) / 1000, 0.001));
            const payload = { rate, where: formatOrigin(origin) };
            if (!started) {
                bar.start(0, objects, payload);
                started = true;
            } else {
                bar.update(objects, payload);
            }
        },
        stop() {
            if (started) bar.stop();
        },
    };
}
