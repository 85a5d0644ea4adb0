/**
 * `plan --format text`: what each place gets (Tencent Cloud, the source cluster, the target
 * cluster), the few inputs that matter per resource, then the policy pack's verdict.
 * `--format json` / `yaml` have every input.
 */
import { createColors } from "picocolors";
import { stringify } from "yaml";
import { CLUSTER_ROLES, ROLE_TITLES } from "../config/naming";
import { isRecord, record, resolvePointer, str } from "../rules/objects";
import { indexByUrn, isProvider, mandatoryCount, scopeOf, type Plan, type PlanResource } from "./model";

/** The inputs worth a glance, per type (JSON pointers; `*` = every element of a list). */
const HIGHLIGHTS: Record<string, string[]> = {
    "pulumi:providers:tencentcloud": ["/region"],
    "pulumi:providers:kubernetes": ["/context", "/kubeconfig"],
    "tencentcloud:index/cosBucket:CosBucket": ["/bucket", "/acl", "/versioningEnable", "/encryptionAlgorithm", "/lifecycleRules"],
    "tencentcloud:index/camUser:CamUser": ["/name", "/consoleLogin"],
    "tencentcloud:index/camPolicy:CamPolicy": ["/name", "/description"],
    "tencentcloud:index/camUserPolicyAttachment:CamUserPolicyAttachment": ["/userName", "/policyId"],
    "tencentcloud:index/camAccessKey:CamAccessKey": ["/targetUin", "/status"],
    "kubernetes:core/v1:Namespace": ["/metadata/name"],
    "kubernetes:core/v1:Secret": ["/metadata/namespace", "/metadata/name", "/stringData"],
    "kubernetes:helm.sh/v3:Release": [
        "/chart",
        "/version",
        "/namespace",
        "/values/image/repository",
        "/values/image/tag",
        "/values/initContainers/*/image",
        "/values/configuration/features",
        "/values/configuration/backupStorageLocation",
        "/values/deployNodeAgent",
        "/values/snapshotsEnabled",
        "/values/configuration/backupSyncPeriod",
    ],
    "kubernetes:velero.io/v1:Backup": ["/metadata/namespace", "/metadata/name", "/spec"],
    "kubernetes:velero.io/v1:Restore": ["/metadata/namespace", "/metadata/name", "/spec"],
    "kubernetes:core/v1:ConfigMap": ["/metadata/namespace", "/metadata/name", "/data"],
    "command:local:Command": ["/create", "/environment"],
};

const VOLUME_SNAPSHOT_CLASS = ["/apiVersion", "/metadata/name", "/metadata/labels", "/driver", "/deletionPolicy"];

function pointersFor(r: PlanResource): string[] {
    if (HIGHLIGHTS[r.type]) return HIGHLIGHTS[r.type];
    if (r.type.endsWith(":VolumeSnapshotClass")) return VOLUME_SNAPSHOT_CLASS;
    // Anything else: its top-level scalar inputs.
    return Object.entries(r.inputs)
        .filter(([, v]) => v !== null && typeof v !== "object")
        .map(([k]) => `/${k}`);
}

/** Resolves a pointer with `*` wildcards; undefined when nothing is there. */
function pick(obj: unknown, ptr: string): unknown {
    const star = ptr.indexOf("/*");
    if (star < 0) return resolvePointer(obj, ptr);
    const list = resolvePointer(obj, ptr.slice(0, star));
    if (!Array.isArray(list)) return undefined;
    const rest = ptr.slice(star + 2);
    return list.map((e) => (rest ? resolvePointer(e, rest) : e));
}

