/**
 * Pulumi type tokens ↔ the plain Kubernetes objects the rules judge. @pulumi/kubernetes names a
 * resource `kubernetes:<apiVersion>:<Kind>` ("core/v1" for the core group), a server-side-apply
 * patch `<Kind>Patch`, a list `<Kind>List`; a CustomResource gets the token of its own
 * apiVersion and kind (`kubernetes:velero.io/v1:Backup`), and a Helm v3 release is
 * `kubernetes:helm.sh/v3:Release`.
 */
import { groupOf, isRecord } from "../rules/objects";
import type { KubeObject } from "../rules";
import { AUTOSCALERS, HELM_RELEASES, POD_CONTROLLERS, SERVICES, SNAPSHOT_CLASSES, veleroKinds, type KindRef } from "../rules/kinds";

/** "apps/DaemonSet", "core Pod", for messages. */
export function describeKinds(kinds: readonly KindRef[]): string {
    return [...new Set(kinds.map((k) => (k.group ? `${k.group}/${k.kind}` : k.kind)))].join(", ");
}

interface Token {
    apiVersion: string;
    /** The token's last part: a kind, or a kind + "Patch" / "List". */
    name: string;
}

function splitToken(type: string): Token | undefined {
    const parts = type.split(":");
    if (parts.length !== 3 || parts[0] !== "kubernetes" || parts[1] === "" || parts[2] === "") return undefined;
    const apiVersion = parts[1].startsWith("core/") ? parts[1].slice("core/".length) : parts[1];
    return { apiVersion, name: parts[2] };
}

/** What a type token stands for among `kinds`: its apiVersion, kind and whether it is a list. */
export interface SelectedType {
    apiVersion: string;
    kind: string;
    list: boolean;
}

export function selectType(type: string, kinds: readonly KindRef[]): SelectedType | undefined {
    const token = splitToken(type);
    if (!token) return undefined;
    const group = groupOf(token.apiVersion);
    for (const ref of kinds) {
        if (ref.group !== group) continue;
        if (token.name === ref.kind || token.name === `${ref.kind}Patch`) return { apiVersion: token.apiVersion, kind: ref.kind, list: false };
        if (token.name === `${ref.kind}List`) return { apiVersion: token.apiVersion, kind: ref.kind, list: true };
    }
    return undefined;
}

/**
 * Any Kubernetes resource, for set-level rules that look at everything a cluster gets: the
 * kinds we know (with their patch and list forms), else the token's own kind.
 */
export function anyType(type: string): SelectedType | undefined {
    const known = selectType(type, KNOWN_KINDS);
    if (known) return known;
    const token = splitToken(type);
    return token && { apiVersion: token.apiVersion, kind: token.name, list: false };
}

const KNOWN_KINDS: readonly KindRef[] = [
    ...POD_CONTROLLERS,
    ...SERVICES,
    ...AUTOSCALERS,
    ...HELM_RELEASES,
    ...SNAPSHOT_CLASSES,
    ...veleroKinds("Backup", "Restore", "Schedule", "BackupStorageLocation", "VolumeSnapshotLocation"),
];

/** One object a resource stands for, and the pointer of that object inside the resource's inputs. */
export interface AdaptedObject {
    object: KubeObject;
    prefix: string;
}

/**
 * The inputs as the object the rules expect, `apiVersion` and `kind` taken from the token
 * when the inputs omit them (a Helm release never has them). Fields are read lazily, through
 * the engine's unknown-checking proxy, so a rule only touches what it judges.
 */
function withTypeFields(props: Record<string, unknown>, apiVersion: string, kind: string): KubeObject {
    const obj: KubeObject = {};
    for (const key of Object.keys(props)) {
        Object.defineProperty(obj, key, { get: () => props[key], enumerable: true, configurable: true });
    }
    Object.defineProperty(obj, "apiVersion", { get: () => props.apiVersion ?? apiVersion, enumerable: true, configurable: true });
    Object.defineProperty(obj, "kind", { get: () => props.kind ?? kind, enumerable: true, configurable: true });
    return obj;
}

/** The objects a resource's inputs hold: itself, or each item of a `<Kind>List`. */
export function objectsOf(selected: SelectedType, props: Record<string, unknown>): AdaptedObject[] {
    if (!selected.list) return [{ object: withTypeFields(props, selected.apiVersion, selected.kind), prefix: "" }];
    const items = props.items;
    if (!Array.isArray(items)) return [];
    const out: AdaptedObject[] = [];
    items.forEach((item: unknown, i) => {
        if (isRecord(item)) out.push({ object: withTypeFields(item, selected.apiVersion, selected.kind), prefix: `/items/${i}` });
    });
    return out;
}

