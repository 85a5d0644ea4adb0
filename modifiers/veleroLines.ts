/**
 * What each Velero release can do with resource modifiers, read from its source (tags in
 * velero-io/velero): which format it parses, which object it matches conditions against,
 * and which kinds its strategic merge patches know.
 */
import { versionAtLeast } from "../rules/veleroVersions";
import type { PasteRules } from "./veleroFormat";

/**
 * Merge and strategic patches, `matches`, globs and the quoted value form: v1.12.2 on
 * (backported in #6917 and #7131; v1.12.1's resource_modifiers.go has only JSON patches,
 * v1.12.2 adds json_merge_patch.go and strategic_merge_patch.go). An unparsable or
 * minor-only version ("1.12") counts as the line's first release.
 */
export function readsModernModifiers(velero: string): boolean {
    return versionAtLeast(velero, "1.12.2") === true;
}

/**
 * Conditions are matched against the object as it was before any rule patched it from
 * v1.14.0 (resource_modifiers.go:89-95 at v1.18.2); before, against the object as the
 * previous rules left it.
 */
export function matchesOriginal(velero: string): boolean {
    return versionAtLeast(velero, "1.14.0") === true;
}

/**
 * The API versions a strategic merge patch can be applied to: the kinds registered in the
 * Velero server's scheme (strategic_merge_patch.go:30 looks the object's kind up there).
 * pkg/cmd/server/server.go registers core/v1 and snapshot v1 in every release, batch/v1 and
 * apps/v1 from v1.14.0 (server.go:358-362 at v1.14.0; :254-258 at v1.18.2).
 */
export function strategicApiVersions(velero: string): ReadonlySet<string> {
    const out = new Set(["v1", "snapshot.storage.k8s.io/v1"]);
    if (versionAtLeast(velero, "1.14.0") === true) for (const v of ["apps/v1", "batch/v1"]) out.add(v);
    return out;
}

/** How this Velero pastes a JSON patch's value. */
export function pasteRulesFor(velero: string): PasteRules {
    return readsModernModifiers(velero) ? "1.13+" : "1.12";
}
