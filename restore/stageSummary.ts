/**
 * The restore preview as the restore stage reports it (stack outputs, `tke2eks plan`): the
 * counts and the refused objects with why, kept while the objects pass (refused objects are
 * few; the others are only counted). And the gate: which refusals stop the stage before the
 * Restore is created.
 */
import { API_VALIDATION, RESTORE_ERROR, type Judged } from "./pipeline";
import { emptySummary, type PreviewSummary } from "./preview";

export interface RefusedObject {
    /** `Service shop/web` (as backed up, before any namespace mapping). */
    object: string;
    /** Why cluster B refuses it. */
    reasons: string[];
}

export interface StagePreview {
    summary: PreviewSummary;
    refused: RefusedObject[];
}

export class PreviewTally {
    private readonly summary = emptySummary();
    private readonly refused: RefusedObject[] = [];

    add({ preview, refusals }: Judged): void {
        this.summary.objects++;
        this.summary[preview.outcome]++;
        // A restore error (a failing modifier) stops the stage like a refusal, though B creates the object.
        if (preview.outcome !== "refused" && refusals.length === 0) return;
        const where = preview.namespace ? `${preview.namespace}/${preview.name}` : preview.name;
        this.refused.push({ object: `${preview.kind} ${where}`, reasons: refusals });
    }

    result(): StagePreview {
        return { summary: { ...this.summary }, refused: [...this.refused] };
    }
}

function onlyApiValidation(o: RefusedObject): boolean {
    return o.reasons.every((r) => r.startsWith(`${API_VALIDATION}:`) || r.startsWith(`${RESTORE_ERROR}:`));
}

/**
 * The refused objects that stop the stage. A mandatory rule's refusal (not waived) always
 * does, and so do modifiers the target's Velero cannot read. A refusal by B's API validation
 * alone, like a restore error (a modifier that fails), only makes the Restore PartiallyFailed, which the stage fails on anyway: it stops the
 * stage too, unless `tke2eks:restore.allowPartiallyFailed` accepts such a restore.
 */
export function refusalsThatStop(preview: StagePreview, allowPartiallyFailed: boolean): RefusedObject[] {
    return preview.refused.filter((o) => !(allowPartiallyFailed && onlyApiValidation(o)));
}

/** How many refused objects the stop names; a backup with thousands would bury the message. */
const LISTED_REFUSALS = 20;

/** The one error that stops the stage, naming the first refused objects and why, and how to see them all. */
export function refusalMessage(stopping: readonly RefusedObject[], from: string): string {
    const lines = stopping.slice(0, LISTED_REFUSALS).map((o) => `  - ${o.object}: ${o.reasons.join("; ")}`);
    const more = stopping.length - lines.length;
    if (more > 0) lines.push(`  … and ${more} more (tke2eks restore-preview --stack <stack> --backup <the same backup> lists every one)`);
    return (
        `the restore stops before the Restore is created: cluster B would refuse ${stopping.length} object(s) in ${from}` +
        ` (fix them in cluster A and back up again under a new run name, leave them out with tke2eks:restore.excludedResources or excludedNamespaces,` +
        ` or waive a rule's refusal in the file tke2eks:restore.waivers names):\n${lines.join("\n")}`
    );
}
