/**
 * The `tke2eks:*` stack config as a zod schema: types, defaults and the per-key rules, each
 * with a message that says what is allowed. Cross-key and file checks are in load.ts.
 */
import { z } from "zod";
import { COS_REGIONS } from "./regions";

export const STAGES = ["install", "backup", "restore", "complete"] as const;
export type Stage = (typeof STAGES)[number];

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
const dnsLabel = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit")
    .max(63, "must be at most 63 characters");

/** RFC 1123 subdomain: cluster-scoped object names. */
const dnsSubdomain = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a DNS subdomain: lowercase letters, digits, '-' and '.'")
    .max(253, "must be at most 253 characters");

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

export const clusterSchema = z
    .object(
        {
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
        },
        { error: "must be a map with kubeconfig (required), context, kubernetesVersion, veleroVersion, awsPluginVersion, namespace, snapshotApiVersion, values" },
    )
    .strict();

export type ClusterInput = z.output<typeof clusterSchema>;

export const snapshotsSchema = z
    .object(
        {
            enabled: bool("enabled").default(true),
            className: dnsSubdomain.default("cbs-snapclass"),
            deletionPolicy: z.enum(["Delete", "Retain"], { error: "must be Delete or Retain" }).default("Delete"),
        },
        { error: "must be a map with enabled, className, deletionPolicy" },
    )
    .strict()
    .default({ enabled: true, className: "cbs-snapclass", deletionPolicy: "Delete" });

/** The whole config; load.ts parses it key by key so one bad key hides no other problem. */
export const configSchema = z
    .object({
        region: z.enum(COS_REGIONS, { error: `must be a COS region: ${COS_REGIONS.join(", ")}` }),
        appId: z
            .union([z.string(), z.number().transform(String)])
            .pipe(z.string().regex(/^[1-9]\d{4,14}$/, "must be your Tencent Cloud APPID, digits only (e.g. 1250000000)")),
        bucket: z
            .string({ error: "required: the bucket's name without the -<appId> suffix" })
            .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "must be lowercase letters, digits and '-', not starting or ending with '-'")
            .max(50, "must be at most 50 characters (COS adds -<appId>)"),
        prefix: z
            .string()
            .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "must be a key prefix like velero or teams/shop, without leading or trailing '/'")
            .default("velero"),
        createBucket: bool("createBucket").default(true),
        s3ForcePathStyle: bool("s3ForcePathStyle").default(false),
        backupTtl: z.string().regex(DURATION, "must be a duration in hours, minutes, seconds, like 720h or 72h30m").default("720h"),
        retentionDays: wholeNumber(1, 3650).optional(),
        imageRegistry: z
            .string()
            .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/, "must be a registry host with an optional path, like docker.io or ccr.ccs.tencentyun.com/mirror")
            .default("docker.io"),
        stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(", ")}` }).default("install"),
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
    return [];
}
