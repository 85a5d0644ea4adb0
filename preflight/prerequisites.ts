/**
 * Cluster B's prerequisites when PVC data moves with CBS CSI snapshots (the migration guide's
 * 前提条件): every StorageClass the PVCs name exists on B; B has the snapshot CRDs, a
 * snapshot controller and the CBS CSI driver; in-tree and FlexVolume CBS volumes cannot move
 * by CSI snapshot; A runs Kubernetes ≥ 1.18 and B ≥ 1.20. Checked against B itself when its
 * kubeconfig is given, otherwise listed as reminders (warnings). The findings go under the
 * rules they belong to: the version floors under `k8s-api-versions`, the rest under
 * `velero-snapshot-class` (CBS snapshots usable by Velero).
 */
import { array, record, str, stringMap } from "../rules/objects";
import type { KubeObject, RuleId, Severity } from "../rules";
import type { Discovery } from "./discovery";
import { formatOrigin, type Origin, type ScanEvent } from "./types";
import type { ReportFinding } from "./findingStore";
import { mappedClassFindings, missingClassFix, unmappedImageFindings, type ImageTally, type MappingInput } from "./restoreMappings";

export const CBS_CSI_DRIVER = "com.tencent.cloud.csi.cbs";
/** The seed's floors: 源集群 A ≥ 1.18, 目标集群 B ≥ 1.20. */
export const SOURCE_FLOOR = 18;
export const TARGET_FLOOR = 20;
const SNAPSHOT_KINDS = ["VolumeSnapshot", "VolumeSnapshotContent", "VolumeSnapshotClass"];
/** TKE's in-tree CBS provisioner and FlexVolume driver names contain "cbs" but are not the CSI driver. */
const LEGACY_CBS = /cbs/i;

interface LegacyVolume {
    name: string;
    origin: Origin;
    how: string;
}

/** What the scan shows of A's volumes, noted as objects pass (a few names, not the objects). */
export class VolumeTally {
    /** StorageClass name → how many PVCs (and StatefulSet claim templates) name it. */
    readonly storageClasses = new Map<string, number>();
    /** PVCs that name no StorageClass (B's default class must exist). */
    unnamedClaims = 0;
    readonly legacy: LegacyVolume[] = [];

    get claims(): number {
        return [...this.storageClasses.values()].reduce((a, b) => a + b, 0) + this.unnamedClaims;
    }

    add(obj: KubeObject, origin: Origin): void {
        const spec = record(obj.spec);
        if (obj.kind === "PersistentVolumeClaim") this.claim(spec);
        if (obj.kind === "StatefulSet") for (const t of array(spec.volumeClaimTemplates)) this.claim(record(record(t).spec));
        if (obj.kind === "PersistentVolume") {
            const name = str(record(obj.metadata).name) ?? "";
            const flex = str(record(spec.flexVolume).driver);
            const provisioner = stringMap(record(obj.metadata).annotations)["pv.kubernetes.io/provisioned-by"];
            if (flex !== undefined && LEGACY_CBS.test(flex)) this.legacy.push({ name, origin, how: `a FlexVolume (driver ${flex})` });
            else if (!spec.csi && provisioner !== undefined && LEGACY_CBS.test(provisioner)) this.legacy.push({ name, origin, how: `an in-tree CBS volume (provisioned by ${provisioner})` });
        }
    }

    private claim(spec: Record<string, unknown>): void {
        const cls = str(spec.storageClassName);
        if (cls === undefined || cls === "") this.unnamedClaims++;
        else this.storageClasses.set(cls, (this.storageClasses.get(cls) ?? 0) + 1);
    }

    /** Passes the input through, noting every object. */
    async *tap(input: AsyncIterable<ScanEvent>): AsyncGenerator<ScanEvent> {
        for await (const event of input) {
            if ("item" in event) this.add(event.item.obj, event.item.origin);
            yield event;
        }
    }
}

