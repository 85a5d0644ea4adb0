/**
 * Wall-clock slack for a test that asserts a deadline was kept: the in-process deadline tests
 * (faults, clusterFaults, verifyFaults) run their command in this process, so the machine's
 * load delays their timers as much as it delays starting a process. The slack is the larger of
 * a floor and twice the start-up of `node -e 0` measured just now, so a busy machine widens it
 * (as gate.spec does for its child processes) instead of failing a correct deadline.
 */
import { execFileSync } from "node:child_process";

export function slackMs(floorMs: number): number {
    const started = performance.now();
    execFileSync(process.execPath, ["-e", "0"], { stdio: "ignore" });
    return Math.max(floorMs, 2 * (performance.now() - started));
}
