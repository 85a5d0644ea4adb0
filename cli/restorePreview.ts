/**
 * `tke2eks restore-preview`: what cluster B will receive from a backup, object by object,
 * after Velero's restore pipeline, the restore fixes and B's API validation. Exit 0 when
 * nothing is refused, 1 when something is, 2 on bad input.
 */
import { ownedObjectsSelector } from "../restore/ownership";
import { loadWaivers, WaiverBook, type Waiver } from "../preflight/waivers";
import { engineOptions } from "../rules/engine";
import { renderPreviewJson } from "../restore/format/json";
import { renderPreviewTable } from "../restore/format/table";
import { previewBackup } from "../restore/preview";
import { openBackup } from "../restore/source";
import { readVolumeInfo } from "../restore/volumeInfo";
import { pipelineFor, stackRestore, type RestoreTarget } from "../restore/stack";
import { s3OptionsFrom, type BackupSourceFlags } from "./backupOptions";
import { outputFormat, useColor, writeAll } from "./output";
import { yamlOf } from "./yamlOutput";
import type { Io } from "./preflight";
import { UserError } from "../core/errors";
import { stackConfigFrom } from "./stack";
import type { StackFlags } from "./stackOptions";

export const FORMATS = ["table", "json", "yaml"] as const;

/** The Velero the model follows, and the target's default when no stack says otherwise. */
export const MODELLED_VELERO = "v1.18.2";

export interface RestorePreviewOptions extends BackupSourceFlags, StackFlags {
    format?: string;
    waivers?: string;
}

/** Without a stack: a Restore of the whole backup with the same owned-object selector. */
function defaultTarget(backup: string): RestoreTarget {
    return {
        spec: { backupName: backup, labelSelector: ownedObjectsSelector(), restorePVs: true },
        restoreName: backup,
        veleroVersion: MODELLED_VELERO,
        engine: engineOptions("eks"),
    };
}

export async function runRestorePreview(opts: RestorePreviewOptions, io: Pick<Io, "stdout"> = { stdout: process.stdout }): Promise<number> {
    const format = outputFormat(opts.format, FORMATS, "table");
    if (!opts.backup) throw new UserError("--backup FILE.tar.gz is required: the Velero backup tarball to preview");
    const given = opts.waivers !== undefined ? loadWaivers(opts.waivers) : undefined;
    const source = openBackup(opts.backup, s3OptionsFrom(opts));
    const stack = await stackConfigFrom(opts);
    // The Restore the stack's restore stage would create, its fix options and waivers (tke2eks:restore.waivers).
    const target: RestoreTarget & { waivers?: Waiver[] } = stack ? { ...stackRestore(stack, source.name), waivers: stack.restore.waivers?.entries } : defaultTarget(source.name);
    // --waivers replaces the stack's file, to try one out before setting it.
    const entries = given ?? target.waivers;
    // How each volume was backed up decides its PV (restore.go:1219): read beside the tarball.
    const volumeInfo = await readVolumeInfo(opts.backup, s3OptionsFrom(opts));
    const waivers = entries ? new WaiverBook(entries) : undefined;
    // A pipeline per read: a read started over (a repeated entry) begins with a fresh one.
    const report = await source.read((events) => previewBackup(events, pipelineFor(target, waivers, volumeInfo.volumes), { backup: source.name, veleroVersion: target.veleroVersion }));
    try {
        const color = useColor(io.stdout, process.env);
        await writeAll(io.stdout, format === "json" ? renderPreviewJson(report) : format === "yaml" ? [await yamlOf(renderPreviewJson(report))] : renderPreviewTable(report, color));
        return report.summary.refused > 0 ? 1 : 0;
    } finally {
        report.objects.close();
    }
}
