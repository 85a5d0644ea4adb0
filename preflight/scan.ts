/**
 * The scanner: judges objects one at a time as an input yields them (never holding more
 * than one), feeds the set-level rules, applies waivers, and collects what the reports, the
 * restore modifiers, the exclusions and the quota planner need. Findings go to a
 * FindingStore on disk; fixes and the list of refused objects are kept only when asked for.
 */
import type { ObjectFix } from "../modifiers/build";
import { resolveFixes } from "../modifiers/fixEdits";
import { groupResourceOf } from "../modifiers/groupResources";
import { AggregateScan, checkObject, type EngineOptions } from "../rules/engine";
import { describe, record, refOf, str } from "../rules/objects";
import type { Finding, FixEdit, ObjectRef, Profile, RuleId } from "../rules";
import { ExclusionTally, type Exclusions } from "./exclusions";
import { FindingStore, type ReportFinding } from "./findingStore";
import { QuotaPlanner, type PodPlan } from "./quota";
import { formatOrigin, type InputProblem, type Origin, type ScanEvent, type ScanItem } from "./types";
import type { Waiver, WaiverBook } from "./waivers";

/** "Deployment shop/web" for a finding about one object; "all scanned objects" otherwise. */
export function findingObject(f: ReportFinding): string {
    return f.kind ? describe({ apiVersion: f.apiVersion ?? "", kind: f.kind, namespace: f.namespace, name: f.name }) : "all scanned objects";
}

/** An automatic fix that cannot become a restore modifier, and why. */
export interface UnpatchableFix {
    ref: ObjectRef;
    reason: string;
}

export interface ScanReport {
    profile: Profile;
    /** Objects judged. */
    objects: number;
    /** Every finding: counted ones (expired waivers included) and waived ones. Close it when done. */
    findings: FindingStore;
    /** Parts of the input that could not be read. */
    problems: InputProblem[];
    /** Documents that are not Kubernetes objects, and where the first one is. */
    skipped: { count: number; first?: Origin };
    /** Automatic fixes per object, checked to apply to the object as scanned (with `collectFixes`). */
    fixes: ObjectFix[];
    unpatchable: UnpatchableFix[];
    exclusions: Exclusions;
    pods: PodPlan;
    unusedWaivers: Waiver[];
}

export interface ScanOptions {
    engine: EngineOptions;
    waivers?: WaiverBook;
    /** Only objects in these namespaces (empty: all). */
    namespaces?: readonly string[];
    /** Keep the automatic fixes, for restore modifiers. */
    collectFixes?: boolean;
    /** Keep the refused objects the exclusions do not cover, to list them. */
    listRefused?: boolean;
    /** Called after each object, for progress. */
    onObject?: (objects: number, origin: Origin) => void;
    /**
     * Findings known only once every object is seen (cluster B's prerequisites, which need all
     * the volumes): filed like the set-level rules' findings, so waivers apply to them too.
     */
    afterObjects?: () => Iterable<ReportFinding>;
}

function toReport(f: Finding, ref: ObjectRef | undefined, origin: Origin | undefined): ReportFinding {
    const out: ReportFinding = { rule: f.rule, severity: f.severity, path: f.path, message: f.message, fix: f.fix, autofix: (f.autofix ?? []).length > 0 };
    if (ref) {
        if (ref.apiVersion) out.apiVersion = ref.apiVersion;
        if (ref.kind) out.kind = ref.kind;
        if (ref.namespace !== undefined) out.namespace = ref.namespace;
        if (ref.name !== undefined) out.name = ref.name;
        if (ref.source !== undefined) out.source = ref.source;
    }
    if (origin) out.origin = origin;
    return out;
}

export class Scanner {
    private objects = 0;
    private readonly skipped: ScanReport["skipped"] = { count: 0 };
    private readonly findings = new FindingStore();
    private readonly problems: InputProblem[] = [];
    private readonly fixes: ObjectFix[] = [];
    private readonly unpatchable: UnpatchableFix[] = [];
    private readonly aggregate: AggregateScan;
    private readonly exclusions: ExclusionTally;
    private readonly quota = new QuotaPlanner();
    /** Where each object came from, for set-level findings that point at one (kept only while a rule keeps the ref). */
    private readonly origins = new WeakMap<ObjectRef, Origin>();

    constructor(private readonly opts: ScanOptions) {
        this.aggregate = new AggregateScan(opts.engine);
        this.exclusions = new ExclusionTally(opts.listRefused === true);
    }

