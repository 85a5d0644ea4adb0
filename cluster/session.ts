/**
 * How every cluster-facing command (`await`, `inventory`, the live preflight, the sync gate)
 * talks to an API server, so none can hang or retry what will never clear:
 * - every request has its own time limit (headers and body), and the command's overall
 *   deadline aborts whatever request is under way;
 * - every failure is classified here, once: permanent ones (refused credentials, DNS, TLS,
 *   nothing listening, an answer that is not the Kubernetes API) stop at once, transient
 *   ones (reset, 429, 5xx, a request out of time) are retried with backoff until the deadline;
 * - every message says what was asked, of which server, and for how long.
 */
import { ApiException, CoreApi, createConfiguration, ServerConfiguration, type Configuration, type RequestContext, type ResponseContext } from "@kubernetes/client-node";
import { ClusterError, type Failure } from "./clusterError";
import type { ClientConfig } from "./kubeconfig";

export interface Limits {
    /** How long one API request may take, headers and body. */
    requestMs: number;
    /** How long the whole command may take, from the session's start. */
    deadlineMs: number;
    /** Flag names for messages (the user can change them). */
    requestFlag?: string;
    deadlineFlag?: string;
}

/** An answer in another format than the API's (a web page, a login form): raised in the middleware, worded in classify. */
class ForeignAnswer extends Error {
    constructor(
        readonly status: number,
        readonly contentType: string,
    ) {
        super(`HTTP ${status} with ${contentType}`);
        this.name = "ForeignAnswer";
    }
}

/** The first retry waits this long, each next one twice as long, never more than the cap. */
const BACKOFF_FIRST_MS = 200;
const BACKOFF_CAP_MS = 5000;

const STATUS_TEXT: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
};

// Node's and OpenSSL's codes for a TLS handshake or certificate that cannot work.
const TLS_CODE = /^(EPROTO|ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY|DECRYPT)_|HOSTNAME_MISMATCH)/;
const TRANSIENT_CODE = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN", "ECONNABORTED"]);

/** What a server's error answer says about itself (a Status object's message), shortened. */
function statusMessage(raw: unknown): string | undefined {
    let body = raw;
    if (typeof raw === "string") {
        try {
            body = JSON.parse(raw);
        } catch {
            return undefined;
        }
    }
    const message = typeof body === "object" && body !== null ? (body as { message?: unknown }).message : undefined;
    if (typeof message !== "string" || message.trim() === "") return undefined;
    const first = message.split("\n")[0].trim();
    return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}

function seconds(ms: number): string {
    return `${Math.round(ms / 100) / 10}s`;
}

/**
 * The system's code and words for a failed request. client-node 2 requests through undici's
 * fetch, which throws a bare TypeError("fetch failed") whose `cause` holds the socket error
 * (ECONNREFUSED, UND_ERR_SOCKET "other side closed", "bad port"): the innermost cause says it.
 */
function errorCause(err: unknown): { code: string | undefined; message: string } {
    let code: string | undefined;
    let message = err instanceof Error ? err.message : String(err);
    for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
        const own = (e as { code?: unknown }).code;
        if (code === undefined && typeof own === "string") code = own;
        if (e instanceof Error && e.message) message = e.message;
    }
    return { code, message: message.split("\n")[0] };
}

export class ClusterSession {
    readonly server: string;
    readonly context: string;
    private readonly deadline = new AbortController();
    private readonly timer: NodeJS.Timeout;
    private readonly started = Date.now();
    /** Whether the server answered once: after that, a refused connection is a restart, not a wrong address. */
    private answered = false;
    private readonly configuration: Configuration;
    /** The last failure retried, for the final message. */
    lastError: string | undefined;

