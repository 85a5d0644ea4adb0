/**
 * Turns the raw stack config (what Pulumi hands the program: `tke2eks:<key>` → string) into
 * the typed MigrationConfig, or one ConfigError listing every problem: schema rules first,
 * then the rules that look across keys or at files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { distance } from "fastest-levenshtein";
import type { z } from "zod";
import { isInlineKubeconfig, kubeconfigSource, readKubeconfig, type Kubeconfig } from "../cluster/kubeconfigFile";
import { CLUSTER_ROLES, type ClusterRole } from "./naming";
import { parseConfigValue } from "./configValue";
import { ConfigError, type ConfigIssue } from "./errors";
import { expandPaths } from "../preflight/manifests";
import { loadWaivers, type Waiver } from "../preflight/waivers";
import { checkImageMapping, checkModifierFiles, type UserModifierFile } from "./restoreChanges";
import { configSchema, durationHours, knownKeys, LOOPBACK_HTTP, MIN_KUBERNETES, MODIFIERS_FROM_BACKUP, MODIFIERS_FROM_CLUSTER, type BackupInput, type ClusterInput, type RestoreInput, type VerifyConfig, type CutoverConfig } from "./schema";
import { resolveVeleroRelease, type VeleroRelease } from "./veleroRelease";
import { COS_REGIONS } from "./regions";
import { stageFrom, type Stage } from "./stages";
import { cosBucketName, cosEndpoint } from "../core/names";
import { PINNED_CHART, versionAtLeast } from "../rules/veleroVersions";
import { isRecord } from "../rules/objects";
import { UserError } from "../core/errors";

export const NAMESPACE = "tke2eks";

export interface ClusterConfig {
    role: ClusterRole;
    kubeconfig: Kubeconfig;
    kubernetesVersion?: string;
    velero: VeleroRelease;
    /** Namespace Velero is installed in. */
    namespace: string;
    /** VolumeSnapshotClass API version this cluster's snapshot controller serves. */
    snapshotApiVersion: "v1" | "v1beta1";
    /** Extra Velero chart values, merged over ours. */
    values: Record<string, unknown>;
    /** Which COS key the cluster's Velero uses: raising it rotates the key (docs/configuration.md: rotating a cluster's key). */
    keyGeneration: number;
}

export interface BackupConfig extends Omit<BackupInput, "ttl" | "includedNamespaces" | "wildcardExcludes"> {
    /** Empty only in the install stage, where no Backup exists. */
    includedNamespaces: string[];
    ttl: string;
    /** Namespaces `*` leaves out. */
    wildcardExcludes: string[];
}

/**
 * What `*` leaves out unless configured: the cluster's own machinery, which B has its own of
 * (restoring A's would overwrite or duplicate it), and Velero's namespace (its Backups,
 * credentials and install belong to A).
 */
export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

