/**
 * Preloaded (`node -r dist/scripts/usageProbe.js …`) into every process the benchmarks time:
 * at exit it writes the whole process's CPU time (user and system, all threads, start-up
 * included) and its peak RSS to file descriptor 3, which scripts/wholeProcess.ts reads; with
 * TKE2EKS_BENCH_MODULES=PATTERN, also the files it loaded whose path contains PATTERN (the SDK
 * files `tke2eks plan` loads, which its floor then loads alone).
 */
import { writeSync } from "node:fs";

process.on("exit", () => {
    const u = process.resourceUsage();
    const pattern = process.env.TKE2EKS_BENCH_MODULES;
    const modules = pattern ? Object.keys(require.cache).filter((f) => f.includes(pattern)) : undefined;
    writeSync(3, JSON.stringify({ user: u.userCPUTime / 1e6, sys: u.systemCPUTime / 1e6, peakRss: u.maxRSS * 1024, modules }));
});