/** What B holds that the checks need, read from B itself. */
export interface TargetState {
    discovery: Discovery;
    /** Undefined where B's credentials may not read it (403): that check is then a reminder. */
    storageClasses?: { name: string; isDefault: boolean }[];
    csiDriver?: boolean;
    /** Deployments whose name says they run the snapshot controller. */
    snapshotControllers?: string[];
}

export interface PrerequisiteInput {
    volumes: VolumeTally;
    /** B itself, when its kubeconfig was given. */
    target?: TargetState;
    /** B's Kubernetes minor (discovery or --target-version). */
    targetMinor?: number;
    /** A's Kubernetes minor (A's discovery, for a live scan). */
    sourceMinor?: number;
    /** The stack's StorageClass and image mappings (`--stack`), and the images A's workloads use. */
    mappings?: MappingInput;
    images?: ImageTally;
}

function finding(rule: RuleId, severity: Severity, message: string, fix: string, object?: { apiVersion: string; kind: string; name: string; namespace?: string; origin?: Origin }): ReportFinding {
    const f: ReportFinding = { rule, severity, path: "", message, fix, autofix: false };
    if (object) {
        f.apiVersion = object.apiVersion;
        f.kind = object.kind;
        f.name = object.name;
        if (object.namespace !== undefined) f.namespace = object.namespace;
        if (object.origin) {
            f.origin = object.origin;
            f.source = formatOrigin(object.origin);
        }
    }
    return f;
}

function floors(input: PrerequisiteInput): ReportFinding[] {
    const out: ReportFinding[] = [];
    const rule = "k8s-api-versions";
    if (input.targetMinor !== undefined && input.targetMinor < TARGET_FLOOR) {
        out.push(finding(rule, "error", `cluster B runs Kubernetes 1.${input.targetMinor}; the migration needs B ≥ 1.${TARGET_FLOOR}`, `upgrade cluster B to 1.${TARGET_FLOOR} or later (the same minor as A is best)`));
    }
    if (input.sourceMinor !== undefined && input.sourceMinor < SOURCE_FLOOR) {
        out.push(finding(rule, "error", `cluster A runs Kubernetes 1.${input.sourceMinor}; the migration needs A ≥ 1.${SOURCE_FLOOR}`, `upgrade cluster A to 1.${SOURCE_FLOOR} or later first`));
    }
    if (input.targetMinor !== undefined && input.sourceMinor !== undefined && input.sourceMinor > input.targetMinor) {
        out.push(finding(rule, "warning", `cluster A (1.${input.sourceMinor}) is newer than cluster B (1.${input.targetMinor}): objects may use versions B does not serve yet`, "run B at A's minor version or later"));
    }
    return out;
}

