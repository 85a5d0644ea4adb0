/**
 * The options that name a Velero backup tarball, a file or an object in the bucket, and how
 * to reach the bucket: declared once for every command that reads a backup, checked into the
 * backup source's S3 options (one line, exit 2, for a bad value).
 */
import type { Command } from "commander";
import type { S3Options } from "../s3/client";
import { isS3Url } from "../s3/location";
import { UserError } from "../core/errors";
import { seconds } from "./options";

export interface BackupSourceFlags {
    backup?: string;
    s3Endpoint?: string;
    s3Region?: string;
    s3ForcePathStyle?: boolean;
    credentialsFile?: string;
    /** A Go duration or seconds, as given. */
    s3Timeout?: string;
}

/** Adds --backup and its S3 options to a command; `what` says what the command does with it. */
export function withBackupOptions(cmd: Command, what: string): Command {
    return cmd
        .option("--backup <file.tar.gz|s3://bucket/key>", `${what} a Velero backup tarball, a file or an object in the bucket`)
        .option("--s3-endpoint <url>", "with --backup s3://…: the store's endpoint, Velero's s3Url (e.g. https://cos.ap-guangzhou.myqcloud.com)")
        .option("--s3-region <region>", "with --backup s3://…: the bucket's region (default: from a COS endpoint, then $AWS_REGION)")
        .option("--s3-force-path-style", "with --backup s3://…: path-style addressing (only COS buckets created before 2024)")
        .option("--credentials-file <file>", "with --backup s3://…: Velero's credentials file (default: $AWS_ACCESS_KEY_ID…, then $AWS_SHARED_CREDENTIALS_FILE)")
        .option("--s3-timeout <duration>", "with --backup s3://…: how long a connection may stay silent before a try fails (3 tries); a Go duration (30s, 2m) or seconds, at most 1h", "30");
}

/** How to reach the bucket for `--backup s3://…`; the S3 flags mean nothing for other sources. */
export function s3OptionsFrom(flags: BackupSourceFlags): S3Options {
    const given = (
        [
            ["--s3-endpoint", flags.s3Endpoint],
            ["--s3-region", flags.s3Region],
            ["--s3-force-path-style", flags.s3ForcePathStyle],
            ["--credentials-file", flags.credentialsFile],
        ] as const
    ).filter(([, v]) => v !== undefined && v !== false);
    if (flags.backup === undefined || !isS3Url(flags.backup)) {
        if (given.length > 0) throw new UserError(`${given[0][0]} is for --backup s3://BUCKET/KEY`);
        return {};
    }
    const out: S3Options = { forcePathStyle: flags.s3ForcePathStyle === true };
    if (flags.s3Endpoint !== undefined) {
        if (!/^https?:\/\/[^/\s]+\/?$/.test(flags.s3Endpoint)) throw new UserError(`--s3-endpoint "${flags.s3Endpoint}": use an http(s) URL with no path, e.g. https://cos.ap-guangzhou.myqcloud.com`);
        out.endpoint = flags.s3Endpoint;
    }
    if (flags.s3Region !== undefined) {
        if (!/^[a-z0-9-]+$/.test(flags.s3Region)) throw new UserError(`--s3-region "${flags.s3Region}": use a region name such as ap-guangzhou`);
        out.region = flags.s3Region;
    }
    if (flags.credentialsFile !== undefined) out.credentialsFile = flags.credentialsFile;
    if (flags.s3Timeout !== undefined) {
        const timeout = seconds("--s3-timeout", flags.s3Timeout, 0.001);
        if (timeout > 3600) throw new UserError(`--s3-timeout ${flags.s3Timeout}: at most 1h (3600s)`);
        out.timeoutSeconds = timeout;
    }
    return out;
}
