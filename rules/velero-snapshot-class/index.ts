import { describe, groupOf, isRecord, kindOf, metadataEntryFix, pointer, record, refOf, str, stringMap } from "../objects";
import { hasFeature, readVeleroInstall, type VeleroInstall } from "../veleroInstall";
import type { AggregateFinding, Aggregator, FixEdit, KubeObject, ObjectRef, RawFinding, Rule } from "../types";
import { DEPLOYMENTS, HELM_RELEASES, SNAPSHOT_CLASSES } from "../kinds";

/** Tencent's CBS CSI driver: the DriverName of github.com/TencentCloud/kubernetes-csi-tencentcloud. */
export const CBS_DRIVER = "com.tencent.cloud.csi.cbs";
/** Velero picks the VolumeSnapshotClass of a driver by this label. */
export const SNAPSHOT_CLASS_LABEL = "velero.io/csi-volumesnapshot-class";
const CSI_FEATURE = "EnableCSI";

const WHY_LABEL = `Velero picks the VolumeSnapshotClass for a CSI driver by the label ${SNAPSHOT_CLASS_LABEL}: "true" (https://velero.io/docs/v1.18/csi/)`;
const WHY_FLAG = `Velero takes and restores CSI snapshots only with the ${CSI_FEATURE} feature flag, still required since the CSI plugin was built in (1.14)`;
const NO_PVC_DATA =
    "if the migration moves no PVC data, switch this rule off instead: enforcementLevel disabled for velero-snapshot-class in the policy pack config, or a waiver in preflight";

function isCbsSnapshotClass(obj: KubeObject): boolean {
    return groupOf(str(obj.apiVersion) ?? "") === "snapshot.storage.k8s.io" && kindOf(obj) === "VolumeSnapshotClass" && obj.driver === CBS_DRIVER;
}

function isLabelled(obj: KubeObject): boolean {
    return stringMap(record(obj.metadata).labels)[SNAPSHOT_CLASS_LABEL] === "true";
}

/** The finding's place (the deepest part that exists) and the patch that adds the label. */
function labelFix(obj: KubeObject): { path: string; autofix: FixEdit[] } {
    const labels = record(obj.metadata).labels;
    const path = !isRecord(obj.metadata) ? "" : !isRecord(labels) ? "/metadata" : SNAPSHOT_CLASS_LABEL in labels ? pointer("metadata", "labels", SNAPSHOT_CLASS_LABEL) : "/metadata/labels";
    return { path, autofix: metadataEntryFix(obj, "/metadata", "labels", SNAPSHOT_CLASS_LABEL, "true") };
}

function installName(install: VeleroInstall): string {
    return install.shape === "release" ? "Velero release" : "Velero Deployment";
}

function lacksCsi(install: VeleroInstall): RawFinding {
    const where = install.shape === "release" ? "configuration.features" : "the server's --features= argument";
    return {
        path: install.featuresPath,
        message: `${installName(install)} features (${install.features.join(",") || "none"}) at ${install.featuresPath || "/"} lack ${CSI_FEATURE}: ${WHY_FLAG}`,
        fix: `add ${CSI_FEATURE} to ${where} (e.g. ${CSI_FEATURE},EnableAPIGroupVersions); ${NO_PVC_DATA}`,
    };
}

/**
 * Set level: one labelled CBS class per cluster. (A Velero install without EnableCSI is
 * already reported on the install itself, whether or not a class exists, so it is not
 * reported here a second time.)
 */
function aggregate(): Aggregator {
    const labelled = new Map<string, ObjectRef[]>();
    return {
        add(obj, ref) {
            if (!isCbsSnapshotClass(obj) || !isLabelled(obj)) return;
            const key = ref.cluster ?? "";
            labelled.set(key, [...(labelled.get(key) ?? []), ref]);
        },
        finish() {
            const out: AggregateFinding[] = [];
            for (const [cluster, refs] of labelled) {
                if (refs.length < 2) continue;
                const where = cluster ? ` in cluster ${cluster}` : "";
                out.push({
                    object: refs[1],
                    path: pointer("metadata", "labels", SNAPSHOT_CLASS_LABEL),
                    message: `${refs.length} VolumeSnapshotClasses for ${CBS_DRIVER}${where} carry ${SNAPSHOT_CLASS_LABEL}: ${refs.map(describe).join(", ")}; Velero takes whichever it lists first`,
                    fix: `keep the label on one class per driver`,
                    advisory: true,
                });
            }
            return out;
        },
    };
}

/** CBS snapshot classes Velero would not pick, and Velero installs that would not use CSI snapshots. */
export const veleroSnapshotClass: Rule<"velero-snapshot-class"> = {
    id: "velero-snapshot-class",
    defaultLevel: "mandatory",
    title: "CBS snapshots usable by Velero",
    why: `${WHY_LABEL}; ${WHY_FLAG}`,
    fix: `label the CBS VolumeSnapshotClass ${SNAPSHOT_CLASS_LABEL}: "true" and turn on ${CSI_FEATURE} in Velero`,
    policy: { onAnyCluster: [...SNAPSHOT_CLASSES, ...HELM_RELEASES, ...DEPLOYMENTS], aggregate: "all-clusters" },
    check(obj) {
        const out: RawFinding[] = [];
        if (isCbsSnapshotClass(obj) && !isLabelled(obj)) {
            const { path, autofix } = labelFix(obj);
            out.push({
                path,
                message: `${describe(refOf(obj))} for ${CBS_DRIVER} lacks the label ${SNAPSHOT_CLASS_LABEL}: "true" (at ${path || "/"}): ${WHY_LABEL}; without it Velero falls back to the class annotated as the default, else the driver's only class, and fails the PVC's snapshot when there are several (docs/velero.md, "CSI snapshots")`,
                fix: `add the label ${SNAPSHOT_CLASS_LABEL}: "true" (one class per driver)`,
                autofix,
            });
        }
        const install = readVeleroInstall(obj);
        if (install && !hasFeature(install, CSI_FEATURE)) out.push(lacksCsi(install));
        return out;
    },
    aggregate,
};
