/**
 * Mocha root hooks (loaded by .mocharc.json) so that the suite always ends, and says why when
 * it would not have. After the last test, whatever still keeps the event loop alive that was not
 * there before the first (a timer, a socket, a server, a child process a test left running: a
 * wait that never ends, a server never closed) fails the run, by kind. `exit: true` in
 * .mocharc.json then ends the process anyway: a leak fails the run instead of hanging it (a
 * mutant that makes `await` poll forever is stopped by its test's timeout, and its timer would
 * otherwise keep mocha alive for ever).
 */
import type { RootHookObject } from "mocha";

function counts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
    return m;
}

let before = new Map<string, number>();

/** A close finishes on a later turn of the loop (a server's close callback, a socket's end): let it. */
const SETTLE_MS = 200;
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS));

export const mochaHooks: RootHookObject = {
    // Both hooks alike (async, after a settle), so mocha's own timers count the same in both.
    async beforeAll() {
        await settle();
        before = counts();
    },
    async afterAll() {
        await settle();
        const left = [...counts()].filter(([r, n]) => n > (before.get(r) ?? 0)).map(([r, n]) => `${n - (before.get(r) ?? 0)} × ${r}`);
        if (left.length > 0) throw new Error(`the tests left work running that would keep the process alive: ${left.join(", ")}`);
    },
};
