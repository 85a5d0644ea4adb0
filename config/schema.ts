/**
 * The `tke2eks:*` stack config as a zod schema: types, defaults and the per-key rules, each
 * with a message that says what is allowed. Cross-key and file checks are in load.ts.
 */
import { z } from "zod";
import { DEFAULT_AWAIT_TIMEOUT } from "../cluster/limits";
import { COS_REGIONS } from "./regions";
import { STAGES } from "./stages";
import { DNS_LABEL, DNS_LABEL_MAX, DNS_SUBDOMAIN, DNS_SUBDOMAIN_MAX } from "../core/names";

/** Oldest Kubernetes each side may run (the migration guide's prerequisites). */
export const MIN_KUBERNETES = { source: "1.18", target: "1.20" } as const;

/** Pulumi passes config as strings; inside objects YAML keeps booleans and numbers. */
const bool = (key: string) =>
    z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], { error: `must be true or false (${key})` });

const wholeNumber = (min: number, max: number) =>
    z
        .union([z.number(), z.string().regex(/^\d+$/).transform(Number)], { error: `must be a whole number from ${min} to ${max}` })
        .pipe(z.number({ error: `must be a whole number from ${min} to ${max}` }).int().min(min).max(max));

/** RFC 1123 label: namespaces. */
export const dnsLabel = z
    .string()
    .regex(DNS_LABEL, "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit")
    .max(DNS_LABEL_MAX, `must be at most ${DNS_LABEL_MAX} characters`);

/** RFC 1123 subdomain: cluster-scoped object names. */
const dnsSubdomain = z
    .string()
    .regex(DNS_SUBDOMAIN, "must be a DNS subdomain: lowercase letters, digits, '-' and '.'")
    .max(DNS_SUBDOMAIN_MAX, `must be at most ${DNS_SUBDOMAIN_MAX} characters`);

/** Go duration as Velero reads it, in whole hours/minutes/seconds: 720h, 72h30m. */
export const DURATION = /^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export function durationHours(d: string): number {
    const m = DURATION.exec(d);
    if (!m) return NaN;
    return Number(m[1] ?? 0) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
}

/** YAML reads an unquoted 1.20 as the number 1.2; keep what the user can see, then check. */
const kubernetesVersion = z
    .union([z.string(), z.number().transform(String)])
    .pipe(z.string().regex(/^v?\d+\.\d+(\.\d+)?$/, "must be a Kubernetes version like \"1.26\" (quoted, so YAML keeps the trailing zero of 1.20)"));

/** A namespace in a Backup or Restore: a DNS label, or `*` for all (Velero's wildcard). */
const namespaceName = z
    .string({ error: "must be a namespace name" })
    .refine((v) => v === "*" || DNS_LABEL.test(v), "must be a namespace name (a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit) or * for all")
    .max(DNS_LABEL_MAX, `must be at most ${DNS_LABEL_MAX} characters`);
const namespaceList = z.array(namespaceName, { error: "must be a list of namespace names" });

/** Velero takes resources as `<resource>[.<group>]` (e.g. deployments.apps), `*` for all. */
const resourceList = z.array(
    z.string().refine((v) => v === "*" || DNS_SUBDOMAIN.test(v), "must be a resource like deployments.apps, configmaps or *"),
    { error: "must be a list of resources like deployments.apps, configmaps" },
);

/** A Kubernetes label selector as the Backup CRD takes it. */
const labelSelectorSchema = z
    .object(
        {
            matchLabels: z.record(z.string(), z.string(), { error: "must be a map of label: value (strings)" }).optional(),
            matchExpressions: z
                .array(
                    z
                        .object({
                            key: z.string().min(1, "must not be empty"),
                            operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"], { error: "must be In, NotIn, Exists or DoesNotExist" }),
                            values: z.array(z.string()).optional(),
                        })
                        .strict(),
                    { error: "must be a list of {key, operator, values}" },
                )
                .optional(),
        },
        { error: "must be a label selector: {matchLabels: {...}, matchExpressions: [...]}" },
    )
    .strict();

