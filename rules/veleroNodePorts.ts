/**
 * Which nodePorts Velero v1.18.2's Service restore action keeps, the one place both the
 * NodePort rule (which nodePorts reach B) and the restore model (restore/actions.ts) read it
 * from: a port named in `last-applied-configuration` (service_action.go:148-203), else one
 * whose nodePort is owned in `managedFields`, keyed as Velero keys ports (service_action.go:205-232,
 * portKey at :258, with the protocol as the object has it).
 */
import { array, isRecord, record, str, stringMap } from "./objects";
import type { KubeObject } from "./types";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** The object as `kubectl apply` last wrote it, when it carries that annotation. */
export function lastApplied(obj: KubeObject): Record<string, unknown> | undefined {
    const text = stringMap(record(obj.metadata).annotations)[LAST_APPLIED];
    return text === undefined ? undefined : record(parseJson(text));
}

/**
 * Whether a port keeps its nodePort through the Service action; undefined when the object
 * carries neither last-applied-configuration nor managedFields (a manifest, not a served object).
 */
export function veleroKeepsNodePort(svc: KubeObject): ((port: Record<string, unknown>) => boolean) | undefined {
    const applied = lastApplied(svc);
    if (applied !== undefined) {
        const ports = array(record(applied.spec).ports).filter(isRecord).filter((p) => Number(p.nodePort) > 0);
        const names = new Set(ports.filter((p) => typeof p.name === "string").map((p) => p.name));
        const unnamed = new Set(ports.filter((p) => p.name === undefined).map((p) => Number(p.nodePort)));
        return (p) => (str(p.name) ? names.has(p.name) : unnamed.has(Number(p.nodePort)));
    }
    const managed = array(record(svc.metadata).managedFields).filter(isRecord);
    if (managed.length === 0) return undefined;
    const owned = new Set<string>();
    for (const entry of managed) {
        for (const [key, fields] of Object.entries(record(record(record(entry.fieldsV1)["f:spec"])["f:ports"]))) {
            if (isRecord(fields) && "f:nodePort" in fields) owned.add(key);
        }
    }
    return (p) => owned.has(`k:{"port":${String(p.port ?? 0)},"protocol":"${str(p.protocol) ?? ""}"}`);
}
