import { apiVersionOf, describe, kindOf, pointer, record, refOf } from "../objects";
import { podTemplate } from "../podTemplates";
import { boolFlag, configTrue, helmTruthy, isVeleroNodeAgent, isVeleroRelease, readVeleroInstall, releaseValues, valuesPath, type Located } from "../veleroInstall";
import type { KubeObject, RawFinding, Rule } from "../types";
import { HELM_RELEASES, POD_CONTROLLERS, veleroKinds } from "../kinds";

const WHY =
    "the serverless cluster cannot run Velero's node-agent DaemonSet (迁移限制: EKS 不支持部署 DaemonSet), so neither file-system backup " +
    "nor the CSI data mover can restore volume data there: only CBS CSI snapshots (same account, region and zone) or no volume data";
const FIX = "move volume data with CBS CSI snapshots instead (EnableCSI and a labelled VolumeSnapshotClass), or migrate without it";

/** Backup / Schedule-template fields that send volume data through the node agent. */
const SPEC_FIELDS: Record<string, string> = {
    defaultVolumesToFsBackup: "file-system backup of every volume",
    defaultVolumesToRestic: "restic backup of every volume",
    snapshotMoveData: "the CSI data mover",
};

/** `velero server` flags with the same effect for every backup. */
const SERVER_FLAGS: Record<string, string> = {
    "--default-volumes-to-fs-backup": "file-system backup of every volume",
    "--default-volumes-to-restic": "restic backup of every volume",
    "--default-snapshot-move-data": "the CSI data mover for every backup",
};

/** Pods name the volumes to back up with the node agent in this annotation (opt-in mode). */
const OPT_IN_ANNOTATION = "backup.velero.io/backup-volumes";

function needsAgent(path: string, what: string, fix: string): RawFinding {
    return { path, message: `${what} at ${path} needs Velero's node agent: ${WHY}`, fix };
}

function fromServerArgs(args: Located<string>[]): RawFinding[] {
    const out: RawFinding[] = [];
    for (const [flag, what] of Object.entries(SERVER_FLAGS)) {
        const on = boolFlag(args, flag);
        if (on) out.push(needsAgent(on.path, `velero server flag ${on.value} (${what})`, `remove ${flag}; ${FIX}`));
    }
    return out;
}

function fromSpec(spec: Record<string, unknown>, at: string[], owner: string): RawFinding[] {
    const out: RawFinding[] = [];
    for (const [field, what] of Object.entries(SPEC_FIELDS)) {
        if (spec[field] === true) {
            out.push(needsAgent(pointer(...at, field), `${owner} ${field}: true (${what})`, `set ${field} to false or leave it out; ${FIX}`));
        }
    }
    return out;
}

function fromRelease(obj: KubeObject): RawFinding[] {
    const values = releaseValues(obj);
    const configuration = record(values.configuration);
    const out: RawFinding[] = [];
    // deployRestic is the chart ≤ 2.x name of deployNodeAgent.
    for (const key of ["deployNodeAgent", "deployRestic"]) {
        if (!helmTruthy(values[key])) continue;
        const path = valuesPath(key);
        out.push({
            path,
            message: `Velero release value ${key} at ${path} deploys the ${key === "deployRestic" ? "restic" : "node-agent"} DaemonSet: ${WHY}`,
            fix: `set ${key}: false; ${FIX}`,
            autofix: [{ op: "set", path, value: false }],
        });
    }
    for (const key of ["defaultVolumesToFsBackup", "defaultVolumesToRestic"]) {
        if (helmTruthy(configuration[key])) {
            out.push(needsAgent(valuesPath("configuration", key), `Velero release value configuration.${key} (file-system backup of every volume)`, `leave configuration.${key} unset; ${FIX}`));
        }
    }
    // Rendered as --default-snapshot-move-data=<value>, which Velero parses as a boolean.
    if (configTrue(configuration.defaultSnapshotMoveData)) {
        out.push(needsAgent(valuesPath("configuration", "defaultSnapshotMoveData"), "Velero release value configuration.defaultSnapshotMoveData (the CSI data mover)", `leave configuration.defaultSnapshotMoveData unset; ${FIX}`));
    }
    for (const [name, schedule] of Object.entries(record(values.schedules))) {
        const s = record(schedule);
        if (s.disabled === true) continue;
        out.push(...fromSpec(record(s.template), ["values", "schedules", name, "template"], `Velero release schedule "${name}"`));
    }
    return out;
}

/** Velero installs, node agents, backups and Pods that need the node agent, which the serverless cluster cannot run. */
export const veleroNoNodeAgent: Rule<"velero-no-node-agent"> = {
    id: "velero-no-node-agent",
    defaultLevel: "mandatory",
    title: "No Velero node agent",
    why: WHY,
    fix: `keep deployNodeAgent false; ${FIX}`,
    policy: { onTarget: [...HELM_RELEASES, ...POD_CONTROLLERS], onAnyCluster: veleroKinds("Backup", "Schedule") },
    check(obj) {
        const out: RawFinding[] = [];
        if (isVeleroRelease(obj)) out.push(...fromRelease(obj));
        const install = readVeleroInstall(obj);
        if (install) out.push(...fromServerArgs(install.serverArgs));
        if (isVeleroNodeAgent(obj)) {
            const path = record(obj.metadata).name !== undefined ? "/metadata/name" : "/kind";
            out.push({
                path,
                message: `${describe(refOf(obj))} is Velero's node agent: ${WHY}`,
                fix: `do not restore or install it (deployNodeAgent: false, velero install without --use-node-agent); ${FIX}`,
            });
        }
        if (apiVersionOf(obj) === "velero.io/v1") {
            const spec = record(obj.spec);
            if (kindOf(obj) === "Backup") out.push(...fromSpec(spec, ["spec"], "Backup"));
            if (kindOf(obj) === "Schedule") out.push(...fromSpec(record(spec.template), ["spec", "template"], "Schedule template"));
        }
        const tpl = podTemplate(obj);
        const volumes = tpl?.annotations[OPT_IN_ANNOTATION];
        if (tpl && volumes !== undefined && volumes.trim() !== "") {
            const path = `${tpl.metadataPath}${pointer("annotations", OPT_IN_ANNOTATION)}`;
            out.push(needsAgent(path, `annotation ${OPT_IN_ANNOTATION}: "${volumes}" (file-system backup of these volumes)`, `remove the annotation from the Pod template; ${FIX}`));
        }
        return out;
    },
};
