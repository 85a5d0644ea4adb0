/**
 * Runs every object of a backup through the restore pipeline, one at a time as the reader
 * yields it, spooling the predictions and counting the outcomes.
 */
import { formatOrigin, type ScanEvent } from "../preflight/types";
import { OUTCOMES, type ObjectPreview, type Outcome, type RestorePipeline } from "./pipeline";
import { Spool } from "./spool";
import { UserError } from "../core/errors";

export type PreviewSummary = { objects: number } & Record<Outcome, number>;

export interface PreviewReport {
    backup: string;
    veleroVersion: string;
    summary: PreviewSummary;
    /** The predictions in backup order; close the report when done. */
    objects: Spool<ObjectPreview>;
}

export function emptySummary(): PreviewSummary {
    return { objects: 0, ...(Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>) };
}

/**
 * Previews every item; a part of the backup that cannot be read makes the whole preview
 * fail (a hidden object could be one B refuses), naming the first such entry.
 */
export async function previewBackup(events: AsyncIterable<ScanEvent>, pipeline: RestorePipeline, meta: { backup: string; veleroVersion: string }): Promise<PreviewReport> {
    const objects = new Spool<ObjectPreview>();
    const summary = emptySummary();
    const problems: string[] = [];
    try {
        for await (const event of events) {
            if ("problem" in event) problems.push(`${formatOrigin(event.problem.origin)}: ${event.problem.message}`);
            if (!("item" in event)) continue;
            const { obj, groupResource } = event.item;
            const preview = pipeline.preview(obj, groupResource ?? "");
            summary.objects++;
            summary[preview.outcome]++;
            objects.add(preview);
        }
        if (problems.length > 0) {
            throw new UserError(`${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more unreadable entries)` : ""}`);
        }
    } catch (err) {
        objects.close();
        throw err;
    }
    return { ...meta, summary, objects };
}
