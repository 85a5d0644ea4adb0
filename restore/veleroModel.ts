/**
 * One model of what Velero's restore does with each item of a backup: whether the Restore
 * creates it in cluster B under its own name, and if not, why. The restore preview
 * (restore/pipeline.ts) and `tke2eks verify` (restore/expected.ts) both ask it, so they
 * cannot disagree.
 *
 * Read from Velero's source. The pinned version is v1.18.2; the mirror this was read from
 * ends at tag v1.18.1, whose pkg/restore/restore.go has the line numbers cited here (the
 * same ones the project's issue 20 cites for v1.18.2).
 *
 * Inputs: the backup's items one at a time, the Restore's spec, the backup's volume info
 * (`<name>-volumeinfo.json.gz`, restore/volumeInfo.ts) and what is known of cluster B. What the
 * model does not know it assumes and says so in the reason (a volume without volume info,
 * the service accounts B holds when nobody listed them).
 */
import { record, str, stringMap } from "../rules/objects";
import type { KubeObject } from "../rules/types";
import { completed, mirrorPod, RestoreFilters, type RestoreSpec } from "./filters";
import { CONTROLLER_HASH_LABELS, ownedSkipReason } from "./ownership";
import type { VolumeInfoIndex } from "./volumeInfo";

/**
 * What a volume's claim holds once restored:
 * - `snapshot`: the data, from the backup's snapshot;
 * - `empty`: a new, empty volume (nothing backed up its data, or only a node agent, which the
 *   serverless cluster cannot run, could bring it back);
 * - `source-disk`: the PersistentVolume is restored as it was, pointing at cluster A's disk.
 */
export type VolumeData = "snapshot" | "empty" | "source-disk";

export interface VolumeFate {
    data: VolumeData;
    why: string;
}

export interface Choice {
    /** Does the Restore create the item in B under its own (mapped) name? */
    restored: boolean;
    /** Why it is not (restored: false), or a note on how it is. */
    reason?: string;
    /** Restored, but under a name B makes up: why (verify cannot look for it by name). */
    renamed?: string;
    /** For PersistentVolumes and their claims: what data the volume holds after the restore. */
    volume?: VolumeFate;
    /**
     * False for Namespaces: Velero creates them as backed up, without restore item actions,
     * resource modifiers or restore labels (restore.go:700-762 never calls restoreItem for them).
     */
    throughRestoreItem: boolean;
}

/** What the model knows of cluster B before the restore. */
export interface ClusterBState {
    /** The service accounts B holds in a namespace when the Restore reaches its Secrets; undefined if unknown. */
    serviceAccounts?: (namespace: string) => ReadonlySet<string> | undefined;
}

export interface ModelInputs {
    spec: RestoreSpec;
    /** The backup's volume info, by PV name; undefined when the backup has none (Velero < 1.13, or not found). */
    volumes?: VolumeInfoIndex;
    b?: ClusterBState;
}

const SA_TOKEN = "kubernetes.io/service-account-token";
const AUTOMANAGED = "kube-aggregator.kubernetes.io/automanaged";

export class VeleroRestoreModel {
    private readonly filters: RestoreFilters;

    constructor(private readonly inputs: ModelInputs) {
        this.filters = new RestoreFilters(inputs.spec);
    }

    get spec(): RestoreSpec {
        return this.inputs.spec;
    }

