/**
 * Applies a rule's autofix (declarative set / unset edits, rules/types.ts) to a resource's inputs as the
 * policy SDK hands them to `remediateResource`, copying only the containers on the patched
 * paths. Everything else is passed on as it is, read through property descriptors rather
 * than the unknown-checking proxy: unknown values stay unknown and secret values (the SDK's
 * Secret wrappers) stay secret, which a clone-and-patch (modifiers/jsonPatch.ts) would lose.
 */
import { parsePointer } from "../modifiers/jsonPatch";
import { isRecord } from "../rules/objects";
import type { FixEdit } from "../rules";

type Container = Record<string, unknown> | unknown[];
type SecretClass = new (value: unknown) => { value: unknown };

function own(container: object, key: string): unknown {
    return Object.getOwnPropertyDescriptor(container, key)?.value;
}

function shallowCopy(container: object): Container {
    if (Array.isArray(container)) {
        const length = own(container, "length") as number;
        return Array.from({ length }, (_, i) => own(container, String(i)));
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(container)) out[key] = own(container, key);
    return out;
}

function isContainer(v: unknown): v is Container {
    return Array.isArray(v) || (isRecord(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null));
}

/** An existing element's index: fixes never insert into a list. */
function index(token: string, length: number, path: string): number {
    const i = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : NaN;
    if (!(i < length)) throw new Error(`autofix path ${path}: "${token}" is not an index of an array of ${length}`);
    return i;
}

export async function applyAutofix(props: Record<string, unknown>, ops: readonly FixEdit[]): Promise<Record<string, unknown>> {
    const copied = new WeakSet<object>();
    const root = shallowCopy(props) as Record<string, unknown>;
    copied.add(root);
    let Secret: SecretClass | undefined;
    // Only the engine's remediation inputs hold Secret wrappers, and it has the SDK loaded.
    const secretClass = async () => (Secret ??= (await import("@pulumi/policy")).Secret as SecretClass);
    const isSecret = async (v: unknown) => v !== null && typeof v === "object" && !isContainer(v) && v instanceof (await secretClass());

    /** The child at `key`, copied (and re-wrapped if secret) so it can be changed; a missing map member is created for `set`, undefined for `unset`. */
    async function writableChild(parent: Container, key: string, path: string, create: boolean): Promise<Container | undefined> {
        const k = Array.isArray(parent) ? index(key, parent.length, path) : key;
        const child: unknown = Array.isArray(parent) ? parent[k as number] : (parent as Record<string, unknown>)[k];
        const secretMap = (await isSecret(child)) && isContainer((child as { value: unknown }).value);
        if (!Array.isArray(parent) && !isContainer(child) && !secretMap) {
            // Set makes a map wherever the path needs one and finds none; unset has nothing to clear.
            if (!create) return undefined;
            const made: Record<string, unknown> = {};
            copied.add(made);
            (parent as Record<string, unknown>)[k] = made;
            return made;
        }
        if (isContainer(child)) {
            if (copied.has(child)) return child;
            const copy = shallowCopy(child);
            copied.add(copy);
            (parent as Record<string | number, unknown>)[k] = copy;
            return copy;
        }
        if ((await isSecret(child)) && isContainer((child as { value: unknown }).value)) {
            const copy = shallowCopy((child as { value: object }).value);
            copied.add(copy);
            (parent as Record<string | number, unknown>)[k] = new (await secretClass())(copy);
            return copy;
        }
        throw new Error(`autofix path ${path}: nothing to patch at "${key}"`);
    }

    for (const op of ops) {
        const tokens = parsePointer(op.path);
        if (tokens.length === 0) throw new Error("an autofix may not replace the whole resource");
        let cur: Container | undefined = root;
        for (const token of tokens.slice(0, -1)) {
            cur = await writableChild(cur, token, op.path, op.op === "set");
            if (!cur) break;
        }
        if (!cur) continue; // unset: its map is not there, nothing to clear
        const last = tokens[tokens.length - 1];
        if (Array.isArray(cur)) {
            if (op.op === "unset") throw new Error(`autofix path ${op.path}: unset addresses a map member, not a list element`);
            cur[index(last, cur.length, op.path)] = op.value;
        } else if (op.op === "unset") {
            delete cur[last];
        } else {
            // A value replacing a secret stays secret, as the SDK's own proxy does on writes.
            cur[last] = (await isSecret(cur[last])) ? new (await secretClass())(op.value) : op.value;
        }
    }
    return root;
}
