/**
 * Checks of the team's own restore changes that need more than the schema: the modifier files
 * are read and validated now, for the target's Velero (a bad rule stops `pulumi preview`, not
 * the Restore), and image mapping parts must not overlap.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateResourceModifiers } from "../modifiers/validate";
import type { ResourceModifiers } from "../modifiers/veleroFormat";
import type { ConfigIssue } from "./errors";

/** One file of `tke2eks:restore.modifiers`, read and valid. */
export interface UserModifierFile {
    /** As configured (relative to the project): how the preview and the ConfigMap name it. */
    given: string;
    modifiers: ResourceModifiers;
}

/** Reads and validates each file for the target's Velero (its image tag; undefined: the newest rules); problems name the key, the file and the rule. */
export function checkModifierFiles(given: readonly string[], projectDir: string, velero: string | undefined, key: (i: number) => string, issues: ConfigIssue[]): UserModifierFile[] {
    const out: UserModifierFile[] = [];
    given.forEach((file, i) => {
        let text: string;
        try {
            text = fs.readFileSync(path.resolve(projectDir, file), "utf8");
        } catch (err) {
            issues.push({ key: key(i), value: JSON.stringify(file), message: `cannot be read: ${(err as Error).message}` });
            return;
        }
        const check = validateResourceModifiers(text, { velero });
        if (!check.ok) {
            issues.push({ key: key(i), value: JSON.stringify(file), message: `not valid Velero resource modifiers${velero ? ` for Velero ${velero}` : ""}: ${check.errors.join("; ")}` });
            return;
        }
        out.push({ given: file, modifiers: check.value });
    });
    return out;
}

/**
 * Velero's change-image-name action takes the first row whose part the image contains, in Go
 * map order, which is random (pkg/restore/actions/change_image_name_action.go:196-207 at
 * v1.18.2): two parts where one contains the other would map an image either way.
 */
export function checkImageMapping(mapping: Readonly<Record<string, string>>, key: (from: string) => string, issues: ConfigIssue[]): void {
    const parts = Object.keys(mapping);
    for (const a of parts) {
        const other = parts.find((b) => b !== a && b.includes(a));
        if (other !== undefined) {
            issues.push({ key: key(a), value: JSON.stringify(mapping[a]), message: `"${a}" is part of "${other}", also mapped: Velero picks either row at random for an image holding both; keep one` });
        }
    }
}