/** B's prerequisites when PVC data moves; nothing when the scan saw no PVC or PV. */
export function prerequisites(input: PrerequisiteInput): ReportFinding[] {
    const out = floors(input);
    const { volumes, target, mappings } = input;
    if (mappings && input.images) out.push(...unmappedImageFindings(input.images, mappings.image));
    const snap = "velero-snapshot-class";
    for (const v of volumes.legacy) {
        out.push(
            finding(snap, "error", `PersistentVolume ${v.name} is ${v.how}: CSI snapshots cannot move its data to cluster B`, "move the data another way (copy it into a PVC of the CBS CSI driver before the backup), or re-create the volume with the CBS CSI driver", {
                apiVersion: "v1",
                kind: "PersistentVolume",
                name: v.name,
                origin: v.origin,
            }),
        );
    }
    if (volumes.claims === 0 && volumes.legacy.length === 0) return out;
    const sc = (name: string) => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name });
    const claimsName = (n: number) => `${n} PVC${n === 1 ? " names" : "s name"}`;
    if (!target) {
        for (const [name, claims] of volumes.storageClasses) {
            // A mapped class is restored under B's name (restore/mappings.ts): that one must exist.
            const to = mappings?.storageClass[name];
            const cls = to ?? name;
            out.push(finding(snap, "warning", `reminder: ${claimsName(claims)} StorageClass ${name}${to ? `, mapped onto ${to},` : ","} which must exist on cluster B`, `create StorageClass ${cls} on cluster B (CBS CSI provisioner ${CBS_CSI_DRIVER}) before the restore`, sc(cls)));
        }
        out.push(
            finding(
                snap,
                "warning",
                `reminder: PVC data moves by CBS CSI snapshots, so cluster B needs the snapshot CRDs (${SNAPSHOT_KINDS.join(", ")}), a snapshot controller and CSIDriver ${CBS_CSI_DRIVER}; pass --target-kubeconfig to check B itself`,
                "install the CBS CSI add-on (it brings the CSI driver, the snapshot CRDs and the snapshot controller) on cluster B",
            ),
        );
        return out;
    }
    const unreadable = (what: string, fix: string) =>
        out.push(finding(snap, "warning", `reminder: cluster B's credentials may not read ${what} (403 Forbidden), so it was not checked`, fix));
    const classes = target.storageClasses;
    if (!classes && volumes.claims > 0) unreadable("StorageClasses", `check that B has StorageClass ${[...volumes.storageClasses.keys()].join(", ") || "a default one"}`);
    const present = new Set((classes ?? []).map((c) => c.name));
    for (const [name, claims] of classes ? volumes.storageClasses : []) {
        // A mapped class is restored under B's class: mappedClassFindings checks that one.
        if (present.has(name) || mappings?.storageClass[name] !== undefined) continue;
        const create = `create StorageClass ${name} on cluster B (provisioner ${CBS_CSI_DRIVER}) before the restore`;
        out.push(finding(snap, "error", `${claimsName(claims)} StorageClass ${name}, which cluster B does not have: they would stay Pending`, missingClassFix(name, classes ?? [], create), sc(name)));
    }
    if (classes && mappings) out.push(...mappedClassFindings(volumes.storageClasses, classes, mappings.storageClass));
    if (classes && volumes.unnamedClaims > 0 && !classes.some((c) => c.isDefault)) {
        out.push(finding(snap, "error", `${claimsName(volumes.unnamedClaims)} no StorageClass and cluster B has no default one`, "mark a CBS StorageClass on cluster B as the default (storageclass.kubernetes.io/is-default-class: \"true\")"));
    }
    const served = (kind: string) => [...target.discovery.kinds].some(([gv, kinds]) => gv.startsWith("snapshot.storage.k8s.io/") && kinds.has(kind));
    const missingCrds = SNAPSHOT_KINDS.filter((k) => !served(k));
    if (missingCrds.length > 0) {
        out.push(finding(snap, "error", `cluster B does not serve ${missingCrds.join(", ")} (snapshot.storage.k8s.io): Velero cannot restore the CSI snapshots`, "install the snapshot CRDs on cluster B (the CBS CSI add-on brings them)"));
    }
    if (target.csiDriver === undefined) unreadable(`CSIDriver ${CBS_CSI_DRIVER}`, "check that the CBS CSI add-on is installed on cluster B");
    if (target.csiDriver === false) {
        out.push(finding(snap, "error", `cluster B has no CSIDriver ${CBS_CSI_DRIVER}: the restored PVCs cannot be provisioned from CBS snapshots`, "install the CBS CSI add-on on cluster B", { apiVersion: "storage.k8s.io/v1", kind: "CSIDriver", name: CBS_CSI_DRIVER }));
    }
    if (target.snapshotControllers === undefined) unreadable("Deployments", "check that a snapshot controller runs on cluster B");
    if (target.snapshotControllers?.length === 0) {
        out.push(finding(snap, "warning", "no snapshot-controller Deployment found on cluster B: without one, VolumeSnapshots are never bound and the restored PVCs stay Pending (a managed controller may be hidden)", "install the snapshot controller on cluster B (the CBS CSI add-on brings it)"));
    }
    return out;
}