/** Velero treats a location's prefix as a folder of its own: another location inside it makes it invalid. */
function nestedPrefixes(a: string, b: string): boolean {
    return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/**
 * Where the objects whose automatic fixes become restore modifiers come from: the backup in
 * the bucket at deploy time (also when unset), manifests, a backup tarball file, or cluster A.
 */
export type ModifiersSource =
    | { kind: "backup" }
    | { kind: "manifests"; paths: string[]; given: string[] }
    | { kind: "backup-file"; path: string; given: string }
    | { kind: "source-cluster" };

export interface RestoreConfig extends Omit<RestoreInput, "restorePVs" | "modifiersFrom" | "waivers" | "modifiers"> {
    restorePVs: boolean;
    /** Absent: the backup in the bucket, at deploy time. */
    modifiersFrom?: ModifiersSource;
    /** tke2eks:restore.waivers, read and checked when the config loads. */
    waivers?: { path: string; given: string; entries: Waiver[] };
    /** tke2eks:restore.modifiers, read and validated for the target's Velero when the config loads. */
    modifiers: UserModifierFile[];
}

/** The COS bucket and CAM keys the stack manages (the default). */
export interface CosStore {
    kind: "cos";
    appId: string;
    /** Bucket name as configured, without the APPID. */
    bucketName: string;
    createBucket: boolean;
    /** Days COS keeps backup objects; never less than the TTL. */
    retentionDays: number;
}

/** A bucket and key that already exist (tke2eks:existingBucket): the stack declares neither. */
export interface ExistingStore {
    kind: "existing";
    accessKeyId: string;
    secretAccessKey: string;
}

/** Where Helm takes the Velero chart from (tke2eks:chart); PINNED_CHART's repository by default. */
export type ChartSource = { kind: "repository"; url: string } | { kind: "oci"; ref: string } | { kind: "file"; path: string; given: string };

export interface MigrationConfig {
    /** The region the bucket's S3 API signs with (a COS region unless the bucket is the user's own). */
    region: string;
    /** Full bucket name (a COS bucket's `<bucketName>-<appId>`). */
    bucket: string;
    /** The S3 endpoint, Velero's s3Url. */
    endpoint: string;
    store: CosStore | ExistingStore;
    chart: ChartSource;
    prefix: string;
    /** Cluster B's own location's prefix (its backups after the migration), beside `prefix`. */
    targetPrefix: string;
    s3ForcePathStyle: boolean;
    /** Velero's default backup TTL (Go duration). */
    backupTtl: string;
    imageRegistry: string;
    stage: Stage;
    /** The migration run's name (Backup and Restore); set from the backup stage on. */
    run?: string;
    backup: BackupConfig;
    restore: RestoreConfig;
    verify: VerifyConfig;
    cutover: CutoverConfig;
    snapshots: { enabled: boolean; className: string; deletionPolicy: "Delete" | "Retain" };
    clusters: Record<ClusterRole, ClusterConfig>;
}

export interface LoadOptions {
    /** Where relative kubeconfig paths start (the folder holding Pulumi.yaml). */
    projectDir: string;
    /** Full keys whose values are secrets (never echoed). */
    secretKeys?: readonly string[];
    /** For the error's headline. */
    stack?: string;
}

/** Days COS keeps objects past the TTL unless configured: time to notice a bad expiry. */
const RETENTION_MARGIN_DAYS = 30;

/** The `tke2eks:<key>` entries as one object; other namespaces (aws:, kubernetes:) are not ours. */
function collect(raw: Record<string, string>): Record<string, unknown> {
    const input: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(raw)) {
        const colon = fullKey.indexOf(":");
        if (fullKey.slice(0, colon) !== NAMESPACE) continue;
        input[fullKey.slice(colon + 1)] = parseConfigValue(value);
    }
    return input;
}

/**
 * Keys whose project prefix is a near miss of ours (`tke2ek:region`, `TKE2EKS:stage`): Pulumi
 * keeps them without a word and the program would never read them. Two edits at most, so other
 * providers' prefixes (aws, kubernetes, tencentcloud) never match. Values are not shown: one may be a secret.
 */
function misspeltPrefixes(raw: Record<string, string>): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    for (const fullKey of Object.keys(raw)) {
        const colon = fullKey.indexOf(":");
        const prefix = fullKey.slice(0, colon);
        if (colon < 0 || prefix === NAMESPACE || distance(prefix.toLowerCase(), NAMESPACE) > 2) continue;
        out.push({ key: fullKey, message: `never read: the project's keys start with "${NAMESPACE}:"; did you mean ${NAMESPACE}:${fullKey.slice(colon + 1)}?` });
    }
    return out;
}

function keyOf(path: readonly PropertyKey[]): string {
    return NAMESPACE + ":" + path.map((p, i) => (typeof p === "number" ? `[${p}]` : (i ? "." : "") + String(p))).join("");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
    let cur = input;
    for (const p of path) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<PropertyKey, unknown>)[p];
    }
    return cur;
}

/** How a value appears in a message: short, and never a secret or a kubeconfig's content. */
function show(value: unknown, secret: boolean): string | undefined {
    if (value === undefined) return undefined;
    if (secret || (typeof value === "string" && isInlineKubeconfig(value) && value.length > 0)) return "[secret]";
    const s = JSON.stringify(value) ?? String(value);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
}