function label(ptr: string): string {
    return ptr.slice(1).replace(/\/\*/g, "[]").replace(/\//g, ".");
}

function render(value: unknown, indent: string): string {
    if (value === null || typeof value !== "object") return typeof value === "string" ? value : JSON.stringify(value);
    const block = stringify(value, { blockQuote: "literal" }).trimEnd();
    return "\n" + block.split("\n").map((l) => indent + l).join("\n");
}

export interface TextOptions {
    color: boolean;
}

const SCOPE_ORDER = ["tencentcloud", ...CLUSTER_ROLES, "local"] as const;

const SCOPE_TITLES: Record<(typeof SCOPE_ORDER)[number], string> = {
    tencentcloud: "Tencent Cloud",
    ...ROLE_TITLES,
    local: "Local commands (wait for Velero, verify)",
};

/** What the restore modifiers could not fix, from the stack outputs: said, never dropped. */
function restoreNotes(outputs: Record<string, unknown>): string[] {
    const m = record(record(outputs.restore).modifiers);
    if (Object.keys(m).length === 0) return [];
    const out = [`  from ${str(m.from) ?? "?"}${typeof m.rules === "number" ? `: ${m.rules} modifier rule${m.rules === 1 ? "" : "s"} in ConfigMap ${str(m.configMap) ?? "?"}` : ""}`];
    const list = (title: string, items: unknown) => {
        const all = Array.isArray(items) ? items.map(String) : [];
        if (all.length > 0) out.push(`  ${title}:`, ...all.map((i) => `    - ${i}`));
    };
    list("not fixable by a modifier", m.unpatchable);
    for (const [k, v] of Object.entries(record(m.daemonSets))) list(k === "excludedFromBackup" ? "DaemonSets left out of the backup" : "DaemonSets in the backup (cluster B refuses them)", v);
    list("refused by cluster B, no automatic fix", m.refused);
    out.push(...previewNotes(record(m.preview)));
    return out;
}

/** The restore preview's counts and refused objects (what `tke2eks restore-preview` would say of the same objects). */
function previewNotes(p: Record<string, unknown>): string[] {
    const s = record(p.summary);
    if (typeof s.objects !== "number") return [];
    const out = [`  preview: ${String(s.objects)} objects: ${String(s.restored)} restored, ${String(s.fixed)} fixed, ${String(s.skipped)} skipped, ${String(s.refused)} refused`];
    for (const o of Array.isArray(p.refused) ? p.refused.map(record) : []) {
        out.push(`    refused ${str(o.object) ?? "?"}`, ...(Array.isArray(o.reasons) ? o.reasons.map((r) => `      ${String(r)}`) : []));
    }
    return out;
}

export function formatText(plan: Plan, opts: TextOptions): string {
    const c = createColors(opts.color);
    const byUrn = indexByUrn(plan);
    const out: string[] = [];
    const stage = isRecord(plan.outputs) ? str(plan.outputs.stage) : undefined;
    out.push(c.bold(`Plan for stack ${plan.stack}`) + c.dim(` (project ${plan.project}${stage ? `, stage ${stage}` : ""}, offline preview)`));

    const custom = plan.resources.filter((r) => r.custom);
    for (const scope of SCOPE_ORDER) {
        const members = custom.filter((r) => scopeOf(r, byUrn) === scope);
        if (members.length === 0) continue;
        const provider = members.find(isProvider);
        const title = SCOPE_TITLES[scope];
        out.push("", c.bold(c.cyan(title)) + (provider ? c.dim(` via provider ${provider.name}`) : ""));
        for (const r of members) {
            const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "kept on delete" : ""].filter(Boolean);
            out.push(`  ${c.green("+")} ${r.type}  ${c.bold(r.name)}${flags.length ? c.yellow(`  [${flags.join(", ")}]`) : ""}`);
            for (const ptr of pointersFor(r)) {
                const value = pick(r.inputs, ptr);
                if (value === undefined) continue;
                const shown = render(value, "        ");
                out.push(`      ${c.dim(label(ptr) + ":")}${shown.startsWith("\n") ? "" : " "}${shown}`);
            }
        }
    }

    const notes = restoreNotes(isRecord(plan.outputs) ? plan.outputs : {});
    if (notes.length > 0) out.push("", c.bold("Restore modifiers and preview"), ...notes);

    const mandatory = mandatoryCount(plan);
    const advisory = plan.violations.length - mandatory;
    out.push("", c.bold("Policy pack") + c.dim(`: ${mandatory} mandatory, ${advisory} advisory`));
    for (const v of plan.violations) {
        const where = v.urn ? byUrn.get(v.urn) : undefined;
        const mark = v.level === "mandatory" ? c.red("✖ mandatory") : c.yellow("! advisory ");
        out.push(`  ${mark}  ${c.bold(v.policy)}${where ? `  ${where.name} (${where.type})` : v.urn ? `  ${v.urn}` : "  (stack)"}`);
        for (const line of v.message.split("\n")) out.push(`      ${line}`);
    }
    if (plan.violations.length === 0) out.push("  " + c.green("no violations"));

    const verdict = mandatory > 0 ? c.red(`${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}: pulumi up would be refused`) : c.green("no mandatory violation");
    const components = plan.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length;
    out.push("", `${c.bold("Plan:")} ${custom.length} resources to create (in ${components} components); ${verdict}.`);
    return out.join("\n") + "\n";
}