/** A step's wait in seconds: long enough for a real backup, bounded so a hang is noticed. */
const timeoutSeconds = (fallback: number) => wholeNumber(10, 86_400).default(fallback);

/** The backup's and restore's waits: `tke2eks await`'s default, over Velero's 4 h itemOperationTimeout. */
const OPERATION_TIMEOUT = DEFAULT_AWAIT_TIMEOUT;

const DURATION_MESSAGE = "must be a duration in hours, minutes, seconds, like 720h or 72h30m";

/**
 * A strict map whose error lists its keys, required ones marked, so the message cannot drift
 * from the schema. A missing map is parsed as `{}` (`prefault`), so its keys' own defaults
 * are the only ones.
 */
function strictMap<S extends z.ZodRawShape>(shape: S) {
    const keys = Object.entries(shape).map(([key, schema]) => (z.safeParse(schema, undefined).success ? key : `${key} (required)`));
    return z.object(shape, { error: `must be a map with ${keys.join(", ")}` }).strict();
}

/** One command Velero runs in a Pod's container around its backup (ExecHook, pkg/apis/velero/v1/backup_types.go:255-273 at v1.18.2). */
const execHookSchema = strictMap({
    /** Absent: the Pod's first container (Velero's default). */
    container: dnsLabel.optional(),
    command: z.array(z.string().min(1, "must not be empty"), { error: "must be a list of strings: the command and its arguments" }).min(1, "must hold the command"),
    onError: z.enum(["Fail", "Continue"], { error: "must be Fail (default: stop the Pod's further hooks; the backup ends PartiallyFailed) or Continue" }).default("Fail"),
    timeout: z.string().regex(DURATION, "must be a duration like 30s or 5m").default("30s"),
});

/** A namespace's backup hooks: Velero's BackupResourceHookSpec for the Pods of that namespace (backup_types.go:206-246). */
const namespaceHooksSchema = strictMap({
    labelSelector: labelSelectorSchema.optional(),
    pre: z.array(execHookSchema, { error: "must be a list of {command, container, onError, timeout}" }).default([]),
    post: z.array(execHookSchema, { error: "must be a list of {command, container, onError, timeout}" }).default([]),
});

/** What to back up from cluster A (tke2eks:backup). */
export const backupSchema = strictMap({
    includedNamespaces: namespaceList.min(1, "must list at least one namespace (or * for all)").optional(),
    excludedNamespaces: namespaceList.default([]),
    includedResources: resourceList.default([]),
    excludedResources: resourceList.default([]),
    labelSelector: labelSelectorSchema.optional(),
    /** Defaults to tke2eks:backupTtl (load.ts). */
    ttl: z.string().regex(DURATION, DURATION_MESSAGE).optional(),
    includeDaemonSets: bool("includeDaemonSets").default(false),
    timeout: timeoutSeconds(OPERATION_TIMEOUT),
    /** Left out when includedNamespaces is *; defaults in load.ts (they need Velero's namespace). */
    wildcardExcludes: namespaceList.optional(),
    /** Pre/post backup hooks per namespace, e.g. a database's flush. */
    hooks: z.record(dnsLabel, namespaceHooksSchema, { error: "must be a map of namespace: {pre, post, labelSelector}" }).default({}),
})
    .prefault({});

export const MODIFIERS_FROM_CLUSTER = "source-cluster";
/** The default: the backup being restored, read from the bucket when the restore stage deploys. */
export const MODIFIERS_FROM_BACKUP = "backup";

/**
 * The team's own restore changes (docs/restore-changes.md): Velero resource-modifier files
 * (read and validated in load.ts for the target's Velero) and the maps that become Velero's
 * change-storage-class and change-image-name ConfigMaps.
 */