function schemaIssues(input: Record<string, unknown>, error: z.ZodError, at: readonly PropertyKey[], isSecret: (path: readonly PropertyKey[]) => boolean): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    for (const issue of error.issues) {
        const path = [...at, ...issue.path];
        if (issue.code === "unrecognized_keys") {
            const allowed = knownKeys(path);
            for (const k of issue.keys) out.push({ key: keyOf([...path, k]), message: `unknown key; allowed here: ${allowed.join(", ")}` });
            continue;
        }
        const value = valueAt(input, path);
        const message = value === undefined && !issue.message.startsWith("required") ? `required: ${issue.message}` : issue.message;
        const shown = show(value, isSecret(path));
        out.push({ key: keyOf(path), ...(shown === undefined ? {} : { value: shown }), message });
    }
    return out;
}

type Shape = typeof configSchema.shape;
type Parsed = { [K in keyof Shape]?: z.output<Shape[K]> };

/**
 * Each top-level key on its own, so one bad key does not hide the others' problems (nor
 * the file and cross-key checks that only need the good ones).
 */
function parseEach(input: Record<string, unknown>, isSecret: (path: readonly PropertyKey[]) => boolean, issues: ConfigIssue[]): Parsed {
    const shape = configSchema.shape;
    const known = knownKeys([]);
    for (const k of Object.keys(input)) {
        if (!known.includes(k)) issues.push({ key: keyOf([k]), message: `unknown key; allowed here: ${known.join(", ")}` });
    }
    const parsed: Record<string, unknown> = {};
    for (const k of known as (keyof Shape)[]) {
        const r = shape[k].safeParse(input[k]);
        if (r.success) parsed[k] = r.data;
        else issues.push(...schemaIssues(input, r.error, [k], isSecret));
    }
    return parsed as Parsed;
}

function checkCluster(role: ClusterRole, c: ClusterInput, opts: LoadOptions, secret: boolean, issues: ConfigIssue[]): ClusterConfig | undefined {
    const key = (field: string) => keyOf([role, field]);
    const shown = (value: unknown) => show(value, secret);
    let ok = true;

    if (c.kubernetesVersion !== undefined && versionAtLeast(c.kubernetesVersion, MIN_KUBERNETES[role]) === false) {
        const hint = /^v?\d+\.\d$/.test(c.kubernetesVersion) ? ` (if you meant ${c.kubernetesVersion}0, quote it: YAML reads 1.20 as 1.2)` : "";
        issues.push({ key: key("kubernetesVersion"), value: shown(c.kubernetesVersion), message: `the ${role} cluster must run Kubernetes ${MIN_KUBERNETES[role]} or newer${hint}` });
        ok = false;
    }

    const resolved = resolveVeleroRelease(c.veleroVersion, c.awsPluginVersion);
    if ("problems" in resolved) {
        for (const p of resolved.problems) issues.push({ key: key(p.field), value: shown(c[p.field]), message: p.message });
        ok = false;
    }

    const loaded = readKubeconfig(kubeconfigSource(c.kubeconfig, opts.projectDir), { ...(c.context !== undefined ? { context: c.context } : {}), contextOption: key("context") });
    if ("problem" in loaded) {
        const field = loaded.problem.field;
        const value = field === "context" ? c.context : c.kubeconfig;
        const v = shown(value);
        issues.push({ key: key(field), ...(v === undefined ? {} : { value: v }), message: `${role} cluster: ${loaded.problem.message}` });
        ok = false;
    }

    if (!ok || "problems" in resolved || "problem" in loaded) return undefined;
    const cluster: ClusterConfig = {
        role,
        kubeconfig: loaded.kubeconfig,
        velero: resolved.release,
        namespace: c.namespace,
        snapshotApiVersion: c.snapshotApiVersion,
        values: c.values,
        keyGeneration: c.keyGeneration,
    };
    if (c.kubernetesVersion !== undefined) cluster.kubernetesVersion = c.kubernetesVersion;
    return cluster;
}

