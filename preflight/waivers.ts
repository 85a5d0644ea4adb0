/**
 * Waivers: a YAML or JSON list of `{rule, namespace, name, reason, expires}`, each accepting
 * one finding until a date. A waiver matches the finding with that rule on that object
 * exactly (no `namespace` for a cluster-scoped object); a waiver with neither `namespace`
 * nor `name` accepts a rule's scan-level findings (the Pod quota, registries) wherever they
 * point. After `expires` (a YYYY-MM-DD date, valid through that day) the
 * finding counts again. The file is validated strictly, every entry at once: one line naming
 * the file and, for each mistake, the entry and the key.
 */
import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { formatIssues } from "../modifiers/issues";
import { RULE_IDS, type RuleId } from "../rules/catalogue";
import { UserError } from "../core/errors";
import { readTextFile } from "../core/textFile";

export interface Waiver {
    rule: RuleId;
    namespace?: string;
    name?: string;
    reason: string;
    /** YYYY-MM-DD. */
    expires: string;
    /** 1-based position in the file, for messages. */
    entry: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(s: string): boolean {
    const m = DATE.exec(s);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const waiverSchema = z.strictObject({
    rule: z.enum(RULE_IDS, { error: (i) => `${JSON.stringify(i.input)} is not a rule ID (${RULE_IDS.join(", ")})` }),
    namespace: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    reason: z.string().trim().min(1, "must say why the finding is accepted"),
    expires: z
        .string({ error: "must be a date, YYYY-MM-DD (quote it in YAML)" })
        .refine(isDate, { error: (i) => `${JSON.stringify(i.input)} is not a date (YYYY-MM-DD)` }),
});

function describeEntry(raw: unknown, index: number): string {
    const e = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const what = [e.rule, [e.namespace, e.name].filter((x) => typeof x === "string").join("/")].filter((x) => typeof x === "string" && x !== "");
    return `entry ${index + 1}${what.length > 0 ? ` (${what.join(" ")})` : ""}`;
}

/** Parses and validates waivers text; throws UserError naming the file and every bad entry and key. */
export function parseWaivers(text: string, file: string): Waiver[] {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) throw new UserError(`waivers ${file}: malformed YAML/JSON: ${doc.errors[0].message}`);
    let list: unknown;
    try {
        list = doc.toJS();
    } catch (err) {
        // The yaml library refuses an alias fan-out (a "billion laughs") here, as a plain Error.
        throw new UserError(`waivers ${file}: cannot be read: ${(err as Error).message}`);
    }
    if (list === null || list === undefined) return [];
    if (!Array.isArray(list)) throw new UserError(`waivers ${file}: must be a list of {rule, namespace, name, reason, expires}`);
    const waivers: Waiver[] = [];
    const problems: string[] = [];
    list.forEach((raw: unknown, i) => {
        const parsed = waiverSchema.safeParse(raw);
        if (parsed.success) waivers.push({ ...parsed.data, entry: i + 1 });
        else problems.push(`${describeEntry(raw, i)}: ${formatIssues(parsed.error.issues).join(", ")}`);
    });
    if (problems.length === 1) throw new UserError(`waivers ${file}: ${problems[0]}`);
    if (problems.length > 1) throw new UserError(`waivers ${file}: ${problems.length} bad entries: ${problems.join("; ")}`);
    return waivers;
}

export function loadWaivers(file: string): Waiver[] {
    if (!fs.existsSync(file)) throw new UserError(`waivers ${file}: no such file`);
    const read = readTextFile(file);
    if ("unreadable" in read) throw new UserError(`waivers ${file}: cannot be read: ${read.unreadable}`);
    return parseWaivers(read.text, file);
}

export interface WaiverMatch {
    waiver: Waiver;
    expired: boolean;
}

/** Looks waivers up by rule and object; tracks which ones were used. */
export class WaiverBook {
    private readonly byKey = new Map<string, Waiver[]>();
    private readonly used = new Set<Waiver>();

    constructor(
        readonly waivers: readonly Waiver[],
        /** Today as YYYY-MM-DD (UTC). */
        private readonly today: string = new Date().toISOString().slice(0, 10),
    ) {
        for (const w of waivers) {
            const key = WaiverBook.key(w.rule, w.namespace, w.name);
            this.byKey.set(key, [...(this.byKey.get(key) ?? []), w]);
        }
    }

    private static key(rule: string, namespace: string | undefined, name: string | undefined): string {
        return JSON.stringify([rule, namespace ?? null, name ?? null]);
    }

    /** The waiver for this finding: a current one if any, else an expired one. */
    match(rule: string, namespace: string | undefined, name: string | undefined): WaiverMatch | undefined {
        const candidates = this.byKey.get(WaiverBook.key(rule, namespace, name));
        if (!candidates) return undefined;
        const current = candidates.find((w) => w.expires >= this.today);
        const waiver = current ?? candidates[0];
        this.used.add(waiver);
        return { waiver, expired: current === undefined };
    }

    /** Waivers that matched no finding (stale entries to clean up). */
    unused(): Waiver[] {
        return this.waivers.filter((w) => !this.used.has(w));
    }
}
