/**
 * The Restore a stack's restore stage creates, as the pipeline models it: the same spec
 * (restore/manifests.ts), the fix options, the target's Velero and, when the
 * stack names cluster B's Kubernetes version, the API versions B serves. Used by the stage
 * itself and by `restore-preview --stack`, so both predict the same restore.
 */
import { restoreManifest } from "./manifests";
import type { MigrationConfig } from "../config/load";
import type { WaiverBook } from "../preflight/waivers";
import { parseMinor } from "../rules/apiVersions";
import { engineOptions, type EngineOptions } from "../rules/engine";
import type { RestoreSpec } from "./filters";
import { ruleFixes } from "./fixes";
import { originRules, type OriginRule } from "../modifiers/userRules";
import type { RestoreMappings } from "./mappings";
import { tracingApplier, withUserRules } from "./userChanges";
import { RestorePipeline } from "./pipeline";
import type { VolumeInfoIndex } from "./volumeInfo";

export interface RestoreTarget {
    spec: RestoreSpec;
    restoreName: string;
    veleroVersion: string;
    engine: EngineOptions;
    /** tke2eks:restore.modifiers: the team's rules, after the generated fixes (none without a stack). */
    userRules?: OriginRule[];
    mappings?: RestoreMappings;
}

/**
 * The rules as the restore stage runs them: profile eks, the stack's fix options, and
 * k8s-api-versions against `tke2eks:target.kubernetesVersion` when it is set (silent otherwise).
 */
export function stackEngine(config: MigrationConfig): EngineOptions {
    const minor = config.clusters.target.kubernetesVersion === undefined ? undefined : parseMinor(config.clusters.target.kubernetesVersion);
    return { ...engineOptions("eks", minor === undefined ? {} : { targetMinor: minor }), fixes: { nodePortServiceType: config.restore.nodePortServiceType, retainIp: config.restore.retainIp } };
}

/** The stack's Restore of `backup` (the run's name unless the config has none). */
export function stackRestore(config: MigrationConfig, backup: string): RestoreTarget {
    const restore = restoreManifest(config, config.run ?? backup);
    return {
        spec: restore.spec as RestoreSpec,
        restoreName: (restore.metadata as { name: string }).name,
        veleroVersion: config.clusters.target.velero.velero,
        engine: stackEngine(config),
        userRules: originRules(config.restore.modifiers),
        mappings: { storageClass: config.restore.storageClassMapping, image: config.restore.imageMapping },
    };
}

/** The pipeline for a Restore, its fixes written as the stage writes them; waived rules refuse nothing. */
export function pipelineFor(target: RestoreTarget, waivers?: WaiverBook, volumes?: VolumeInfoIndex): RestorePipeline {
    const { userRules = [], ...restore } = target;
    const fixes = withUserRules(ruleFixes(target.engine, target.veleroVersion, waivers), userRules);
    return new RestorePipeline({ ...restore, fixes, applier: tracingApplier(target.veleroVersion, userRules), waivers, volumes });
}