/** Two source namespaces restored into one target would overwrite each other's objects. */
function checkNamespaceMapping(mapping: Record<string, string>, backedUp: readonly string[] | undefined, issues: ConfigIssue[]): void {
    const bySource = new Map<string, string>();
    for (const [from, to] of Object.entries(mapping)) {
        const earlier = bySource.get(to);
        if (earlier !== undefined) {
            issues.push({ key: keyOf(["restore", "namespaceMapping", from]), value: JSON.stringify(to), message: `${from} and ${earlier} are both mapped onto ${to}; each target namespace may receive one source namespace` });
        } else {
            bySource.set(to, from);
        }
        if (backedUp && !backedUp.includes("*") && !backedUp.includes(from)) {
            issues.push({ key: keyOf(["restore", "namespaceMapping", from]), message: `${from} is not backed up (tke2eks:backup.includedNamespaces: ${backedUp.join(", ")}), so there is nothing to map` });
        }
    }
    // An unmapped backed-up namespace keeps its name: it must not land on a mapping target.
    for (const ns of backedUp ?? []) {
        const earlier = bySource.get(ns);
        if (ns !== "*" && mapping[ns] === undefined && earlier !== undefined) {
            issues.push({ key: keyOf(["restore", "namespaceMapping", earlier]), value: JSON.stringify(ns), message: `${ns} is also backed up and restored under its own name; mapping ${earlier} onto it would mix the two` });
        }
    }
}

const TARBALL = /\.(tar\.gz|tgz)$/;

/** A backup tarball file stands alone: it is the whole backup, not a part to add manifests to. */
function checkBackupFile(from: string[], projectDir: string, issues: ConfigIssue[]): ModifiersSource | undefined {
    const at = from.findIndex((p) => TARBALL.test(p));
    const p = from[at];
    const key = keyOf(["restore", "modifiersFrom", at]);
    if (from.length > 1) {
        issues.push({ key, value: JSON.stringify(p), message: "a backup tarball is the whole backup: list it alone, without manifests or other tarballs" });
        return undefined;
    }
    const full = path.resolve(projectDir, p);
    const unreadable = whyUnreadable(full);
    if (unreadable) {
        issues.push({ key, value: JSON.stringify(p), message: `cannot be read: ${unreadable}` });
        return undefined;
    }
    return { kind: "backup-file", path: full, given: p };
}

/** Manifest paths (or one tarball) relative to the project; each must be readable now, not at restore time. */
function checkModifiersFrom(from: string | string[], projectDir: string, issues: ConfigIssue[]): ModifiersSource | undefined {
    if (from === MODIFIERS_FROM_CLUSTER) return { kind: "source-cluster" };
    if (from === MODIFIERS_FROM_BACKUP) return { kind: "backup" };
    if ([...from].some((p) => TARBALL.test(p))) return checkBackupFile([...from], projectDir, issues);
    const paths: string[] = [];
    const given: string[] = [];
    for (const [i, p] of [...from].entries()) {
        const full = path.resolve(projectDir, p);
        try {
            if (expandPaths([full]).length === 0) {
                issues.push({ key: keyOf(["restore", "modifiersFrom", i]), value: JSON.stringify(p), message: `no .yaml, .yml or .json manifests in ${full}` });
                continue;
            }
        } catch (err) {
            issues.push({ key: keyOf(["restore", "modifiersFrom", i]), value: JSON.stringify(p), message: `cannot be read: ${(err as Error).message}` });
            continue;
        }
        paths.push(full);
        given.push(p);
    }
    return { kind: "manifests", paths, given };
}

/** The waiver file, relative to the project; read now, so a bad one stops `pulumi preview` with the other config problems. */
function checkWaivers(given: string, projectDir: string, issues: ConfigIssue[]): RestoreConfig["waivers"] {
    const full = path.resolve(projectDir, given);
    try {
        return { path: full, given, entries: loadWaivers(full) };
    } catch (err) {
        if (!(err instanceof UserError)) throw err;
        issues.push({ key: keyOf(["restore", "waivers"]), value: JSON.stringify(given), message: err.message });
        return undefined;
    }
}

function restoreConfig(r: RestoreInput, snapshots: boolean, modifiersFrom: ModifiersSource | undefined, waivers: RestoreConfig["waivers"], modifiers: UserModifierFile[]): RestoreConfig {
    // PV data comes back only from the CSI snapshots the backup took.
    const out: RestoreConfig = { ...r, restorePVs: r.restorePVs ?? snapshots, modifiersFrom, waivers, modifiers };
    if (!modifiersFrom) delete out.modifiersFrom;
    if (!waivers) delete out.waivers;
    return out;
}

const CREDENTIAL_FIELDS = ["accessKeyId", "secretAccessKey"];