    /** What Velero does with one backed-up item, in restore.go's order. */
    choose(obj: KubeObject, groupResource: string): Choice {
        const skip = (reason: string, volume?: VolumeFate): Choice => ({ restored: false, reason, throughRestoreItem: true, ...(volume ? { volume } : {}) });
        const excluded = this.filters.collect(groupResource, obj) ?? this.selectorSkip(groupResource, obj);
        if (excluded) {
            // A bound PV left out of the collection pass still comes back as its claim's additional item (point 3).
            const pulled = groupResource === "persistentvolumes" ? this.pulledByClaim(obj) : undefined;
            if (!pulled) return skip(excluded);
        }
        if (groupResource === "namespaces") {
            return { restored: true, reason: "created as backed up, without restore item actions, resource modifiers or restore labels (restore.go:700-762)", throughRestoreItem: false };
        }
        const done = completed(groupResource, obj) ?? mirrorPod(groupResource, obj);
        if (done) return skip(done);
        if (groupResource === "persistentvolumes") return this.persistentVolume(obj);
        const action = this.actionSkip(groupResource, obj);
        if (action) return skip(action);
        const keptByB = this.madeByB(groupResource, obj);
        if (keptByB) return skip(keptByB);
        if (groupResource === "volumesnapshots.snapshot.storage.k8s.io" || groupResource === "volumesnapshotcontents.snapshot.storage.k8s.io") {
            const renamed = `restored under a name made from the Restore's UID (csi/volumesnapshot_action.go:264-271, volumesnapshotcontent_action.go:93)`;
            return { restored: true, reason: renamed, renamed, throughRestoreItem: true };
        }
        if (groupResource === "persistentvolumeclaims") {
            const volume = this.claimVolume(obj);
            return { restored: true, throughRestoreItem: true, ...(volume ? { volume } : {}) };
        }
        return { restored: true, throughRestoreItem: true };
    }

    /**
     * What cluster B's own controllers make in a namespace as soon as Velero creates it, before
     * Velero reaches the item: its create meets AlreadyExists and it compares with B's copy
     * (pkg/restore/restore.go:1533-1649 at v1.18.2). Seen in the sandbox: both, in every namespace.
     */
    private madeByB(groupResource: string, obj: KubeObject): string | undefined {
        const meta = record(obj.metadata);
        if (groupResource === "configmaps" && meta.name === "kube-root-ca.crt") {
            if (this.inputs.spec.existingResourcePolicy === "update") return undefined;
            return "cluster B's root-ca-cert-publisher makes its own in every namespace, holding B's CA: Velero finds it there, different, and keeps B's with a warning (restore.go:1611-1633)";
        }
        if (groupResource === "serviceaccounts" && meta.name === "default") {
            // Velero merges the backed-up secrets and image pull secrets into B's (mergeServiceAccounts, restore.go:1573-1604).
            const spec = obj as { secrets?: unknown[]; imagePullSecrets?: unknown[] };
            if ((spec.imagePullSecrets?.length ?? 0) > 0 || (spec.secrets?.length ?? 0) > 0) return undefined;
            return "cluster B's serviceaccount controller makes its own in every namespace: Velero merges the backed-up one's secrets and image pull secrets into it, here none, so B's stays as it is (restore.go:1573-1604)";
        }
        return undefined;
    }

    /** The label selector's verdict, naming the controller when a hash label decided it (restore.go:2349-2352). */
    private selectorSkip(groupResource: string, obj: KubeObject): string | undefined {
        if (this.filters.selected(groupResource, obj)) return undefined;
        const labels = stringMap(record(obj.metadata).labels);
        const label = CONTROLLER_HASH_LABELS.find((l) => l in labels);
        return label ? ownedSkipReason(obj, label) : "excluded: the Restore's labelSelector does not match its labels (restore.go:2350)";
    }

