/** Command-line values shared by several commands, checked with one clear line. */
import { CliError } from "./errors";

/** A number of seconds given on the command line, at least `min`. */
export function seconds(flag: string, value: string, min: number): number {
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min) throw new CliError(`${flag} ${value}: must be a number of seconds, at least ${min}`);
    return Number(value);
}
