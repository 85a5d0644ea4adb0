/**
 * Velero v1.18.2's restore of one backed-up item, step by step (pkg/restore/restore.go),
 * then cluster B's API validation: the predicted outcome of every object.
 *
 * Order, as restore.go runs it: the collection pass (non-restorable resources, the
 * Restore's resource and namespace filters, cluster scope, label selector; 2199-2376), then
 * per item (restoreItem, 1103-1560): completed Pods and Jobs (1166), mirror Pods (1206),
 * PVs restored from CSI snapshots (1216-1244), metadata and status reset (1315), the restore
 * item actions (1322-1420), the PVC binding reset (1434-1460), the resource modifiers
 * (1462-1468), the namespace mapping (1472-1475), the restore labels (1480), and create.
 */
import { createHash } from "node:crypto";
import { checkObject, type EngineOptions } from "../rules/engine";
import { apiVersionOf, kindOf, record, str, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import type { WaiverBook } from "../preflight/waivers";
import { resetMetadataAndStatus, runActions } from "./actions";
import { apiValidation } from "./apiValidation";
import type { RestoreSpec } from "./filters";
import { counts, ModifierCheck, type FixSource, type ModifierApplier } from "./fixes";
import { controllerOf } from "./ownership";
import { VeleroRestoreModel, type ClusterBState, type VolumeData } from "./veleroModel";
import type { VolumeInfoIndex } from "./volumeInfo";
import { applyMappings, mappingsTouch, type RestoreMappings } from "./mappings";

export const OUTCOMES = ["restored", "fixed", "skipped", "refused"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ObjectPreview {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
    outcome: Outcome;
    reasons: string[];
    /** What B receives (restored and fixed objects). */
    restoredAs?: { apiVersion: string; namespace?: string; name: string };
    /**
     * PersistentVolumes and claims: what data the volume holds after the restore (`snapshot`,
     * `empty` or `source-disk`, restore/veleroModel.ts); the first reason says why.
     */
    volumeData?: VolumeData;
}

/** How a refusal by cluster B's API validation starts (it cannot be waived). */
export const API_VALIDATION = "API validation";

/**
 * How a restore error starts: a resource modifier rule that fails is recorded as an error,
 * the object is created without it and the Restore ends PartiallyFailed (restore.go:1462-1468).
 * The stage's gate treats it as it treats API validation.
 */
export const RESTORE_ERROR = "Restore error";

export interface Judged {
    preview: ObjectPreview;
    /** Why B refuses the object (the first of its reasons): rules, API validation, unreadable modifiers. */
    refusals: string[];
}

export interface PipelineOptions {
    spec: RestoreSpec;
    /** The Restore's name (the run): its label on every restored object. */
    restoreName: string;
    /** The target's Velero, which must read the modifiers. */
    veleroVersion: string;
    fixes: FixSource;
    applier: ModifierApplier;
    /** For judging the object again after the pipeline. */
    engine: EngineOptions;
    waivers?: WaiverBook;
    /** The backup's volume info (restore/volumeInfo.ts), when read. */
    volumes?: VolumeInfoIndex;
    /** What is known of cluster B (its service accounts), when known. */
    b?: ClusterBState;
    /** tke2eks:restore.storageClassMapping and imageMapping, as Velero's restore item actions apply them. */
    mappings?: RestoreMappings;
}

/** label.GetValidName (pkg/label/label.go:37-51): values over 63 characters end in a hash. */
export function validLabelValue(value: string): string {
    if (value.length <= 63) return value;
    return value.slice(0, 57) + createHash("sha256").update(value).digest("hex").slice(0, 6);
}

/**
 * Resources whose restore item action may skip an item, or whose API validation is
 * modelled: the pipeline builds the object B receives for these, and for objects with
 * fixes or a mandatory finding. For any other object nothing would look at the result, so
 * its outcome is known without building it (the same steps, not run).
 */
const INSPECTED = new Set(["services", "pods"]);

export class RestorePipeline {
    /** Velero's choices, shared with `verify`. */
    readonly model: VeleroRestoreModel;
    private readonly modifierCheck: ModifierCheck;

    constructor(private readonly opts: PipelineOptions) {
        this.model = new VeleroRestoreModel({ spec: opts.spec, volumes: opts.volumes, b: opts.b });
        this.modifierCheck = new ModifierCheck(opts.veleroVersion);
    }

    preview(backupObj: KubeObject, groupResource: string): ObjectPreview {
        return this.judge(backupObj, groupResource).preview;
    }

    /** The preview, and apart from its other reasons why B refuses the object (empty unless refused). */
    judge(backupObj: KubeObject, groupResource: string): Judged {
        const meta = record(backupObj.metadata);
        const namespace = str(meta.namespace);
        const base = { apiVersion: apiVersionOf(backupObj), kind: kindOf(backupObj), ...(namespace ? { namespace } : {}), name: str(meta.name) ?? "" };
        const choice = this.model.choose(backupObj, groupResource);
        const volume = choice.volume ? { volumeData: choice.volume.data } : {};
        if (!choice.restored) return { preview: { ...base, outcome: "skipped", reasons: [choice.reason ?? "not restored"], ...volume }, refusals: [] };
        const mapping = this.opts.spec.namespaceMapping ?? {};
        if (!choice.throughRestoreItem) {
            const reasons = choice.reason ? [choice.reason] : [];
            return { preview: { ...base, outcome: "restored", reasons, restoredAs: { apiVersion: base.apiVersion, name: mapping[base.name] ?? base.name } }, refusals: [] };
        }

        // The rules judge the object as cluster A held it, as the restore stage does.
        const fixes = this.opts.fixes(backupObj, groupResource);
        const reasons: string[] = [...(choice.volume ? [`volume: ${choice.volume.why}`] : choice.reason ? [choice.reason] : []), ...fixes.waived, ...fixes.unwritable];
        const refused: string[] = [];
        const errors: string[] = [];
        const owner = controllerOf(backupObj);
        if (owner) reasons.push(`owned by ${owner} in cluster A: restored without its owner reference (restore.go:2115)`);

        const targetNs = namespace !== undefined ? (mapping[namespace] ?? namespace) : undefined;
        const name = base.name;
        const restoredAs = { apiVersion: base.apiVersion, ...(targetNs ? { namespace: targetNs } : {}), name };
        const mapped = this.opts.mappings !== undefined && mappingsTouch(this.opts.mappings, groupResource);
        if (!fixes.modifiers && !fixes.judged && !mapped && !INSPECTED.has(groupResource)) return { preview: { ...base, outcome: "restored", reasons, restoredAs, ...volume }, refusals: [] };

        let obj = runActions(groupResource, resetMetadataAndStatus(backupObj), this.opts.spec);
        // The team's changes: the mappings' actions, then its modifier rules (and which rule won a field).
        const changes: string[] = [];
        if (mapped && this.opts.mappings) {
            const m = applyMappings(this.opts.mappings, groupResource, obj);
            obj = m.object;
            changes.push(...m.changes);
        }

        let fixed = false;
        if (fixes.modifiers) {
            const unreadable = this.modifierCheck.problems(fixes.modifiers);
            if (unreadable.length > 0) {
                refused.push(`resource modifiers: Velero ${this.opts.veleroVersion} cannot read them (${unreadable.join("; ")}), so the whole Restore fails validation`);
            } else {
                const applied = this.opts.applier(fixes.modifiers, obj, groupResource);
                obj = applied.object;
                reasons.push(...applied.errors);
                changes.push(...(applied.notes ?? []));
                fixed = applied.errors.length === 0 && fixes.fixes.length > 0;
                for (const e of applied.errors) errors.push(`${RESTORE_ERROR}: ${e}; the object is created without that rule and the Restore ends PartiallyFailed (restore.go:1462-1468)`);
                if (fixed) reasons.unshift(...fixes.fixes);
            }
        }

        reasons.unshift(...changes);
        fixed ||= changes.length > 0;
        obj = withRestoreMetadata(obj, targetNs, name, this.opts.restoreName, this.opts.spec.backupName);

        for (const e of apiValidation(groupResource, obj)) refused.push(`${API_VALIDATION}: ${e.field}: ${e.message}`);
        if (fixes.judged) {
            for (const f of checkObject(obj, this.opts.engine)) {
                if (f.severity !== "error") continue;
                // Waivers name the object as backed up, before the namespace mapping.
                if (!counts(f, backupObj, this.opts.waivers).counts) continue;
                refused.push(`${f.rule}: ${f.message}${f.path ? ` (${f.path})` : ""}`);
            }
        }
        if (refused.length > 0) return { preview: { ...base, outcome: "refused", reasons: [...refused, ...errors, ...reasons], ...volume }, refusals: [...refused, ...errors] };
        return { preview: { ...base, outcome: fixed ? "fixed" : "restored", reasons: [...errors, ...reasons], restoredAs: { ...restoredAs, apiVersion: apiVersionOf(obj) }, ...volume }, refusals: errors };
    }
}

/** Namespace mapping (restore.go:1472-1475) and the restore labels (addRestoreLabels, restore.go:2138-2149). */
function withRestoreMetadata(obj: KubeObject, namespace: string | undefined, name: string, restore: string, backup: string): KubeObject {
    const meta: Record<string, unknown> = { ...record(obj.metadata), name };
    if (namespace !== undefined) meta.namespace = namespace;
    meta.labels = { ...stringMap(meta.labels), "velero.io/backup-name": validLabelValue(backup), "velero.io/restore-name": validLabelValue(restore) };
    return { ...obj, metadata: meta };
}
