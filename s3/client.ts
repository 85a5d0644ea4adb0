/**
 * An S3 client for the bucket Velero writes to (COS or any S3-compatible store), with the
 * credentials a user already has and bounded timeouts, so an unreachable or stalled bucket
 * ends in one clear line instead of a hang. Only explicit sources of credentials are read:
 * never the SDK's default chain, which would also query the instance metadata service.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { UserError } from "../core/errors";
import { cosEndpointRegion } from "../core/names";

export interface S3Credentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

export interface S3Options {
    /** The store's endpoint, e.g. https://cos.ap-guangzhou.myqcloud.com (Velero's s3Url); default AWS S3. */
    endpoint?: string;
    /** Default: the region in a COS endpoint, then AWS_REGION, then us-east-1. */
    region?: string;
    /** Path-style addressing (bucket in the path); COS needs virtual-hosted for buckets created since 2024. */
    forcePathStyle?: boolean;
    /** Used as given (the stack's store key); otherwise credentialsFile, then the environment. */
    credentials?: S3Credentials;
    /** An AWS shared-credentials file, as Velero's secret holds it (`[default]` profile). */
    credentialsFile?: string;
    /** Seconds allowed to connect and for any pause in an answer (default 30). */
    timeoutSeconds?: number;
    /** Tries per request (default 3, the SDK's). */
    maxAttempts?: number;
    /** Where AWS_* variables are read (default process.env). */
    env?: NodeJS.ProcessEnv;
}

/** The credentials and a description of where they came from (never the values). */
export interface ResolvedCredentials {
    credentials: S3Credentials;
    from: string;
}

const DEFAULT_TIMEOUT_SECONDS = 30;

async function fromFile(file: string, profile: string): Promise<ResolvedCredentials> {
    try {
        fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UserError(`credentials file ${file}: ${code === "ENOENT" ? "no such file" : "cannot be read"}`);
    }
    // Only this file: the parser skips what it cannot read, so the access check above speaks for it.
    // Loaded here: a command reads s3:// rarely, and the SDK's modules cost start-up time.
    const { loadSharedConfigFiles } = await import("@smithy/shared-ini-file-loader");
    const { credentialsFile } = await loadSharedConfigFiles({ filepath: file, configFilepath: file, ignoreCache: true });
    const p = credentialsFile[profile] ?? {};
    const accessKeyId = p.aws_access_key_id;
    const secretAccessKey = p.aws_secret_access_key;
    if (!accessKeyId || !secretAccessKey) {
        throw new UserError(`credentials file ${file}: no [${profile}] profile with aws_access_key_id and aws_secret_access_key (the format of Velero's credentials secret)`);
    }
    const credentials: S3Credentials = { accessKeyId, secretAccessKey };
    if (p.aws_session_token) credentials.sessionToken = p.aws_session_token;
    return { credentials, from: `credentials file ${file} [${profile}]` };
}

/** The credentials to sign with: given, a credentials file, AWS_* variables, or the shared file. */
export async function resolveCredentials(opts: S3Options): Promise<ResolvedCredentials> {
    const env = opts.env ?? process.env;
    const profile = env.AWS_PROFILE || "default";
    if (opts.credentials) return { credentials: opts.credentials, from: "the given key" };
    if (opts.credentialsFile !== undefined) return fromFile(opts.credentialsFile, profile);
    if (env.AWS_ACCESS_KEY_ID || env.AWS_SECRET_ACCESS_KEY) {
        if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) throw new UserError("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither");
        const credentials: S3Credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
        if (env.AWS_SESSION_TOKEN) credentials.sessionToken = env.AWS_SESSION_TOKEN;
        return { credentials, from: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY" };
    }
    const shared = env.AWS_SHARED_CREDENTIALS_FILE || path.join(os.homedir(), ".aws", "credentials");
    if (env.AWS_SHARED_CREDENTIALS_FILE || fs.existsSync(shared)) return fromFile(shared, profile);
    throw new UserError("no credentials for the bucket: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give Velero's credentials file with --credentials-file (or AWS_SHARED_CREDENTIALS_FILE)");
}

export function resolveRegion(opts: S3Options): string {
    const env = opts.env ?? process.env;
    return opts.region ?? cosEndpointRegion(opts.endpoint ?? "") ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1");
}

export function timeoutMs(opts: S3Options): number {
    return Math.round((opts.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
}

/** A client for these options, signing with these credentials; the SDK loads on first use (preflight on manifests never pays for it). */
export async function s3Client(opts: S3Options, credentials: S3Credentials): Promise<S3Client> {
    const [{ S3Client }, { NodeHttpHandler }] = await Promise.all([import("@aws-sdk/client-s3"), import("@smithy/node-http-handler")]);
    const timeout = timeoutMs(opts);
    // This project runs on Node 20 and pins an SDK line that supports it (package.json): the
    // SDK's notice about its future Node 22 floor would only clutter every report's stderr.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    return new S3Client({
        region: resolveRegion(opts),
        ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
        forcePathStyle: opts.forcePathStyle ?? false,
        // A copy: the SDK marks the object it is given.
        credentials: { ...credentials },
        maxAttempts: opts.maxAttempts ?? 3,
        // connectionTimeout bounds a refused or black-holed connect; socketTimeout any pause after it,
        // including in the middle of the tarball's body.
        requestHandler: new NodeHttpHandler({ connectionTimeout: timeout, socketTimeout: timeout }),
        // COS and most S3-compatible stores refuse the newer default checksums (velero #7531); a GET needs none.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
    });
}