/** Keys that only describe the COS bucket the stack manages. */
const COS_ONLY_KEYS = ["region", "appId", "bucket", "createBucket", "retentionDays", "s3ForcePathStyle"] as const;

/** A bucket of the user's own: no COS key applies, and its key must be a secret (but a local server's). */
function checkExistingBucket(input: Record<string, unknown>, secretKeys: ReadonlySet<string>, issues: ConfigIssue[]): void {
    for (const k of COS_ONLY_KEYS) {
        if (input[k] === undefined) continue;
        const instead = k === "s3ForcePathStyle" ? "tke2eks:existingBucket.s3ForcePathStyle" : k === "region" ? "tke2eks:existingBucket.region" : "nothing: the stack manages no bucket";
        issues.push({ key: keyOf([k]), value: show(input[k], false), message: `not used with tke2eks:existingBucket (the stack creates no COS bucket); remove it (the setting is ${instead})` });
    }
    // A local S3 server's key (s3rver's fixed S3RVER pair in the sandbox) guards nothing and never
    // leaves the machine: a rehearsal's stack file may hold it in clear. Any other must be encrypted.
    const endpoint = isRecord(input.existingBucket) ? input.existingBucket.endpoint : undefined;
    if (!secretKeys.has(`${NAMESPACE}:existingBucket`) && !(typeof endpoint === "string" && LOOPBACK_HTTP.test(endpoint))) {
        issues.push({
            key: keyOf(["existingBucket", "secretAccessKey"]),
            value: "[secret]",
            message: "must be a secret: set it with pulumi config set --secret --path tke2eks:existingBucket.secretAccessKey, so the stack file holds it encrypted",
        });
    }
}

/** The COS bucket the stack manages needs its region, APPID and name. */
function checkCosBucket(input: Record<string, unknown>, c: { region?: string; appId?: string; bucket?: string }, issues: ConfigIssue[]): void {
    const needs: Record<"region" | "appId" | "bucket", string> = {
        region: `a COS region: ${COS_REGIONS.join(", ")}`,
        appId: "your Tencent Cloud APPID (10 digits)",
        bucket: "the bucket's name without the -<appId> suffix",
    };
    for (const k of ["region", "appId", "bucket"] as const) {
        if (c[k] === undefined && input[k] === undefined) issues.push({ key: keyOf([k]), message: `required: ${needs[k]} (or tke2eks:existingBucket, to use a bucket of your own)` });
    }
}

/** Why a file a key names cannot be read now (undefined: it can), in the words both file keys use. */
function whyUnreadable(full: string): string | undefined {
    try {
        if (!fs.statSync(full).isFile()) return `${full} is not a file`;
        fs.accessSync(full, fs.constants.R_OK);
        return undefined;
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return code === "ENOENT" ? `${full}: no such file` : (err as Error).message;
    }
}

