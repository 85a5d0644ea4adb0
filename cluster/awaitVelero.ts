/**
 * Waits for a Velero Backup or Restore to reach a terminal phase, the way the migration
 * stages need it: a missing object is "not there yet" (a Backup the target has not synced
 * from the bucket), a terminal failure stops at once with Velero's own counts.
 */
import { ClusterError } from "./session";
import { isTerminal, readStatus, verdict, type VeleroOperation, type VeleroStatus } from "./veleroStatus";

export class MigrationStepError extends Error {
    constructor(message: string, readonly status?: VeleroStatus) {
        super(message);
        this.name = "MigrationStepError";
    }
}

export interface AwaitOptions {
    timeoutMs: number;
    intervalMs: number;
    allowPartiallyFailed?: boolean;
    /** Called after every poll (progress on stderr). */
    onPoll?: (status: VeleroStatus | undefined) => void;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    /** When the wait ends, by `now()`; default: `timeoutMs` from the start (the message names `timeoutMs`). */
    deadline?: number;
}

/**
 * Reads the object; `undefined` when it does not exist (yet). A ClusterError "deadline" (the
 * command's time ran out during a request) ends the wait as a timeout.
 */
export type ObjectReader = () => Promise<unknown>;

export async function awaitVelero(
    read: ObjectReader,
    kind: VeleroOperation,
    namespace: string,
    name: string,
    opts: AwaitOptions,
): Promise<VeleroStatus> {
    const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const now = opts.now ?? Date.now;
    const deadline = opts.deadline ?? now() + opts.timeoutMs;
    let last: VeleroStatus | undefined;
    const timedOut = (why = "") => {
        const seen = last ? `phase ${last.phase || "not set"}, ${last.doneItems}/${last.totalItems} items` : "not found";
        return new MigrationStepError(`timed out after ${Math.round(opts.timeoutMs / 100) / 10}s waiting for ${kind} ${namespace}/${name} (${seen})${why}`, last);
    };
    for (;;) {
        let obj: unknown;
        try {
            obj = await read();
        } catch (err) {
            if (err instanceof ClusterError && err.failure === "deadline") throw timedOut(`; ${err.message}`);
            throw err;
        }
        last = obj === undefined ? undefined : readStatus(kind, namespace, name, obj);
        opts.onPoll?.(last);
        if (last && isTerminal(last)) {
            const v = verdict(last, opts.allowPartiallyFailed);
            if (!v.ok) throw new MigrationStepError(v.message, last);
            return last;
        }
        await sleep(Math.min(opts.intervalMs, Math.max(0, deadline - now())));
        if (now() >= deadline) throw timedOut();
    }
}
