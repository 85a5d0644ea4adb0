/**
 * A Velero backup's files as byte streams, from a local file or from the bucket
 * (`s3://BUCKET/KEY`) through the S3 API. The tarball is streamed as it arrives, never held
 * whole in memory; failures become one UserError line (preflight: exit 2).
 */
import * as fs from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { resolveCredentials, s3Client, timeoutMs, type S3Options } from "./client";
import { isWebPage, notS3, s3Problem, type Context } from "./errors";
import { formatS3Url, isS3Url, parseS3Url } from "./location";
import { UserError } from "../core/errors";

const AWS_ENDPOINT = "the AWS S3 endpoint";

async function getObject(source: string, opts: S3Options): Promise<{ body: Readable; ctx: Context }> {
    const url = parseS3Url(source);
    const resolved = await resolveCredentials(opts);
    const ctx: Context = {
        url: formatS3Url(url),
        endpoint: opts.endpoint ?? AWS_ENDPOINT,
        timeoutSeconds: timeoutMs(opts) / 1000,
        credentialsFrom: resolved.from,
        credentials: resolved.credentials,
    };
    const client = await s3Client(opts, resolved.credentials);
    const { GetObjectCommand } = await import("@aws-sdk/client-s3");
    try {
        const answer = await client.send(new GetObjectCommand({ Bucket: url.bucket, Key: url.key }));
        if (!(answer.Body instanceof Readable)) throw new Error("the answer has no body");
        // A web server that answers any path: Velero stores no tarball as a web page.
        if (isWebPage(answer.ContentType)) {
            answer.Body.destroy();
            throw new UserError(`${ctx.url}: ${notS3(ctx.endpoint, answer.$metadata.httpStatusCode)}`);
        }
        const body = answer.Body;
        // One object per client: its sockets go once the body is read or fails.
        body.once("close", () => client.destroy());
        return { body, ctx };
    } catch (err) {
        client.destroy();
        throw s3Problem(err, ctx);
    }
}

/** A local file that cannot be read, as one line; undefined for other errors. */
export function fileProblem(file: string, err: Error): UserError | undefined {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return new UserError(`${file}: no such file`);
    if (code === "EACCES") return new UserError(`${file}: permission denied`);
    if (code === "EISDIR") return new UserError(`${file}: is a directory, not a file`);
    return undefined;
}

/** zlib's failure on a backup file's gzip data, in our words; undefined for other errors. */
export function gzipProblem(err: Error): string | undefined {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "Z_DATA_ERROR") return "corrupt gzip data (the file is damaged)";
    if (code === "Z_BUF_ERROR") return "truncated: the gzip data ends early (an interrupted download or upload?)";
    return undefined;
}

/**
 * The bytes of a backup file: a local path as is (its errors surface when read), or the
 * object at `s3://BUCKET/KEY`, whose request fails here and whose body's failures (a stall,
 * a cut connection) arrive on the stream as UserError.
 */
export async function openBackup(source: string, opts: S3Options = {}): Promise<Readable> {
    if (!isS3Url(source)) return fs.createReadStream(source);
    const { body, ctx } = await getObject(source, opts);
    const out = new PassThrough();
    body.on("error", (err) => out.destroy(s3Problem(err, ctx)));
    out.on("close", () => body.destroy());
    body.pipe(out);
    return out;
}
