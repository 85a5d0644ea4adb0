/**
 * The HTTP transport of every API request: the official client's default (node-fetch 2) never
 * settles a body whose connection closes before its Content-Length is reached (its fix covers
 * chunked answers only: node-fetch 2.7.0 lib/index.js, fixResponseChunkedTransferBadEnding), and
 * since the request timers do not keep Node alive, a cluster command then ended with exit 0 and
 * no output. Here the body is read with Node's own stream, which fails on a cut connection, so
 * the session classifies it as a transient failure and retries it.
 */
import * as http from "node:http";
import * as https from "node:https";
import { buffer } from "node:stream/consumers";
import { ResponseContext, SelfDecodingBody, wrapHttpLibrary, type HttpLibrary, type RequestContext } from "@kubernetes/client-node";

function send(request: RequestContext): Promise<ResponseContext> {
    const url = new URL(request.getUrl());
    const open = url.protocol === "https:" ? https.request : http.request;
    const body = request.getBody();
    if (body !== undefined && typeof body !== "string") return Promise.reject(new Error("a request body that is not text (the client sends JSON only)"));
    return new Promise((resolve, reject) => {
        const req = open(url, { method: request.getHttpMethod(), headers: request.getHeaders(), agent: request.getAgent(), signal: request.getSignal() }, (res) => {
            const signal = request.getSignal();
            // Out of time, Node ends the body as a closed connection: say it was the time.
            const data = buffer(res).catch((err: unknown) => Promise.reject(signal?.aborted ? (signal.reason as Error) : err));
            // Read (and its failure handled) by the client's response processor.
            data.catch(() => {});
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
            resolve(new ResponseContext(res.statusCode ?? 0, headers, new SelfDecodingBody(data)));
        });
        req.on("error", reject);
        req.end(body);
    });
}

export const completeBodies: HttpLibrary = wrapHttpLibrary({ send });