/** The chart source: a .tgz must be readable now, so an air-gapped preview fails before Helm does. */
function checkChart(given: string | undefined, projectDir: string, issues: ConfigIssue[]): ChartSource | undefined {
    if (given === undefined) return { kind: "repository", url: PINNED_CHART.repo };
    if (given.startsWith("oci://")) return { kind: "oci", ref: given };
    if (/^https?:\/\//.test(given)) return { kind: "repository", url: given.replace(/\/+$/, "") };
    const full = path.resolve(projectDir, given);
    const unreadable = whyUnreadable(full);
    if (unreadable) {
        issues.push({ key: keyOf(["chart"]), value: JSON.stringify(given), message: `cannot be read: ${unreadable}; give the Velero chart ${PINNED_CHART.version} .tgz (helm pull vmware-tanzu/velero --version ${PINNED_CHART.version})` });
        return undefined;
    }
    return { kind: "file", path: full, given };
}

/** Validates the whole config; throws ConfigError with every problem found. */
/**
 * The second pass needs the first's name (a new run name of its own) and the namespaces it
 * scales down named; the rollback, those namespaces. The order itself is checked when it runs:
 * the first pass's Restore must have completed in B (components/cutoverSteps.ts).
 */
function checkCutover(stage: Stage, run: unknown, firstRun: string | undefined, namespaces: readonly string[] | undefined, issues: ConfigIssue[]): void {
    if (namespaces?.includes("*")) {
        issues.push({ key: keyOf(["backup", "includedNamespaces"]), value: JSON.stringify(namespaces), message: `must name the migrated namespaces in stage ${stage}: it scales their workloads in cluster A (not * for all)` });
    }
    if (stage !== "cutover") return;
    if (firstRun === undefined) {
        issues.push({ key: keyOf(["cutover", "firstRun"]), message: "required in stage cutover: the run name of the first pass (its Restore must have completed in B), e.g. shop-1" });
    } else if (firstRun === run) {
        issues.push({ key: keyOf(["cutover", "firstRun"]), value: JSON.stringify(firstRun), message: `must differ from tke2eks:run in stage cutover: the cut-over is a new Backup and Restore under a new run name, e.g. ${firstRun}-final` });
    }
}

export function loadMigrationConfig(raw: Record<string, string>, opts: LoadOptions): MigrationConfig {
    const secretKeys = new Set(opts.secretKeys ?? []);
    const input = collect(raw);
    // `pulumi config set --secret --path` marks the whole map secret; of the bucket's, only the key is.
    const isSecret = (path: readonly PropertyKey[]) =>
        path[0] === "existingBucket" ? path.length !== 2 || CREDENTIAL_FIELDS.includes(String(path[1])) : path.length > 0 && secretKeys.has(`${NAMESPACE}:${String(path[0])}`);
    const issues: ConfigIssue[] = misspeltPrefixes(raw);
    const c = parseEach(input, isSecret, issues);

    if (c.bucket !== undefined && c.appId !== undefined && c.bucket.endsWith(`-${c.appId}`)) {
        issues.push({ key: keyOf(["bucket"]), value: JSON.stringify(c.bucket), message: `give the name without the -${c.appId} suffix; it is added for you` });
    }
    // Given at all (even unparsable), the bucket is the user's: the COS keys are then the mistake.
    const byo = input.existingBucket !== undefined;
    if (byo) checkExistingBucket(input, secretKeys, issues);
    else checkCosBucket(input, c, issues);
    if (c.s3ForcePathStyle && c.createBucket && !byo) {
        issues.push({
            key: keyOf(["s3ForcePathStyle"]),
            value: "true",
            message: "COS refuses path-style requests to buckets created after 2024-01-01, so a bucket this stack creates needs false; true is only for an existing older bucket (createBucket: false)",
        });
    }
    const ttlDays = c.backupTtl === undefined ? undefined : Math.ceil(durationHours(c.backupTtl) / 24);
    const retentionDays = byo ? undefined : (c.retentionDays ?? (ttlDays === undefined ? undefined : ttlDays + RETENTION_MARGIN_DAYS));
    if (ttlDays !== undefined && retentionDays !== undefined && retentionDays < ttlDays) {
        issues.push({ key: keyOf(["retentionDays"]), value: String(retentionDays), message: `COS would expire backups before Velero's TTL (${c.backupTtl} = ${ttlDays} days); use at least ${ttlDays}` });
    }

    const backupTtl = c.backup?.ttl ?? c.backupTtl;
    if (c.backup?.ttl !== undefined && retentionDays !== undefined && durationHours(c.backup.ttl) > retentionDays * 24) {
        issues.push({ key: keyOf(["backup", "ttl"]), value: JSON.stringify(c.backup.ttl), message: `longer than COS keeps the backup's objects (${retentionDays} days, tke2eks:retentionDays); use at most ${retentionDays * 24}h` });
    }
    if (c.stage !== undefined && stageFrom(c.stage, "backup")) {
        if (c.run === undefined && input.run === undefined) {
            issues.push({ key: keyOf(["run"]), message: `required from stage backup on: a name for this migration run (a DNS label, e.g. shop-1); a new name starts a new backup and restore` });
        }
        if (c.backup !== undefined && c.backup.includedNamespaces === undefined) {
            issues.push({ key: keyOf(["backup", "includedNamespaces"]), message: `required from stage backup on: the namespaces to migrate, e.g. [shop, minio], or ["*"] for all` });
        }
    }
    if (c.stage !== undefined && stageFrom(c.stage, "cutover")) checkCutover(c.stage, c.run ?? input.run, c.cutover?.firstRun, c.backup?.includedNamespaces, issues);
    const targetPrefix = c.targetPrefix ?? (c.prefix === undefined ? undefined : `${c.prefix}-eks`);
    if (c.targetPrefix !== undefined && c.prefix !== undefined && nestedPrefixes(c.targetPrefix, c.prefix)) {
        // pkg/persistence/object_store.go:219-241 (v1.18.2): a location whose prefix holds folders
        // other than Velero's own (backups, restores, ...) is marked Unavailable.
        issues.push({
            key: keyOf(["targetPrefix"]),
            value: JSON.stringify(c.targetPrefix),
            message: `must be beside tke2eks:prefix (${c.prefix}), not the same, inside it or around it: Velero marks a location Unavailable when its prefix holds another location's folders; e.g. ${c.prefix}-eks`,
        });
    }
    if (c.restore !== undefined) {
        checkNamespaceMapping(c.restore.namespaceMapping, c.backup?.includedNamespaces, issues);
    }
    const modifiersFrom = c.restore?.modifiersFrom === undefined ? undefined : checkModifiersFrom(c.restore.modifiersFrom, opts.projectDir, issues);
    const waivers = c.restore?.waivers === undefined ? undefined : checkWaivers(c.restore.waivers, opts.projectDir, issues);
    const chart = checkChart(c.chart, opts.projectDir, issues);

    const clusters: Partial<Record<ClusterRole, ClusterConfig>> = {};
    for (const role of CLUSTER_ROLES) {
        const given = c[role];
        const cluster = given && checkCluster(role, given, opts, isSecret([role]), issues);
        if (cluster) clusters[role] = cluster;
    }
    const { source, target } = clusters;
    // Validated for the target's Velero; with the target itself in error, for the newest rules.
    const userModifiers = checkModifierFiles(c.restore?.modifiers ?? [], opts.projectDir, target?.velero.velero, (i) => keyOf(["restore", "modifiers", i]), issues);
    checkImageMapping(c.restore?.imageMapping ?? {}, (from) => keyOf(["restore", "imageMapping", from]), issues);
    if (source && target && source.kubeconfig.server && source.kubeconfig.server === target.kubeconfig.server) {
        issues.push({ key: keyOf(["target", "context"]), value: show(target.kubeconfig.context, isSecret(["target"])), message: `source and target are the same cluster (${source.kubeconfig.server}); the target must be the serverless cluster` });
    }

    if (issues.length > 0) throw new ConfigError(issues, opts.stack);
    // With no issue every key parsed (all have defaults or were required).
    const ok = c as Required<Parsed>;
    const existing = c.existingBucket;
    const where = existing
        ? {
              region: existing.region,
              bucket: existing.name,
              endpoint: existing.endpoint.replace(/\/$/, ""),
              s3ForcePathStyle: existing.s3ForcePathStyle,
              store: { kind: "existing", accessKeyId: existing.accessKeyId, secretAccessKey: existing.secretAccessKey } as const,
          }
        : {
              region: ok.region,
              bucket: cosBucketName(ok.bucket, ok.appId),
              endpoint: cosEndpoint(ok.region),
              s3ForcePathStyle: ok.s3ForcePathStyle,
              store: { kind: "cos", appId: ok.appId, bucketName: ok.bucket, createBucket: ok.createBucket, retentionDays: retentionDays as number } as const,
          };
    return {
        ...where,
        chart: chart as ChartSource,
        prefix: ok.prefix,
        targetPrefix: targetPrefix as string,
        backupTtl: ok.backupTtl,
        imageRegistry: ok.imageRegistry,
        stage: ok.stage,
        ...(ok.run === undefined ? {} : { run: ok.run }),
        backup: {
            ...ok.backup,
            includedNamespaces: ok.backup.includedNamespaces ?? [],
            ttl: backupTtl as string,
            wildcardExcludes: ok.backup.wildcardExcludes ?? [...SYSTEM_NAMESPACES, (source as ClusterConfig).namespace],
        },
        restore: restoreConfig(ok.restore, ok.snapshots.enabled, modifiersFrom, waivers, userModifiers),
        verify: ok.verify,
        cutover: ok.cutover,
        snapshots: ok.snapshots,
        clusters: { source: source as ClusterConfig, target: target as ClusterConfig },
    };
}
