/**
 * The one error a user can act on (bad input or config, a file or bucket that cannot be read,
 * a step that failed): the bottom of the import graph, so every layer raises it without
 * importing another. Anything else thrown is a bug and keeps its stack.
 */

/**
 * Printed as its message alone, one line: the CLI exits with `exitCode` (2: fix the input,
 * 1: the check or step ran and failed). Under `pulumi up` it carries RunError's brand, which
 * the SDK tests for instead of the class (@pulumi/pulumi errors.js, `RunError.isInstance`),
 * so the engine prints the message without a stack trace too.
 */
export class UserError extends Error {
    readonly __pulumiRunError = true;

    constructor(
        message: string,
        readonly exitCode: 1 | 2 = 2,
    ) {
        super(message);
        this.name = new.target.name;
    }
}
