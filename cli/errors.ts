/**
 * Errors the CLI reports as one line (no stack trace) with exit code 2: bad usage,
 * unreadable input, bad config. Anything else is a bug and keeps its stack.
 */
export class CliError extends Error {
    constructor(message: string, readonly exitCode = 2) {
        super(message);
        this.name = "CliError";
    }
}
