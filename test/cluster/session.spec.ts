/**
 * The one place cluster failures are classified: what stops at once and what is retried.
 * Real requests against the loopback fault server where the failure can be made here; the
 * resolver's and the TLS library's errors as node-fetch raises them (no DNS or TLS server is
 * run for them).
 */
import { strict as assert } from "node:assert";
import { CoreApi } from "@kubernetes/client-node";
import { loadClientConfig } from "../../cluster/kubeconfig";
import { ClusterError } from "../../cluster/clusterError";
import { ClusterSession } from "../../cluster/session";
import { faultyApi, kubeconfigFor } from "../support/faultyApi";

function session(server: string, deadlineMs = 10_000, retries: string[] = []): ClusterSession {
    return new ClusterSession(loadClientConfig({ content: kubeconfigFor(server) }, {}), { requestMs: 5000, deadlineMs }, (m) => retries.push(m));
}

/** A node-fetch FetchError as the library passes it on: a system error with its code. */
function systemError(code: string, message: string): Error {
    return Object.assign(new Error(message), { name: "FetchError", type: "system", code, errno: code });
}

describe("cluster session: classifying failures", () => {
    it("DNS and TLS failures are permanent; resets and network blips are transient", () => {
        const s = session("https://api.cluster.example:6443");
        try {
            const cases: [Error, string, string][] = [
                [systemError("ENOTFOUND", "getaddrinfo ENOTFOUND api.cluster.example"), "permanent", "the server's host name does not resolve (DNS: ENOTFOUND)"],
                [systemError("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"), "permanent", "TLS failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate)"],
                [systemError("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames"), "permanent", "TLS failed (ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames)"],
                [systemError("ECONNRESET", "read ECONNRESET"), "transient", "ECONNRESET (read ECONNRESET)"],
                [systemError("EHOSTUNREACH", "connect EHOSTUNREACH"), "transient", "EHOSTUNREACH (connect EHOSTUNREACH)"],
            ];
            for (const [err, failure, reason] of cases) {
                const c = s.classify(err, "list pods");
                assert.ok(c instanceof ClusterError);
                assert.equal(c.failure, failure, reason);
                assert.equal(c.reason, reason);
                assert.equal(c.message, `cannot list pods on cluster https://api.cluster.example:6443 (context eks-b): ${reason}`);
            }
        } finally {
            s.close();
        }
    });

    it("a refused connection is permanent before the server ever answered, transient after (a restart)", async () => {
        const api = await faultyApi();
        const retries: string[] = [];
        const s = session(api.url, 1000, retries);
        try {
            const core = s.api(CoreApi);
            await s.call("get /api", () => core.getAPIVersions());
            await api.close();
            const started = performance.now();
            await assert.rejects(s.call("get /api", () => core.getAPIVersions()), (err: unknown) => err instanceof ClusterError && err.failure === "deadline" && /last error: connection refused \(the server answered before: restarting\?\)$/.test(err.message));
            assert.ok(performance.now() - started <= 1000 + 800, "ends at the deadline");
            assert.ok(retries.length >= 1 && retries.every((r) => r.includes("restarting?")), retries.join("\n"));
        } finally {
            s.close();
        }
        const never = session(api.url);
        try {
            await assert.rejects(never.call("get /api", () => never.api(CoreApi).getAPIVersions()), (err: unknown) => err instanceof ClusterError && err.failure === "permanent");
        } finally {
            never.close();
        }
    });
});