const restoreChangesShape = {
    modifiers: z
        .array(z.string().min(1, "must not be empty"), { error: "must be a list of Velero resource-modifier files (YAML or JSON, version v1)" })
        .default([]),
    storageClassMapping: z
        .record(dnsSubdomain, dnsSubdomain, { error: "must be a map of cluster A's StorageClass: cluster B's StorageClass (names: lowercase letters, digits, '-' and '.')" })
        .default({}),
    imageMapping: z
        .record(
            z.string().regex(/^[^,\s]+$/, "must be a part of an image name without commas or spaces, like ccr.ccs.tencentyun.com/team"),
            z.string().regex(/^[^,\s]+$/, "must be what replaces it, without commas or spaces, like 123456789012.dkr.ecr.ap-east-1.amazonaws.com/team"),
            { error: "must be a map of image name part in A: its replacement in B (neither with commas or spaces)" },
        )
        .default({}),
};

/** How cluster B gets the backup (tke2eks:restore). */
export const restoreSchema = strictMap({
    includedNamespaces: namespaceList.default([]),
    excludedNamespaces: namespaceList.default([]),
    includedResources: resourceList.default([]),
    excludedResources: resourceList.default([]),
    namespaceMapping: z.record(dnsLabel, dnsLabel, { error: "must be a map of source namespace: target namespace (DNS labels)" }).default({}),
    existingResourcePolicy: z.enum(["none", "update"], { error: "must be none (default: keep what B already has) or update" }).default("none"),
    /** Defaults to tke2eks:snapshots.enabled (load.ts). */
    restorePVs: bool("restorePVs").optional(),
    allowPartiallyFailed: bool("allowPartiallyFailed").default(false),
    timeout: timeoutSeconds(OPERATION_TIMEOUT),
    /** How long cluster B may take to list the backup (its sync period is shortened meanwhile). */
    syncTimeout: timeoutSeconds(600),
    modifiersFrom: z
        .union([z.literal(MODIFIERS_FROM_BACKUP), z.literal(MODIFIERS_FROM_CLUSTER), z.array(z.string().min(1, "must not be empty"))], {
            error: `must be ${MODIFIERS_FROM_BACKUP} (the default), ${MODIFIERS_FROM_CLUSTER}, a list of manifest files and folders, or a backup tarball file`,
        })
        .optional(),
    nodePortServiceType: z.enum(["ClusterIP", "LoadBalancer"], { error: "must be ClusterIP or LoadBalancer" }).default("ClusterIP"),
    retainIp: bool("retainIp").default(false),
    /** The preflight waiver file: a waived rule no longer stops the restore stage (load.ts reads it). */
    waivers: z.string({ error: "must be the path of a waiver file (YAML or JSON)" }).min(1, "must not be empty").optional(),
    ...restoreChangesShape,
})
    .prefault({});

export const VERIFY_ON_FAILURE = ["fail", "warn"] as const;

/** The complete stage's check of what arrived in B (tke2eks:verify). */
export const verifySchema = strictMap({
    onFailure: z.enum(VERIFY_ON_FAILURE, { error: "must be fail (default: the complete stage fails) or warn (the report is still an output)" }).default("fail"),
    timeout: timeoutSeconds(600),
})
    .prefault({});

/** The two-pass migration's second pass (tke2eks:cutover; docs/cutover.md). */
export const cutoverSchema = strictMap({
    /** The first pass's run name: its Restore must have completed in B before the cut-over starts. */
    firstRun: dnsLabel.optional(),
    /** How long A's Pods may take to go (cutover) or be ready again (rollback). */
    timeout: timeoutSeconds(600),
})
    .prefault({});

export type BackupInput = z.output<typeof backupSchema>;
export type RestoreInput = z.output<typeof restoreSchema>;
export type VerifyConfig = z.output<typeof verifySchema>;
export type CutoverConfig = z.output<typeof cutoverSchema>;

