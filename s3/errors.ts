/**
 * What went wrong reaching an object in the bucket, as one line naming the object, the
 * endpoint and what to check. The SDK's own messages can quote a request's key id (S3 echoes
 * it back in some error bodies), so every line is scrubbed of the credentials first.
 */
import type { S3Credentials } from "./client";
import { UserError } from "../core/errors";

interface SdkError extends Error {
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { headers?: Record<string, string | undefined> };
    Code?: string;
}

/** The line with every credential value replaced. */
export function scrub(text: string, credentials: S3Credentials | undefined): string {
    let out = text;
    for (const secret of [credentials?.accessKeyId, credentials?.secretAccessKey, credentials?.sessionToken]) {
        if (secret) out = out.split(secret).join("[secret]");
    }
    return out;
}

/** A web page's media type: what a web server or a proxy answers, never S3 (its errors are XML). */
export function isWebPage(contentType: string | undefined): boolean {
    return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? "");
}

/** The line for an endpoint that answered a web page instead of S3's answer. */
export function notS3(endpoint: string, status: number | undefined): string {
    return `${endpoint} answered with a web page (HTTP ${status ?? "?"}, text/html), not as S3 does: it is not an S3 endpoint; check the endpoint (Velero's s3Url) and its path`;
}

function why(err: SdkError, endpoint: string, timeoutSeconds: number, credentialsFrom: string): string {
    const status = err.$metadata?.httpStatusCode;
    // The SDK reads any error page as an unnamed error ("UnknownError"): say what answered.
    if (isWebPage(err.$response?.headers?.["content-type"])) return notS3(endpoint, status);
    const code = err.code ?? (err.cause as SdkError | undefined)?.code;
    if (code === "ECONNREFUSED") return `cannot reach ${endpoint}: connection refused`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot reach ${endpoint}: its host name does not resolve`;
    if (err.name === "TimeoutError" || code === "ETIMEDOUT") return `cannot reach ${endpoint}: no answer within ${timeoutSeconds} s`;
    if (code === "ECONNRESET" || err.message === "aborted") return `the connection to ${endpoint} was cut off`;
    if (err.name === "NoSuchKey" || (status === 404 && err.name === "NotFound")) return "no such key in the bucket (NoSuchKey): check the backup's name and the storage location's prefix";
    if (err.name === "NoSuchBucket") return `no such bucket at ${endpoint} (NoSuchBucket): check the bucket name (on COS, <name>-<APPID>) and the endpoint's region`;
    if (status === 403) return `access denied (403 ${err.name}): the credentials from ${credentialsFrom} cannot read it`;
    if (status === 301 || err.name === "PermanentRedirect" || err.name === "AuthorizationHeaderMalformed") {
        return `the bucket is not at ${endpoint} in this region (${err.name}): give the storage location's s3Url and region`;
    }
    return `${err.name}${status ? ` (HTTP ${status})` : ""}: ${err.message}`;
}

export interface Context {
    /** `s3://BUCKET/KEY`. */
    url: string;
    endpoint: string;
    timeoutSeconds: number;
    credentialsFrom: string;
    credentials?: S3Credentials;
}

/** One UserError line for a failed request or a failed read of an answer's body. */
export function s3Problem(err: unknown, ctx: Context): UserError {
    if (err instanceof UserError) return new UserError(scrub(err.message, ctx.credentials));
    const line = `${ctx.url}: ${why(err as SdkError, ctx.endpoint, ctx.timeoutSeconds, ctx.credentialsFrom)}`;
    return new UserError(scrub(line, ctx.credentials));
}
