/**
 * A cluster request's failure, classified (cluster/session.ts classifies): its own module, with
 * no Kubernetes client, so a command can tell its failures apart before it loads the client.
 */
import { UserError } from "../core/errors";

/** permanent: retrying cannot help; transient: retry; deadline: the command's time is up. */
export type Failure = "permanent" | "transient" | "deadline";

/** A request that failed, classified; the message is one line naming the server and the question. */
export class ClusterError extends UserError {
    constructor(
        message: string,
        readonly failure: Failure,
        /** The HTTP status, when the server answered. */
        readonly status?: number,
        /** What went wrong, without the question and the server (for "last error: ..."). */
        readonly reason: string = message,
    ) {
        // Out of time, the wait ran and failed (1); anything else is the cluster or its config (2).
        super(message, failure === "deadline" ? 1 : 2);
    }
}
