/**
 * Errors every layer may raise: the bottom of the import graph, so s3/, preflight/ and the
 * layers above share them without importing one another.
 */

/** Input that cannot be read at all (unreadable path, bad kubeconfig, corrupt tarball): one line, exit 2. */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}
