/** What every input (manifests, a live cluster, a Velero backup) hands the scanner, one object at a time. */
import type { KubeObject } from "../rules/types";

/** Where an object came from, for reports (SARIF needs file and line apart). */
export interface Origin {
    /** A manifest file (as given, relative or absolute), `-` for stdin, or the backup tarball. */
    file?: string;
    /** 1-based line of the object in `file`. */
    line?: number;
    /** The object's entry inside a backup tarball. */
    entry?: string;
    /** The kubeconfig context of a live cluster. */
    cluster?: string;
}

export interface ScanItem {
    obj: KubeObject;
    origin: Origin;
    /** The group-resource when the input knows it (a backup's folder, the API's discovery). */
    groupResource?: string;
}

/** A part of the input that could not be read (a malformed document); the scan goes on. */
export interface InputProblem {
    origin: Origin;
    message: string;
}

/** A document that is not a Kubernetes object (no apiVersion and kind), e.g. a Helm values file. */
export interface Skipped {
    origin: Origin;
}

export type ScanEvent = { item: ScanItem } | { problem: InputProblem } | { skipped: Skipped };

/** `file:line`, `file#entry` or `cluster:context`, as reports print it. */
export function formatOrigin(o: Origin): string {
    if (o.cluster !== undefined) return `cluster:${o.cluster}`;
    if (o.entry !== undefined) return `${o.file ?? "backup"}#${o.entry}`;
    if (o.line !== undefined) return `${o.file ?? "-"}:${o.line}`;
    return o.file ?? "";
}