    /**
     * Files a finding as counted or waived; returns whether it counts. A set-level finding
     * (the Pod quota, a registry) is also waived by a waiver naming only its rule, since the
     * object it points at is just an example that may change from scan to scan.
     */
    private file(f: ReportFinding, setLevel = false): boolean {
        const book = this.opts.waivers;
        const match = book?.match(f.rule, f.namespace, f.name) ?? (setLevel ? book?.match(f.rule, undefined, undefined) : undefined);
        if (match) f.waiver = { reason: match.waiver.reason, expires: match.waiver.expires, expired: match.expired, entry: match.waiver.entry };
        this.findings.add(f);
        return !match || match.expired;
    }

    add(event: ScanEvent): void {
        if ("problem" in event) this.problems.push(event.problem);
        else if ("skipped" in event) this.skip(event.skipped.origin);
        else this.judge(event.item);
    }

    private skip(origin: Origin): void {
        this.skipped.count++;
        this.skipped.first ??= origin;
    }

    private judge({ obj, origin, groupResource }: ScanItem): void {
        const meta = record(obj.metadata);
        const namespace = str(meta.namespace);
        const only = this.opts.namespaces ?? [];
        if (only.length > 0 && (namespace === undefined || !only.includes(namespace))) return;
        this.objects++;
        const ref = refOf(obj, formatOrigin(origin));
        this.origins.set(ref, origin);
        this.aggregate.add(obj, ref);
        this.quota.add(obj, ref);
        const gr = groupResource ?? groupResourceOf(ref.apiVersion, ref.kind);
        const refusedBy = new Set<RuleId>();
        const fixes: FixEdit[][] = [];
        for (const f of checkObject(obj, this.opts.engine)) {
            const counts = this.file(toReport(f, ref, origin));
            if (!counts) continue;
            // A waived finding is accepted as it is: it gets no restore modifier either.
            if ((f.autofix ?? []).length > 0) fixes.push(f.autofix ?? []);
            if (f.severity === "error" && (f.autofix ?? []).length === 0) refusedBy.add(f.rule);
        }
        this.exclusions.add(ref, gr, [...refusedBy]);
        if (fixes.length > 0 && this.opts.collectFixes) this.collectFix(obj, ref, gr, fixes);
        this.opts.onObject?.(this.objects, origin);
    }

    private collectFix(obj: Record<string, unknown>, ref: ObjectRef, gr: string | undefined, edits: FixEdit[][]): void {
        if (!gr) {
            this.unpatchable.push({ ref, reason: `no restore modifier: Velero's group-resource for ${ref.apiVersion} ${ref.kind} is not known` });
            return;
        }
        if (!ref.name) {
            this.unpatchable.push({ ref, reason: "no restore modifier: the object has no name to match" });
            return;
        }
        // Each fix on its own: one that cannot be written leaves the others.
        const { fixes, problems } = resolveFixes(obj, edits);
        for (const p of problems) this.unpatchable.push({ ref, reason: `no restore modifier for one fix: ${p}` });
        if (fixes.length === 0) return;
        const fix: ObjectFix = { groupResource: gr, apiVersion: ref.apiVersion, name: ref.name, fixes };
        if (ref.namespace) fix.namespace = ref.namespace;
        this.fixes.push(fix);
    }

    /** Drops the findings of a scan that will not finish. */
    close(): void {
        this.findings.close();
    }

    finish(): ScanReport {
        for (const f of this.aggregate.finish()) {
            const origin = f.object ? this.origins.get(f.object) : undefined;
            this.file(toReport(f, f.object, origin), true);
        }
        for (const f of this.opts.afterObjects?.() ?? []) this.file(f, true);
        return {
            profile: this.opts.engine.profile,
            objects: this.objects,
            findings: this.findings,
            problems: this.problems,
            skipped: this.skipped,
            fixes: this.fixes,
            unpatchable: this.unpatchable,
            exclusions: this.exclusions.result(),
            pods: this.quota.plan(this.opts.engine.profile),
            unusedWaivers: this.opts.waivers?.unused() ?? [],
        };
    }
}

/** Scans every event of an input; the caller closes the report's findings. */
export async function scan(input: AsyncIterable<ScanEvent>, opts: ScanOptions): Promise<ScanReport> {
    const scanner = new Scanner(opts);
    try {
        for await (const event of input) scanner.add(event);
    } catch (err) {
        scanner.close();
        throw err;
    }
    return scanner.finish();
}
