/**
 * Preflight's view of the restore's StorageClass and image mappings (`tke2eks:restore.
 * storageClassMapping`, `imageMapping`, read from `--stack`): a StorageClass A's claims name
 * that B lacks gets a mapping suggested from B's classes; a mapped class must exist in B,
 * since Velero's change-storage-class action fails the item otherwise
 * (pkg/restore/actions/change_storageclass_action.go:155-158 at v1.18.2); an image whose
 * registry the team maps for other images but that no row matches keeps pulling from that
 * registry, which the mapping says B cannot reach.
 */
import { describe, str } from "../rules/objects";
import { registryOf } from "../rules/eks-image-registry";
import { containers, podTemplate } from "../rules/podTemplates";
import type { KubeObject, ObjectRef } from "../rules/types";
import type { ReportFinding } from "./findingStore";
import { formatOrigin, type Origin, type ScanEvent } from "./types";

export interface MappingInput {
    storageClass: Readonly<Record<string, string>>;
    image: Readonly<Record<string, string>>;
}

interface ImageUse {
    ref: ObjectRef;
    origin: Origin;
    path: string;
    containers: number;
}

/** The images A's pod templates use, noted as objects pass (the first user of each, and how many). */
export class ImageTally {
    readonly images = new Map<string, ImageUse>();

    add(obj: KubeObject, origin: Origin): void {
        const tpl = podTemplate(obj);
        if (!tpl) return;
        const meta = (obj.metadata ?? {}) as Record<string, unknown>;
        const ref: ObjectRef = { apiVersion: String(obj.apiVersion), kind: String(obj.kind), name: str(meta.name) ?? "", ...(str(meta.namespace) ? { namespace: str(meta.namespace) } : {}) };
        for (const c of containers(tpl)) {
            const image = str(c.container.image);
            if (!image) continue;
            const seen = this.images.get(image);
            if (seen) seen.containers++;
            else this.images.set(image, { ref, origin, path: `${c.path}/image`, containers: 1 });
        }
    }

    async *tap(input: AsyncIterable<ScanEvent>): AsyncGenerator<ScanEvent> {
        for await (const event of input) {
            if ("item" in event) this.add(event.item.obj, event.item.origin);
            yield event;
        }
    }
}

/** The class to suggest for a missing one: B's default, else its only class; none when B has several and no default. */
export function suggestedClass(classes: readonly { name: string; isDefault: boolean }[]): string | undefined {
    return classes.find((c) => c.isDefault)?.name ?? (classes.length === 1 ? classes[0].name : undefined);
}

/** The fix for claims naming a class B lacks: create it, or map it onto one of B's. */
export function missingClassFix(name: string, classes: readonly { name: string; isDefault: boolean }[], create: string): string {
    const to = suggestedClass(classes);
    const mapTo = to ?? `one of ${classes.map((c) => c.name).join(", ") || "B's classes (B has none)"}`;
    return `${create}, or map it onto B's: tke2eks:restore.storageClassMapping: {${name}: ${mapTo}}`;
}

/** Mapped classes B does not have: Velero's action fails every such claim (change_storageclass_action.go:155-158). */
export function mappedClassFindings(claimsByClass: ReadonlyMap<string, number>, classes: readonly { name: string; isDefault: boolean }[], mapping: Readonly<Record<string, string>>): ReportFinding[] {
    const present = new Set(classes.map((c) => c.name));
    const out: ReportFinding[] = [];
    for (const [from, to] of Object.entries(mapping)) {
        if (present.has(to)) continue;
        const claims = claimsByClass.get(from) ?? 0;
        out.push({
            rule: "velero-snapshot-class",
            severity: "error",
            path: "",
            message: `tke2eks:restore.storageClassMapping maps ${from} onto ${to}, which cluster B does not have: Velero's change-storage-class action fails ${claims === 1 ? "the claim" : `each of the ${claims} claims`} that name ${from} (change_storageclass_action.go:155-158)`,
            fix: `create StorageClass ${to} on cluster B, or map ${from} onto ${suggestedClass(classes) ?? `one of ${classes.map((c) => c.name).join(", ")}`}`,
            autofix: false,
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            name: to,
        });
    }
    return out;
}

/**
 * Images B cannot pull: their registry appears in a mapping row (the team moves that registry's
 * images), but no row's part is in this image, so Velero leaves it as it is
 * (change_image_name_action.go:196-208).
 */
export function unmappedImageFindings(images: ImageTally, mapping: Readonly<Record<string, string>>): ReportFinding[] {
    const mappedRegistries = new Set(Object.keys(mapping).flatMap((from) => (from.includes("/") ? [registryOf(from)] : [])).filter((r) => r !== undefined));
    const out: ReportFinding[] = [];
    for (const [image, use] of images.images) {
        const registry = registryOf(image);
        if (registry === undefined || !mappedRegistries.has(registry)) continue;
        if (Object.keys(mapping).some((from) => image.includes(from))) continue;
        out.push({
            rule: "eks-image-registry",
            severity: "warning",
            path: use.path,
            message: `${describe(use.ref)} (${use.containers} container${use.containers === 1 ? "" : "s"}) uses ${image}: tke2eks:restore.imageMapping moves other images of ${registry}, but no row matches this one, so cluster B still pulls it from ${registry}`,
            fix: `add a row for it to tke2eks:restore.imageMapping (e.g. the image's repository path), or mirror it where B can pull it`,
            autofix: false,
            apiVersion: use.ref.apiVersion,
            kind: use.ref.kind,
            name: use.ref.name,
            ...(use.ref.namespace !== undefined ? { namespace: use.ref.namespace } : {}),
            origin: use.origin,
            source: formatOrigin(use.origin),
        });
    }
    return out;
}