    constructor(
        client: ClientConfig,
        readonly limits: Limits,
        /** Called before each retry with what failed and when the next try comes. */
        private readonly onRetry: (message: string) => void = () => {},
    ) {
        this.server = client.server;
        this.context = client.context;
        this.timer = setTimeout(() => this.deadline.abort(), limits.deadlineMs);
        // Never what keeps the process alive: a pending request does that.
        this.timer.unref();
        const signal = this.deadline.signal;
        const requestMs = limits.requestMs;
        this.configuration = createConfiguration({
            baseServer: new ServerConfiguration(client.server, {}),
            authMethods: { default: client.kc },
            promiseMiddleware: [
                {
                    pre: (ctx: RequestContext) => {
                        ctx.setSignal(AbortSignal.any([signal, AbortSignal.timeout(requestMs)]));
                        return Promise.resolve(ctx);
                    },
                    post: (res: ResponseContext) => {
                        this.answered = true;
                        // The API answers JSON (YAML or protobuf when asked); 401/403/429/5xx are judged by status whatever the body.
                        const type = res.headers["content-type"] ?? "";
                        const byStatus = [401, 403, 429].includes(res.httpStatusCode) || res.httpStatusCode >= 500;
                        if (type !== "" && !byStatus && !/json|yaml|protobuf/i.test(type)) return Promise.reject(new ForeignAnswer(res.httpStatusCode, type.split(";")[0]));
                        return Promise.resolve(res);
                    },
                },
            ],
        });
    }

    /** An API client of the official library whose requests obey this session's limits. */
    api<T>(type: new (configuration: Configuration) => T): T {
        return new type(this.configuration);
    }

    /** Time left before the overall deadline. */
    remainingMs(): number {
        return Math.max(0, this.limits.deadlineMs - (Date.now() - this.started));
    }

    /** Seconds since the session started, for progress lines. */
    elapsedSeconds(): number {
        return Math.round((Date.now() - this.started) / 1000);
    }

    /** `cluster URL (context C)`, how messages name the server. */
    get where(): string {
        return `cluster ${this.server} (context ${this.context})`;
    }

    /** Stops the deadline's timer (and aborts nothing). */
    close(): void {
        clearTimeout(this.timer);
    }

    /** The deadline as an error about `what`, with the last failure retried. */
    deadlineError(what: string): ClusterError {
        const last = this.lastError ? `; last error: ${this.lastError}` : "";
        return new ClusterError(
            `gave up after ${seconds(this.limits.deadlineMs)} (${this.limits.deadlineFlag ?? "--timeout"}) while trying to ${what} on ${this.where}${last}`,
            "deadline",
        );
    }

    /** Classifies any error a request raised; `what` is the question, e.g. "list pods in shop". */
    classify(err: unknown, what: string): ClusterError {
        if (err instanceof ClusterError) return err;
        if (this.deadline.signal.aborted) return this.deadlineError(what);
        const fail = (failure: Failure, reason: string, status?: number) => new ClusterError(`cannot ${what} on ${this.where}: ${reason}`, failure, status, reason);
        if (err instanceof ApiException) {
            const code = err.code;
            const text = statusMessage(err.body);
            const said = text === STATUS_TEXT[code] || text === STATUS_TEXT[code]?.replace(" ", "") ? undefined : text;
            const reason = `${code} ${STATUS_TEXT[code] ?? "error"}${said ? `: ${said}` : ""}`;
            if (code === 401) return new ClusterError(`${this.where} refused the credentials (${reason}) to ${what}`, "permanent", code, reason);
            if (code === 403) return new ClusterError(`${this.where}: not allowed to ${what} (${reason})`, "permanent", code, reason);
            return fail(code === 429 || code >= 500 ? "transient" : "permanent", reason, code);
        }
        if (err instanceof ForeignAnswer) {
            return fail("permanent", `the server answered ${err.status} with ${err.contentType}, not the Kubernetes API's JSON (is the server URL right?)`, err.status);
        }
        const name = (err as { name?: unknown } | null)?.name;
        if (name === "AbortError" || name === "TimeoutError") {
            return fail("transient", `no complete answer within ${seconds(this.limits.requestMs)} (${this.limits.requestFlag ?? "--request-timeout"})`);
        }
        const { code, message } = errorCause(err);
        if (code === "ENOTFOUND") return fail("permanent", `the server's host name does not resolve (DNS: ${code})`);
        if (code !== undefined && TLS_CODE.test(code)) return fail("permanent", `TLS failed (${code}: ${message})`);
        if (code === "ECONNREFUSED") {
            return this.answered
                ? fail("transient", "connection refused (the server answered before: restarting?)")
                : fail("permanent", "connection refused (nothing listens there: is the server URL right?)");
        }
        // undici's word for a body cut before its Content-Length: the body stream errors with
        // TypeError("terminated") caused by the socket's "other side closed" (undici 8.14
        // lib/web/fetch/index.js:2193, lib/dispatcher/client-h1.js:1032); client-node 2.0.1's
        // discovery prefixes it ("Failed to fetch resource metadata for …: terminated",
        // dist/object.js:403). A close before any answer is "fetch failed", classified below.
        if (err instanceof TypeError && /(^|: )terminated$/.test(err.message)) return fail("transient", "the connection closed in the middle of the answer");
        if (code !== undefined && TRANSIENT_CODE.has(code)) return fail("transient", `${code} (${message})`);
        if (/socket hang up|premature close|ended unexpectedly|other side closed/i.test(message)) return fail("transient", `the connection closed early (${message})`);
        // An answer the library could not read: not the Kubernetes API's JSON.
        if (err instanceof SyntaxError || /mediaType|JSON|Unexpected token/i.test(message)) {
            return fail("permanent", `the answer is not the Kubernetes API's JSON (is the server URL right?): ${message}`);
        }
        return fail("permanent", message);
    }

