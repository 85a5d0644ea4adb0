/**
 * The sandbox's own small client for its API servers (the stand-in kubelet's binds, status writes
 * and watches): the sandbox owns both ends, so plain HTTPS with the server's CA and the admin token
 * is all it needs, and it does not load a Kubernetes client library.
 */
import * as https from "node:https";

export interface ApiTarget {
    server: string;
    ca: string;
    token: string;
}

export interface ApiAnswer {
    status: number;
    body: unknown;
}

export class KubeApi {
    private readonly agent: https.Agent;

    constructor(readonly target: ApiTarget) {
        this.agent = new https.Agent({ ca: target.ca, keepAlive: true, maxSockets: 8 });
    }

    request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<ApiAnswer> {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        return new Promise((resolve, reject) => {
            const req = https.request(
                new URL(path, this.target.server),
                {
                    method,
                    agent: this.agent,
                    headers: {
                        authorization: `Bearer ${this.target.token}`,
                        accept: "application/json",
                        ...(payload ? { "content-type": contentType, "content-length": payload.length } : {}),
                    },
                    timeout: 30_000,
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        let parsed: unknown = text;
                        try {
                            parsed = text ? JSON.parse(text) : undefined;
                        } catch {
                            // keep the text: a non-JSON answer is reported as it came
                        }
                        resolve({ status: res.statusCode ?? 0, body: parsed });
                    });
                    res.on("error", reject);
                },
            );
            req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
            req.on("error", reject);
            req.end(payload);
        });
    }

    /** Like `request`, but an answer outside 2xx is an error naming the request. */
    async must(method: string, path: string, body?: unknown, contentType?: string): Promise<unknown> {
        const answer = await this.request(method, path, body, contentType);
        if (answer.status < 200 || answer.status > 299) {
            const message = (answer.body as { message?: string } | undefined)?.message ?? JSON.stringify(answer.body);
            throw new Error(`${method} ${path}: HTTP ${answer.status}: ${message}`);
        }
        return answer.body;
    }

    /**
     * Streams a watch, calling `onEvent` per event, until the server ends it or `signal` aborts;
     * resolves with the last resourceVersion seen, so the caller can resume from it.
     */
    watch(path: string, onEvent: (type: string, obj: Record<string, unknown>) => void, signal: AbortSignal): Promise<string | undefined> {
        return new Promise((resolve, reject) => {
            let lastVersion: string | undefined;
            const req = https.request(new URL(path, this.target.server), {
                agent: this.agent,
                headers: { authorization: `Bearer ${this.target.token}`, accept: "application/json" },
                signal,
            });
            req.on("response", (res) => {
                if (res.statusCode !== 200) {
                    res.resume();
                    reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
                    return;
                }
                let buffered = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => {
                    buffered += chunk;
                    let nl: number;
                    while ((nl = buffered.indexOf("\n")) >= 0) {
                        const line = buffered.slice(0, nl);
                        buffered = buffered.slice(nl + 1);
                        if (!line.trim()) continue;
                        const event = JSON.parse(line) as { type: string; object: Record<string, unknown> };
                        const version = (event.object?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
                        if (version) lastVersion = version;
                        if (event.type !== "BOOKMARK") onEvent(event.type, event.object);
                    }
                });
                res.on("end", () => resolve(lastVersion));
                res.on("error", (err) => (signal.aborted ? resolve(lastVersion) : reject(err)));
            });
            req.on("error", (err) => (signal.aborted ? resolve(lastVersion) : reject(err)));
            req.end();
        });
    }

    close(): void {
        this.agent.destroy();
    }
}
