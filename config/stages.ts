/**
 * The stages of a migration, in order, and what each takes part in; the config, the program
 * and the components ask here instead of listing stages of their own.
 */

/** In order; cutover and rollback are the two-pass migration's second pass and its way back (docs/cutover.md). */
export const STAGES = ["install", "backup", "restore", "complete", "cutover", "rollback"] as const;
export type Stage = (typeof STAGES)[number];

/** Whether `stage` is `first` or comes after it: from backup on a stage has a run (rollback's undoes one). */
export function stageFrom(stage: Stage, first: Stage): boolean {
    return STAGES.indexOf(stage) >= STAGES.indexOf(first);
}

/** Whether the stage's Backup, Restore and verification pass gets as far as `step`; rollback has no pass. */
export function passReaches(stage: Stage, step: "backup" | "restore" | "complete"): boolean {
    return stage !== "rollback" && stageFrom(stage, step);
}
