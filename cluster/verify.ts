/**
 * The migration's last check, as the seed does it by hand: what the backup holds (after the
 * Restore's filters and namespace mapping, minus what is deliberately left out) against what
 * exists in cluster B, then waiting, up to a deadline, until B's workloads are ready. Read-only:
 * `get` of the Restore, discovery, `list` per kind and namespace, and the events of what is
 * not ready. Every request goes through the cluster session (cluster/session.ts): its time
 * limits, its classification of failures and its retries of transient ones.
 */
import { ApisApi, CustomObjectsApi, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { formatGroupResource } from "../modifiers/groupResources";
import { groupOf, record, str } from "../rules/objects";
import { ClusterError } from "./clusterError";
import type { ClusterSession } from "./session";
import { readinessOf } from "./verifyReadiness";
import { UserError } from "../core/errors";
import type { VeleroResults } from "./veleroResults";

/** Where cluster-scoped objects are reported. */
export const CLUSTER_SCOPE = "(cluster)";

export interface ObjectReport {
    apiVersion: string;
    kind: string;
    name: string;
    /** Why it is missing or not ready (status, then recent warning events). */
    reason?: string;
}

export interface NamespaceReport {
    ready: ObjectReport[];
    notReady: ObjectReport[];
    missing: ObjectReport[];
}

export interface VerifyReport {
    restore: string;
    backup: string;
    cluster: { server: string; context: string };
    ok: boolean;
    summary: { expected: number; ready: number; notReady: number; missing: number; leftOut: number };
    namespaces: Record<string, NamespaceReport>;
    /** Objects of the backup not expected in B, counted by reason. */
    leftOut: Record<string, number>;
    waitedSeconds: number;
    /** When the Restore ended PartiallyFailed or Failed: its phase and Velero's results (cluster/veleroResults.ts). */
    restorePhase?: string;
    results?: VeleroResults;
    resultsError?: string;
}

export interface VerifyOptions {
    restore: string;
    /** Velero's namespace in B, where the Restore is. */
    veleroNamespace: string;
    /** Only these namespaces of B (after mapping); empty for all the backup holds. */
    namespaces: readonly string[];
    /**
     * What B should hold, given the Restore's spec as B has it: the restore model's answer
     * (restore/expected.ts), over the backup the spec names.
     */
    expect: (restoreSpec: Record<string, unknown>, restore: Record<string, unknown>) => Promise<Expectation>;
    timeoutMs: number;
    intervalMs: number;
    onPoll?: (report: VerifyReport) => void;
}

/** One object B should hold after the Restore, under its mapped namespace. */
export interface ExpectedObject {
    apiVersion: string;
    kind: string;
    /** Absent for cluster-scoped objects. */
    namespace?: string;
    name: string;
    /** The group-resource, e.g. deployments.apps. */
    resource: string;
}

export interface Expectation {
    expected: ExpectedObject[];
    /** Why objects are not expected, with how many: "Pod: ...": 12. */
    leftOut: Record<string, number>;
}

/** The object API with its (protected) discovery lookup made reachable. */
class ObjectApi extends KubernetesObjectApi {
    served(apiVersion: string, kind: string) {
        return this.resource(apiVersion, kind);
    }
}

interface Served {
    apiVersion: string;
    plural: string;
    namespaced: boolean;
}

/** Reads B through the session; what B refuses or never answers is the session's ClusterError. */
class ClusterB {
    private readonly objects: ObjectApi;
    private readonly servedCache = new Map<string, Served | undefined>();
    private groups?: Map<string, string[]>;

    constructor(private readonly session: ClusterSession) {
        this.objects = session.api(ObjectApi);
    }

    async restore(namespace: string, name: string): Promise<Record<string, unknown>> {
        const api = this.session.api(CustomObjectsApi);
        try {
            return record(await this.session.call(`get restores.velero.io ${namespace}/${name}`, () => api.getNamespacedCustomObject({ group: "velero.io", version: "v1", namespace, plural: "restores", name })));
        } catch (err) {
            if (err instanceof ClusterError && err.status === 404) throw new UserError(`no Restore ${namespace}/${name} in ${this.session.where}; check the name and --velero-namespace`);
            throw err;
        }
    }

    /** B's served versions of each API group, preferred first. */
    private async groupVersions(): Promise<Map<string, string[]>> {
        if (!this.groups) {
            const api = this.session.api(ApisApi);
            const list = await this.session.call("discover the API groups (GET /apis)", () => api.getAPIVersions());
            this.groups = new Map(
                (list.groups ?? []).map((g) => {
                    const preferred = g.preferredVersion?.groupVersion;
                    const all = (g.versions ?? []).map((v) => v.groupVersion);
                    return [g.name, preferred ? [preferred, ...all.filter((v) => v !== preferred)] : all];
                }),
            );
        }
        return this.groups;
    }

    private async lookup(apiVersion: string, kind: string): Promise<Served | undefined> {
        try {
            const r = await this.session.call(`discover ${apiVersion} ${kind}`, () => this.objects.served(apiVersion, kind));
            return r ? { apiVersion, plural: r.name, namespaced: r.namespaced } : undefined;
        } catch (err) {
            // The core API answered (checkCoreApi): a group version's 404 means B does not serve it.
            if (err instanceof ClusterError && err.status === 404) return undefined;
            throw err;
        }
    }

    /**
     * How B serves a kind: the backup's version if B serves it, else B's versions of the group
     * (Velero with EnableAPIGroupVersions restores into a version B serves).
     */
    async served(apiVersion: string, kind: string): Promise<Served | undefined> {
        const key = `${apiVersion}/${kind}`;
        if (this.servedCache.has(key)) return this.servedCache.get(key);
        let found = await this.lookup(apiVersion, kind);
        const group = groupOf(apiVersion);
        if (!found && group !== "") {
            const versions = (await this.groupVersions()).get(group) ?? [];
            for (const v of versions.filter((x) => x !== apiVersion)) {
                found = await this.lookup(v, kind);
                if (found) break;
            }
        }
        this.servedCache.set(key, found);
        return found;
    }

    /** Every object of a kind in a namespace (or cluster-wide), by name. */
    async list(served: Served, kind: string, namespace: string | undefined): Promise<Map<string, KubernetesObject>> {
        const out = new Map<string, KubernetesObject>();
        const what = `list ${formatGroupResource(served.plural, groupOf(served.apiVersion))}${namespace ? ` in namespace ${namespace}` : ""}`;
        let token: string | undefined;
        do {
            const from = token;
            const page = await this.session.call(what, () => this.objects.list(served.apiVersion, kind, namespace, undefined, undefined, undefined, undefined, undefined, 500, from));
            for (const item of page.items) if (item.metadata?.name) out.set(item.metadata.name, item);
            const meta = (page.metadata ?? {}) as { _continue?: string; continue?: string };
            token = meta._continue ?? meta.continue ?? undefined;
        } while (token);
        return out;
    }

    /** Recent warning events in a namespace, newest first. */
    async warnings(namespace: string): Promise<Record<string, unknown>[]> {
        const events = await this.list({ apiVersion: "v1", plural: "events", namespaced: true }, "Event", namespace);
        const time = (e: Record<string, unknown>) => new Date((e.lastTimestamp ?? e.eventTime ?? record(e.metadata).creationTimestamp ?? 0) as string | number | Date).getTime() || 0;
        return [...events.values()]
            .map(record)
            .filter((e) => e.type === "Warning")
            .sort((a, b) => time(b) - time(a));
    }
}

/** Warning events about an object, or about what it owns (its Pods and ReplicaSets are named after it). */
function eventsAbout(events: Record<string, unknown>[], name: string): string | undefined {
    const seen = new Set<string>();
    for (const e of events) {
        const involved = str(record(e.involvedObject).name) ?? "";
        if (involved !== name && !involved.startsWith(`${name}-`)) continue;
        seen.add(`${str(e.reason) ?? "Warning"}: ${(str(e.message) ?? "").trim()}`);
        if (seen.size === 3) break;
    }
    return seen.size > 0 ? `events: ${[...seen].join(" | ")}` : undefined;
}

function emptyNamespace(): NamespaceReport {
    return { ready: [], notReady: [], missing: [] };
}

/** One pass over B: what exists and what is ready, per namespace. */
async function inspect(b: ClusterB, expected: readonly ExpectedObject[]): Promise<Record<string, NamespaceReport>> {
    const namespaces: Record<string, NamespaceReport> = {};
    const at = (ns: string | undefined) => (namespaces[ns ?? CLUSTER_SCOPE] ??= emptyNamespace());
    const groups = new Map<string, ExpectedObject[]>();
    for (const o of expected) {
        const key = `${o.apiVersion}\u0000${o.kind}\u0000${o.namespace ?? ""}`;
        groups.set(key, [...(groups.get(key) ?? []), o]);
    }
    const notReadyIn = new Map<string, ObjectReport[]>();
    for (const objs of groups.values()) {
        const { apiVersion, kind, namespace } = objs[0];
        const served = await b.served(apiVersion, kind);
        if (!served) {
            for (const o of objs) at(namespace).missing.push({ apiVersion, kind, name: o.name, reason: `cluster B does not serve ${apiVersion} ${kind}` });
            continue;
        }
        const existing = await b.list(served, kind, served.namespaced ? namespace : undefined);
        for (const o of objs) {
            const found = existing.get(o.name);
            const ref = { apiVersion: served.apiVersion, kind, name: o.name };
            if (!found) {
                at(namespace).missing.push(ref);
                continue;
            }
            const r = readinessOf(groupOf(served.apiVersion), kind, found);
            if (r.ready) {
                at(namespace).ready.push(ref);
            } else {
                const report = { ...ref, reason: r.reason ?? "not ready" };
                at(namespace).notReady.push(report);
                if (namespace) notReadyIn.set(namespace, [...(notReadyIn.get(namespace) ?? []), report]);
            }
        }
    }
    for (const [namespace, reports] of notReadyIn) {
        const events = await b.warnings(namespace);
        for (const r of reports) {
            const about = eventsAbout(events, r.name);
            if (about) r.reason = `${r.reason}; ${about}`;
        }
    }
    return namespaces;
}

function summarize(namespaces: Record<string, NamespaceReport>, leftOut: Record<string, number>) {
    const all = Object.values(namespaces);
    const sum = (f: (n: NamespaceReport) => unknown[]) => all.reduce((t, n) => t + f(n).length, 0);
    const ready = sum((n) => n.ready);
    const notReady = sum((n) => n.notReady);
    const missing = sum((n) => n.missing);
    return { expected: ready + notReady + missing, ready, notReady, missing, leftOut: Object.values(leftOut).reduce((a, b) => a + b, 0) };
}

function sorted(namespaces: Record<string, NamespaceReport>): Record<string, NamespaceReport> {
    const byName = (a: ObjectReport, b: ObjectReport) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
    return Object.fromEntries(
        Object.keys(namespaces)
            .sort()
            .map((k) => [k, { ready: namespaces[k].ready.sort(byName), notReady: namespaces[k].notReady.sort(byName), missing: namespaces[k].missing.sort(byName) }]),
    );
}

/**
 * Checks B until everything expected exists and is ready, or `timeoutMs` passes; the last pass
 * is the report. The session's own deadline must leave that last pass time to finish.
 */
export async function verifyRestore(session: ClusterSession, opts: VerifyOptions): Promise<VerifyReport> {
    const started = Date.now();
    const deadline = started + opts.timeoutMs;
    const b = new ClusterB(session);

    await session.checkCoreApi();
    const restore = await b.restore(opts.veleroNamespace, opts.restore);
    const spec = record(restore.spec);
    const backup = str(spec.backupName) ?? "";
    if (!backup) throw new UserError(`Restore ${opts.veleroNamespace}/${opts.restore} names no backup (spec.backupName); a Restore from a Schedule cannot be verified`);
    const { expected, leftOut } = await opts.expect(spec, restore);
    const wanted = new Set(opts.namespaces);
    const inScope = wanted.size === 0 ? expected : expected.filter((o) => (o.namespace !== undefined ? wanted.has(o.namespace) : o.kind === "Namespace" && wanted.has(o.name)));
    // Nothing to compare is never a pass: a namespace the backup does not hold is a wrong name or a wrong backup.
    const held = new Set(inScope.map((o) => o.namespace ?? (o.kind === "Namespace" ? o.name : "")));
    const absent = [...wanted].filter((ns) => !held.has(ns));
    if (absent.length > 0) throw new UserError(`backup ${backup} holds nothing the Restore brings to namespace ${absent.join(", ")} of cluster B (namespaces it brings: ${[...new Set(expected.map((o) => o.namespace).filter(Boolean))].sort().join(", ") || "none"})`);
    if (inScope.length === 0) throw new UserError(`backup ${backup} holds nothing the Restore ${opts.restore} brings to cluster B: nothing to verify`);

    // Waiting for readiness is this loop's job; a request that fails is the session's to retry.
    for (;;) {
        const namespaces = await inspect(b, inScope);
        const summary = summarize(namespaces, leftOut);
        const report: VerifyReport = {
            restore: opts.restore,
            backup,
            cluster: { server: session.server, context: session.context },
            ok: summary.missing === 0 && summary.notReady === 0,
            summary,
            namespaces: sorted(namespaces),
            leftOut,
            waitedSeconds: Math.round((Date.now() - started) / 1000),
        };
        opts.onPoll?.(report);
        if (report.ok || Date.now() >= deadline) return report;
        await session.sleep(Math.min(opts.intervalMs, Math.max(0, deadline - Date.now())));
    }
}
