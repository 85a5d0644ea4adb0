/**
 * Text files as the programs that read them upstream do: kubectl and Pulumi (Go's yaml.v3,
 * its reader's encoding detection) take UTF-8, with or without a byte-order mark, and UTF-16
 * with one (what PowerShell's `>` writes). Bytes that are not text in that encoding are
 * refused with the file named, not passed on to a parser whose complaint would point
 * elsewhere; a file that cannot be read is said in words, not as an errno code.
 */
import * as fs from "node:fs";
import { TextDecoder } from "node:util";

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be";

/** The encoding a file's first bytes announce: UTF-16 by its byte-order mark, else UTF-8. */
export function encodingOf(head: Uint8Array): TextEncoding {
    if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
    if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
    return "utf-8";
}

/** A strict decoder (it throws on bytes that are not text) that drops a byte-order mark. */
export function textDecoder(encoding: TextEncoding): TextDecoder {
    return new TextDecoder(encoding, { fatal: true });
}

/** Why bytes could not be decoded as `encoding`. */
export function notText(encoding: TextEncoding): string {
    return `not valid ${encoding.toUpperCase()} text${encoding === "utf-8" ? " (binary data, or another encoding: save it as UTF-8)" : ""}`;
}

const REASONS: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EISDIR: "is a directory",
    ENOTDIR: "a part of the path is not a directory",
    ELOOP: "too many levels of symbolic links",
};

/** Why a file system call failed, in words. */
export function fileReason(err: unknown): string {
    const e = err as NodeJS.ErrnoException;
    return REASONS[e.code ?? ""] ?? e.message;
}

/** A whole text file, decoded as above; what is wrong in words when it cannot be read. */
export function readTextFile(file: string): { text: string } | { unreadable: string } {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (err) {
        return { unreadable: fileReason(err) };
    }
    const encoding = encodingOf(bytes);
    try {
        return { text: textDecoder(encoding).decode(bytes) };
    } catch {
        return { unreadable: notText(encoding) };
    }
}
