/**
 * Size caps on what one input entry may take once read, so hostile or broken input (a
 * decompression bomb, a file with no newline) fails with a message instead of filling memory.
 * etcd refuses an object above about 1.5 MiB (its --max-request-bytes), so a real object is far
 * below the default; a resource list or a manifest of many objects has room too.
 */
import { UserError } from "./errors";

export const MAX_ENTRY_ENV = "TKE2EKS_MAX_ENTRY_MB";
const DEFAULT_MAX_ENTRY_MB = 32;

/** The cap in bytes, from $TKE2EKS_MAX_ENTRY_MB (a whole number of MiB) or the default. */
export function maxEntryBytes(env: NodeJS.ProcessEnv = process.env): number {
    const raw = env[MAX_ENTRY_ENV];
    if (raw === undefined || raw === "") return DEFAULT_MAX_ENTRY_MB * 2 ** 20;
    if (!/^[1-9][0-9]{0,5}$/.test(raw.trim())) throw new UserError(`${MAX_ENTRY_ENV}=${JSON.stringify(raw)}: must be a whole number of MiB from 1 to 999999 (default ${DEFAULT_MAX_ENTRY_MB})`);
    return Number(raw.trim()) * 2 ** 20;
}

/** The message for `what` (a file and entry) beyond the cap. */
export function tooBig(what: string, limit: number): UserError {
    return new UserError(`${what} is larger than ${limit / 2 ** 20} MiB (${MAX_ENTRY_ENV}; a Kubernetes object is at most about 1.5 MiB): refused as not a Kubernetes object or list`);
}
