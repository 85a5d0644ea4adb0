/**
 * The ConfigMaps that Velero's change-storage-class and change-image-name restore item actions
 * read in B's Velero namespace (restore/mappings.ts), declared before the Restore so the actions
 * find them. Their names carry no run: each action fails when two ConfigMaps hold its label.
 */
import * as k8s from "@pulumi/kubernetes";
import { mappingConfigMaps } from "../restore/mappings";
import type { RunContext } from "./stage";

export function declareMappings(ctx: RunContext): k8s.core.v1.ConfigMap[] {
    const target = ctx.clusters.target;
    const { storageClassMapping: storageClass, imageMapping: image } = ctx.config.restore;
    return mappingConfigMaps({ storageClass, image }, target.velero.namespace).map((cm) => {
        const meta = cm.metadata as { name: string; namespace: string; labels: Record<string, string> };
        const child = ctx.child(meta.name);
        return new k8s.core.v1.ConfigMap(child.name, { metadata: meta, data: cm.data as Record<string, string> }, { ...child.opts, provider: target.provider, dependsOn: [target.velero.release] });
    });
}