    /**
     * The PVC action returns a bound claim's PV as an additional item (pkg/restore/actions/pvc_action.go:122),
     * restored through restoreItem whatever the Restore's namespace filter; only
     * `includeClusterResources: false` stops it there (restore.go:1156). The claim is named by
     * the PV's claimRef: it is pulled when its namespace and PVCs are restored.
     */
    private pulledByClaim(pv: KubeObject): boolean {
        const spec = this.inputs.spec;
        if (spec.includeClusterResources === false || !this.filters.resourceIncluded("persistentvolumes")) return false;
        const claim = record(record(pv.spec).claimRef);
        const namespace = str(claim.namespace);
        if (!namespace || !str(claim.name) || str(record(pv.status).phase) !== "Bound") return false;
        const pvc: KubeObject = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: str(claim.name), namespace } };
        return this.filters.collect("persistentvolumeclaims", pvc) === undefined;
    }

    /** restore.go:1216-1308: the PV's fate hangs on how its data was backed up. */
    private persistentVolume(pv: KubeObject): Choice {
        const name = str(record(pv.metadata).name) ?? "";
        const spec = record(pv.spec);
        const volume = this.volumeFate(name, str(spec.persistentVolumeReclaimPolicy), spec.csi !== undefined);
        if (volume.data === "snapshot" && volume.native) return { restored: true, reason: volume.why, volume: { data: volume.data, why: volume.why }, throughRestoreItem: true };
        if (volume.data === "source-disk") return { restored: true, reason: volume.why, volume: { data: volume.data, why: volume.why }, throughRestoreItem: true };
        return { restored: false, reason: `re-provisioned by its claim under a new name, not restored: ${volume.why}`, volume: { data: volume.data, why: volume.why }, throughRestoreItem: true };
    }

    /**
     * The volume's data by how it was backed up (restore.go:1219-1263 with volume info). Without
     * volume info Velero looks for a native snapshot, a pod volume backup, a CSI VolumeSnapshot
     * or DataUpload of the claim (restore.go:1266-1307); the preview streams the backup and
     * cannot see those beside the PV, so it assumes a CSI volume snapshotted (the project's
     * backups snapshot every CSI volume) and any other not backed up, and says so.
     */
    private volumeFate(name: string, specReclaimPolicy: string | undefined, csi: boolean): VolumeFate & { native?: boolean } {
        const info = this.inputs.volumes?.get(name);
        const restorePVs = this.inputs.spec.restorePVs !== false;
        const method = info ? info.backupMethod : csi ? "CSISnapshot" : "";
        const reclaimPolicy = specReclaimPolicy ?? info?.reclaimPolicy;
        const assumed = info ? "" : `; assumed: ${this.inputs.volumes ? "the backup's volume info does not list it" : "no volume info was read beside the backup"}, and ${csi ? "a CSI volume is snapshotted" : "nothing else backed it up"}`;
        switch (method) {
            case "NativeSnapshot":
                if (!restorePVs) return { data: "source-disk", why: `restored as backed up, pointing at cluster A's disk: restorePVs is false, so no volume is made from its native snapshot (pv_restorer.go:55-58)${assumed}` };
                return { data: "snapshot", native: true, why: `restored on a new volume made from its native snapshot (restore.go:1223-1228)${assumed}` };
            case "PodVolumeBackup":
                return { data: "empty", why: `its data was backed up by the node agent (file-system backup), which the serverless cluster cannot run to restore it: the volume comes back EMPTY (restore.go:1230-1236)${assumed}` };
            case "CSISnapshot":
                if (info?.snapshotDataMoved) return { data: "empty", why: "its data was moved by the data mover, whose restore needs the node agent the serverless cluster cannot run: the volume comes back EMPTY (restore.go:1238-1244)" };
                if (!restorePVs) return { data: "empty", why: `restorePVs is false: the CSI PVC action drops the claim's dataSource, so the new volume is EMPTY (restore.go:1238-1244; csi/pvc_action.go:111-115)${assumed}` };
                return { data: "snapshot", why: `made anew from its CSI snapshot (restore.go:1238-1244)${assumed}` };
            default:
                if (reclaimPolicy === "Delete") return { data: "empty", why: `nothing backed up its data and its reclaim policy is Delete: a new, EMPTY volume (restore.go:1248-1256)${assumed}` };
                return { data: "source-disk", why: `nothing backed up its data and its reclaim policy is ${reclaimPolicy ?? "not Delete"}: restored as backed up, pointing at cluster A's disk (restore.go:1257-1263)${assumed}` };
        }
    }

    /**
     * The claim's volume: the PV's fate (restore.go:1434-1460 drops volumeName for a PV that is
     * re-provisioned), except that with `restorePVs: false` the CSI PVC action clears
     * volumeName, dataSource and dataSourceRef (csi/pvc_action.go:111-115): a new, empty volume
     * unless the PV itself is restored (then its claimRef binds the claim to it).
     */
    private claimVolume(pvc: KubeObject): VolumeFate | undefined {
        const volumeName = str(record(pvc.spec).volumeName);
        if (!volumeName) return undefined;
        // The claim does not say how its PV was made; without volume info it is taken for a CSI volume.
        const fate = this.volumeFate(volumeName, undefined, this.inputs.volumes?.get(volumeName) === undefined);
        if (this.inputs.spec.restorePVs === false && fate.data !== "source-disk") {
            return { data: "empty", why: "restorePVs is false: the CSI PVC action clears volumeName, dataSource and dataSourceRef, so the claim gets a new, EMPTY volume (csi/pvc_action.go:111-115)" };
        }
        return { data: fate.data, why: `its volume ${volumeName}: ${fate.why}` };
    }

    /** The built-in restore item actions that skip an item (restore.go:1369-1372 honours SkipRestore). */
    private actionSkip(groupResource: string, obj: KubeObject): string | undefined {
        const meta = record(obj.metadata);
        switch (groupResource) {
            case "datauploads.velero.io":
                return "Velero default: a DataUpload is turned into a ConfigMap for the data mover's restore, not restored (dataupload_retrieve_action.go:117)";
            case "volumesnapshots.snapshot.storage.k8s.io":
            case "volumesnapshotcontents.snapshot.storage.k8s.io":
            case "volumesnapshotclasses.snapshot.storage.k8s.io":
                if (this.inputs.spec.restorePVs !== false) return undefined;
                return `restorePVs is false: the CSI ${obj.kind} action skips it (csi/volumesnapshot_action.go:237, volumesnapshotcontent_action.go:62, volumesnapshotclass_action.go:52)`;
            case "apiservices.apiregistration.k8s.io":
                return AUTOMANAGED in stringMap(meta.labels) ? "Velero default: an APIService Kubernetes manages itself (apiservice_action.go:50)" : undefined;
            case "secrets":
                return this.tokenSecretSkip(obj);
            default:
                return undefined;
        }
    }

    /**
     * The Secret action skips a service-account-token Secret named `<sa>-token-*` when a
     * ServiceAccount `<sa>` exists in B in the Secret's namespace as backed up: it lists them
     * before the namespace mapping (secret_action.go:75-90; restore.go:1474 maps later), and
     * ServiceAccounts restore before Secrets since v1.11 (pkg/cmd/server/config/config.go:120-123).
     * Unless told what B holds, the model takes it that the account is there when the Secret's
     * namespace is not mapped (restored just before, or B's own `default`) and absent when it is.
     */
    private tokenSecretSkip(secret: KubeObject): string | undefined {
        if (secret.type !== SA_TOKEN) return undefined;
        const meta = record(secret.metadata);
        const name = str(meta.name) ?? "";
        const namespace = str(meta.namespace) ?? "";
        const known = this.inputs.b?.serviceAccounts?.(namespace);
        if (known) {
            const sa = [...known].find((a) => name.startsWith(`${a}-token-`));
            return sa === undefined ? undefined : `Velero default: service account ${sa} exists in cluster B's namespace ${namespace}, so its token secret is not restored (secret_action.go:80-87)`;
        }
        const account = stringMap(meta.annotations)["kubernetes.io/service-account.name"] ?? (name.startsWith("default-token-") ? "default" : undefined);
        if (account === undefined || !name.startsWith(`${account}-token-`)) return undefined;
        if (this.inputs.spec.namespaceMapping?.[namespace] !== undefined) return undefined;
        return `Velero default: service account ${account} is in namespace ${namespace} by the time Secrets restore (config.go:120-123), so its token secret is not restored (secret_action.go:80-87)`;
    }
}