export const clusterSchema = strictMap({
    kubeconfig: z
        .string({ error: "required: the cluster's kubeconfig, as a file path or the file's content" })
        .min(1, "required: the cluster's kubeconfig, as a file path or the file's content"),
    context: z.string().min(1, "must not be empty; leave it out to use the kubeconfig's current-context").optional(),
    kubernetesVersion: kubernetesVersion.optional(),
    veleroVersion: z.union([z.string(), z.number().transform(String)]).optional(),
    awsPluginVersion: z.string().optional(),
    namespace: dnsLabel.default("velero"),
    snapshotApiVersion: z.enum(["v1", "v1beta1"], { error: "must be v1 (default) or v1beta1 (snapshot controllers older than 4.0)" }).default("v1"),
    values: z.record(z.string(), z.unknown(), { error: "must be a map of Velero chart values" }).default({}),
    /** Raised by one to rotate the cluster's COS key (docs/configuration.md: rotating a cluster's key). */
    keyGeneration: wholeNumber(1, 1000).default(1),
});

export type ClusterInput = z.output<typeof clusterSchema>;

export const snapshotsSchema = strictMap({
    enabled: bool("enabled").default(true),
    className: dnsSubdomain.default("cbs-snapclass"),
    deletionPolicy: z.enum(["Delete", "Retain"], { error: "must be Delete or Retain" }).default("Delete"),
})
    .prefault({});

/**
 * COS bucket rules as the Terraform provider checks them (terraform-provider-tencentcloud
 * v1.83.25, tencentcloud/common/validators.go L240-251, ValidateCosBucketName): the full name
 * matches `^[a-z0-9]([a-z0-9-]*[a-z0-9])?-[0-9]{10}$` and is at most 60 characters, so the APPID
 * is 10 digits and the name before it at most 49.
 */
export const APPID_DIGITS = 10;
export const APPID = new RegExp(`^[0-9]{${APPID_DIGITS}}$`);
export const BUCKET_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
export const BUCKET_MAX = 60;
export const BUCKET_NAME_MAX = BUCKET_MAX - 1 - APPID_DIGITS;
const keyPrefix = z
    .string()
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "must be a key prefix like velero or teams/shop, without leading or trailing '/'");

/**
 * An S3 endpoint as Velero's s3Url takes it: https, or http on a loopback address only (a
 * local rehearsal's S3 server): keys must not cross a network in clear.
 */
const LOOPBACK_HTTP_ORIGIN = String.raw`http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?`;
const S3_ENDPOINT = new RegExp(String.raw`^(https:\/\/[a-z0-9.-]+(:\d+)?|${LOOPBACK_HTTP_ORIGIN})\/?$`);
/** An endpoint on this machine, which only a local S3 server has. */
export const LOOPBACK_HTTP = new RegExp(String.raw`^${LOOPBACK_HTTP_ORIGIN}\/?$`);
const credential = z.string({ error: "required: a secret, set with pulumi config set --secret --path" }).min(1, "must not be empty");

/**
 * Bring your own bucket (tke2eks:existingBucket): an S3-compatible bucket that already exists,
 * its endpoint and one key for both clusters. The stack then declares no COS or CAM resource.
 */
export const existingBucketSchema = strictMap({
    /** The bucket's full name as the S3 API knows it (with a COS bucket, the -<APPID> included). */
    name: z
        .string({ error: "required: the bucket's full name" })
        .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "must be an S3 bucket name: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit")
        .min(3, "must be at least 3 characters")
        .max(63, "must be at most 63 characters"),
    endpoint: z
        .string({ error: "required: the S3 endpoint URL, e.g. https://cos.ap-guangzhou.myqcloud.com" })
        .regex(S3_ENDPOINT, "must be an S3 endpoint URL without a path: https://host[:port], or http://127.0.0.1:PORT for a local S3 server"),
    /** The region the S3 client signs with. */
    region: z.string({ error: "required: the region the bucket's S3 API signs with, e.g. us-east-1 or ap-guangzhou" }).regex(/^[a-z0-9-]+$/, "must be a region name like us-east-1 or ap-guangzhou"),
    s3ForcePathStyle: bool("s3ForcePathStyle").default(false),
    accessKeyId: credential,
    secretAccessKey: credential,
}).optional();