    /**
     * Runs one API request with retries: transient failures wait (200 ms, doubling, at most
     * 5 s, never past the deadline) and try again; permanent ones and the deadline throw.
     */
    async call<T>(what: string, request: () => Promise<T>): Promise<T> {
        for (let attempt = 0; ; attempt++) {
            if (this.deadline.signal.aborted) throw this.deadlineError(what);
            try {
                const result = await request();
                this.lastError = undefined;
                return result;
            } catch (err) {
                const e = this.classify(err, what);
                if (e.failure !== "transient") throw e;
                this.lastError = e.reason;
                const wait = Math.min(BACKOFF_FIRST_MS * 2 ** attempt, BACKOFF_CAP_MS, this.remainingMs());
                this.onRetry(`${e.message} (retrying in ${seconds(wait)})`);
                await this.sleep(wait);
            }
        }
    }

    /** Sleeps, waking early when the deadline passes. */
    sleep(ms: number): Promise<void> {
        const signal = this.deadline.signal;
        return new Promise((resolve) => {
            if (signal.aborted) return resolve();
            const t = setTimeout(done, Math.min(ms, this.remainingMs()));
            function done() {
                clearTimeout(t);
                signal.removeEventListener("abort", done);
                resolve();
            }
            signal.addEventListener("abort", done, { once: true });
        });
    }

    /**
     * Checks that the server is a Kubernetes API server serving the core API (v1) before a
     * command relies on its answers: a web server, a wrong port or a wrong proxy path would
     * otherwise pass for an empty cluster (every 404 read as "not served" or "not found yet").
     */
    async checkCoreApi(): Promise<void> {
        const what = "discover the core API (GET /api)";
        let versions: string[] | undefined;
        try {
            versions = (await this.call(what, () => this.api(CoreApi).getAPIVersions())).versions;
        } catch (err) {
            if (err instanceof ClusterError && err.failure === "permanent" && err.status === 404) {
                throw new ClusterError(`${this.where} does not serve the Kubernetes core API (GET /api: 404 Not Found): is the server URL right?`, "permanent", 404);
            }
            throw err;
        }
        if (!Array.isArray(versions) || !versions.includes("v1")) {
            throw new ClusterError(`${this.where} does not serve the Kubernetes core API v1 (GET /api lists ${JSON.stringify(versions ?? null)}): is the server URL right?`, "permanent");
        }
    }
}
