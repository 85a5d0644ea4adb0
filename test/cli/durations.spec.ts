/** Times on the command line: Go durations as kubectl and velero take them, plain seconds as before. */
import { strict as assert } from "node:assert";
import { seconds } from "../../cli/options";
import { UserError } from "../../core/errors";

describe("command-line durations", () => {
    it("read Go durations (time.ParseDuration's units) and plain seconds", () => {
        const cases: [string, number][] = [["30s", 30], ["10m", 600], ["1h30m", 5400], ["1.5h", 5400], ["250ms", 0.25], ["2m0.5s", 120.5], ["45", 45], ["0.5", 0.5], ["720h", 2_592_000]];
        for (const [value, s] of cases) assert.equal(seconds("--timeout", value, 0), s, value);
    });

    it("refuse anything else, and less than the minimum, naming the flag, the value and what is allowed", () => {
        for (const value of ["soon", "10x", "1h 2m", "", "-5s", "m", "1d", "5s10"]) {
            assert.throws(() => seconds("--timeout", value, 0), (e: unknown) => e instanceof UserError && e.message === `--timeout ${value}: must be a duration like 30s, 10m or 1h30m (a plain number is seconds), at least 0s`, JSON.stringify(value));
        }
        assert.throws(() => seconds("--request-timeout", "50ms", 0.1), /^UserError: --request-timeout 50ms: .*at least 0\.1s$/);
    });
});