/**
 * Where Helm takes the Velero chart (at PINNED_CHART's version): a chart repository URL, an
 * OCI reference to the chart, or a local .tgz of it for clusters without internet access.
 */
export const chartSchema = z
    .string({ error: "must be a chart repository URL, an oci:// reference or a .tgz file" })
    .regex(/^(https?:\/\/\S+|oci:\/\/\S+\/velero|[^:]*\.tgz)$/, "must be a chart repository URL (https://...), an OCI reference ending in /velero (oci://registry/path/velero) or the path of the chart's .tgz file")
    .optional();

/** The whole config; load.ts parses it key by key so one bad key hides no other problem. */
export const configSchema = z
    .object({
        /** region, appId and bucket describe the COS bucket the stack manages; load.ts requires them without existingBucket. */
        region: z.enum(COS_REGIONS, { error: `must be a COS region: ${COS_REGIONS.join(", ")}` }).optional(),
        appId: z
            .union([z.string(), z.number().transform(String)])
            .pipe(z.string().regex(APPID, `must be your Tencent Cloud APPID: ${APPID_DIGITS} digits (e.g. 1250000000)`))
            .optional(),
        bucket: z
            .string({ error: "required: the bucket's name without the -<appId> suffix" })
            .regex(BUCKET_NAME, "must be lowercase letters, digits and '-', not starting or ending with '-'")
            .max(BUCKET_NAME_MAX, `must be at most ${BUCKET_NAME_MAX} characters: with -<APPID> added the bucket name is at most ${BUCKET_MAX} in all`)
            .optional(),
        existingBucket: existingBucketSchema,
        chart: chartSchema,
        prefix: keyPrefix.default("velero"),
        /** Cluster B's own backups after the migration; defaults to `<prefix>-eks` (load.ts). */
        targetPrefix: keyPrefix.optional(),
        createBucket: bool("createBucket").default(true),
        s3ForcePathStyle: bool("s3ForcePathStyle").default(false),
        backupTtl: z.string().regex(DURATION, DURATION_MESSAGE).default("720h"),
        retentionDays: wholeNumber(1, 3650).optional(),
        imageRegistry: z
            .string()
            .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/, "must be a registry host with an optional path, like docker.io or ccr.ccs.tencentyun.com/mirror")
            .default("docker.io"),
        stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(", ")}` }).default("install"),
        /**
         * Names the Backup and the Restore of one migration run; it becomes the
         * `velero.io/restore-name` label value, hence a DNS label.
         */
        run: dnsLabel.optional(),
        backup: backupSchema,
        restore: restoreSchema,
        verify: verifySchema,
        cutover: cutoverSchema,
        snapshots: snapshotsSchema,
        source: clusterSchema,
        target: clusterSchema,
    })
    .strict();

/** The keys allowed at a path of the config, for messages about unknown ones. */
export function knownKeys(path: readonly PropertyKey[]): string[] {
    if (path.length === 0) return Object.keys(configSchema.shape);
    if (path.length === 1 && path[0] === "snapshots") return Object.keys(snapshotsSchema.unwrap().shape);
    if (path.length === 1 && (path[0] === "source" || path[0] === "target")) return Object.keys(clusterSchema.shape);
    if (path.length === 1 && path[0] === "backup") return Object.keys(backupSchema.unwrap().shape);
    if (path.length === 1 && path[0] === "restore") return Object.keys(restoreSchema.unwrap().shape);
    if (path.length === 1 && path[0] === "verify") return Object.keys(verifySchema.unwrap().shape);
    if (path.length === 1 && path[0] === "cutover") return Object.keys(cutoverSchema.unwrap().shape);
    if (path.length === 1 && path[0] === "existingBucket") return Object.keys(existingBucketSchema.unwrap().shape);
    if (path.length === 2 && path[0] === "backup" && path[1] === "labelSelector") return Object.keys(labelSelectorSchema.shape);
    return [];
}
