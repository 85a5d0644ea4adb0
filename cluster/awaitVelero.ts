/**
 * Waits for a Velero Backup or Restore to reach a terminal phase, the way the migration
 * stages need it: a missing object is "not there yet" (a Backup the target has not synced
 * from the bucket), a terminal failure stops at once with Velero's own counts, and so does
 * anything that means it will never finish: the object being deleted, or gone after it was
 * seen, or (the sync gate) a storage location Velero will not sync from.
 */
import { UserError } from "../core/errors";
import { ClusterError } from "./clusterError";
import { isBeingDeleted, isTerminal, locationBlocker, progressOf, readLocation, readStatus, verdict, type VeleroOperation, type VeleroStatus } from "./veleroStatus";

export class MigrationStepError extends UserError {
    constructor(
        message: string,
        readonly status?: VeleroStatus,
    ) {
        super(message, 1);
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
    /** The sync gate: the location the object is to sync from, checked while it is not there. */
    location?: { name: string; read: ObjectReader };
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
    /** The last status ever read: a 404 after it means the object was deleted. */
    let seen: VeleroStatus | undefined;
    const what = `${kind} ${namespace}/${name}`;
    const timedOut = (why = "") => {
        const state = last ? `phase ${last.phase || "not set"}, ${progressOf(last)}` : "not found";
        return new MigrationStepError(`timed out after ${Math.round(opts.timeoutMs / 100) / 10}s waiting for ${what} (${state})${why}`, last);
    };
    /** A read; the command's time running out during it ends the wait as a timeout. */
    const readWithin = async (r: ObjectReader): Promise<unknown> => {
        try {
            return await r();
        } catch (err) {
            if (err instanceof ClusterError && err.failure === "deadline") throw timedOut(`; ${err.message}`);
            throw err;
        }
    };
    for (;;) {
        const obj = await readWithin(read);
        last = obj === undefined ? undefined : readStatus(kind, namespace, name, obj);
        opts.onPoll?.(last);
        if (!last && seen) throw new MigrationStepError(`${what} was deleted while waited on (last seen: phase ${seen.phase || "not set"}, ${progressOf(seen)})`, seen);
        if (!last && opts.location) {
            const { name: location, read: readLocationObject } = opts.location;
            const l = await readWithin(readLocationObject);
            const blocker = locationBlocker(l === undefined ? undefined : readLocation(namespace, location, l), namespace, location);
            if (blocker) throw new MigrationStepError(`${what} cannot sync: ${blocker}`);
        }
        seen = last ?? seen;
        if (last && isBeingDeleted(last)) {
            throw new MigrationStepError(`${what} is being deleted (phase ${last.phase || "not set"}, ${progressOf(last)}): it will never finish; start a new run under a new tke2eks:run name`, last);
        }
        if (last && isTerminal(last)) {
            const v = verdict(last, opts.allowPartiallyFailed);
            if (!v.ok) throw new MigrationStepError(v.message, last);
            return last;
        }
        await sleep(Math.min(opts.intervalMs, Math.max(0, deadline - now())));
        if (now() >= deadline) throw timedOut();
    }
}
