import { strict as assert } from "node:assert";
import { API_TABLE, chooseRestoreVersion, compareKubeVersions, groupAndVersion, groupsServing, parseMinor, servedAtMinor, servingVersions, sortKubeVersions } from "../apiVersions";
import { checkObject, DEFAULT_FIXES, engineOptions, resolveProfile, type EngineOptions, type KubeObject } from "..";
import { restoredAs } from ".";
import type { GroupVersions, ServedApis } from "../types";

const obj = (apiVersion: string, kind: string): KubeObject => ({ apiVersion, kind, metadata: { name: "x", namespace: "shop" } });
const atMinor = (targetMinor: number): EngineOptions => ({ ...engineOptions("eks", { targetMinor }), only: ["k8s-api-versions"] });

describe("rule k8s-api-versions", () => {
    describe("the removals table (Kubernetes' deprecated API migration guide)", () => {
        for (const row of API_TABLE.filter((r) => r.removedIn !== undefined)) {
            for (const kind of row.kinds) {
                it(`${row.apiVersion} ${kind}: served at 1.${row.removedIn! - 1}, refused at 1.${row.removedIn}`, () => {
                    assert.deepEqual(checkObject(obj(row.apiVersion, kind), atMinor(row.removedIn! - 1)), []);
                    const [f] = checkObject(obj(row.apiVersion, kind), atMinor(row.removedIn!));
                    assert.equal(f?.severity, "error");
                    assert.equal(f.path, "/apiVersion");
                    assert.match(f.message, new RegExp(`^${kind} shop/x will not arrive: Velero restores it as ${row.apiVersion.replace(/\./g, "\\.")} `));
                });
            }
        }

        it("names the version to re-create the object in, or says none fits", () => {
            const [ingress] = checkObject(obj("extensions/v1beta1", "Ingress"), atMinor(22));
            assert.match(ingress.message, /cluster B serves no version of the group/);
            assert.match(ingress.fix, /re-create it on cluster B as networking\.k8s\.io\/v1 Ingress/);
            const [psp] = checkObject(obj("policy/v1beta1", "PodSecurityPolicy"), atMinor(25));
            assert.match(psp.fix, /cluster B serves no version of PodSecurityPolicy/);
            const [hpa] = checkObject(obj("autoscaling/v2beta2", "HorizontalPodAutoscaler"), atMinor(26));
            assert.match(hpa.fix, /as autoscaling\/v2 HorizontalPodAutoscaler/);
        });

        it("stays silent on kinds, groups and custom resources it does not know, and without a target version", () => {
            assert.deepEqual(checkObject(obj("v1", "Service"), atMinor(30)), []);
            assert.deepEqual(checkObject(obj("velero.io/v1", "Backup"), atMinor(30)), []);
            assert.deepEqual(checkObject(obj("networking.k8s.io/v1beta1", "Ingress"), { ...engineOptions("eks"), only: ["k8s-api-versions"] }), []);
        });

        it("derives each group's versions and preferred version at a minor", () => {
            assert.deepEqual(servedAtMinor(20).group("batch"), { preferred: "v1", versions: ["v1", "v1beta1"] });
            assert.equal(servedAtMinor(20).serves("batch", "v1", "CronJob"), false);
            assert.deepEqual(servedAtMinor(25).group("batch"), { preferred: "v1", versions: ["v1"] });
            assert.deepEqual(servedAtMinor(18).group("networking.k8s.io"), { preferred: "v1", versions: ["v1", "v1beta1"] });
            assert.deepEqual(servedAtMinor(22).group("extensions"), { preferred: "", versions: [] });
            assert.equal(servedAtMinor(22).group("velero.io"), undefined);
        });

        it("reads 1.N versions, with or without v and patch", () => {
            assert.equal(parseMinor("1.22"), 22);
            assert.equal(parseMinor("v1.28.3-tke.5"), 28);
            assert.equal(parseMinor("2.0"), undefined);
            assert.equal(parseMinor("1.x"), undefined);
        });
    });

    describe("Velero's choice with EnableAPIGroupVersions (velero v1.18.2 pkg/restore/prioritize_group_version.go)", () => {
        const gv = (preferred: string, ...others: string[]): GroupVersions => ({ preferred, versions: [preferred, ...others] });

        it("sorts versions as Kubernetes does: GA, beta, alpha, higher first", () => {
            assert.deepEqual(["v1beta1", "v1", "v2alpha1", "v2beta2", "v2", "foo"].sort(compareKubeVersions), ["v2", "v1", "v2beta2", "v1beta1", "v2alpha1", "foo"]);
        });
        it("B lacks the group: A's preferred (62-67)", () => {
            assert.deepEqual(chooseRestoreVersion(gv("v1beta1"), { preferred: "", versions: [] }), { version: "v1beta1", choice: "group-not-on-target" });
        });
        it("priority 1: B's preferred when the backup holds it, even if A preferred another (88-104)", () => {
            assert.deepEqual(chooseRestoreVersion(gv("v1", "v2", "v2beta2"), gv("v2", "v1")), { version: "v2", choice: "target-preferred" });
        });
        it("priority 2: A's preferred when B serves it (107-119)", () => {
            assert.deepEqual(chooseRestoreVersion(gv("v1beta1"), gv("v1", "v1beta1")), { version: "v1beta1", choice: "source-preferred" });
        });
        it("priority 3: a common version that is neither sorted list's first (122-136)", () => {
            assert.deepEqual(chooseRestoreVersion(gv("v1beta1", "v3", "v2"), gv("v4", "v2")), { version: "v2", choice: "common" });
            // The common version is A's first after sorting: Velero skips it and falls back.
            assert.deepEqual(chooseRestoreVersion(gv("v1beta1", "v2"), gv("v3", "v2")), { version: "v1beta1", choice: "source-preferred-fallback" });
        });
        it("nothing fits: A's preferred, which B then refuses (139-145)", () => {
            assert.deepEqual(chooseRestoreVersion(gv("v1beta1"), gv("v1")), { version: "v1beta1", choice: "source-preferred-fallback" });
        });
        it("tells the restore preview the version each object arrives as", () => {
            const ctx = { profile: resolveProfile("eks"), fixes: DEFAULT_FIXES, apis: { target: servedAtMinor(26), source: () => gv("v2beta2", "v2", "v1") } };
            const hpa = obj("autoscaling/v2beta2", "HorizontalPodAutoscaler");
            assert.deepEqual([restoredAs(hpa, ctx)?.apiVersion, restoredAs(hpa, ctx)?.choice, restoredAs(hpa, ctx)?.served], ["autoscaling/v2", "target-preferred", true]);
            const alone = { ...ctx, apis: { target: servedAtMinor(26) } };
            assert.deepEqual([restoredAs(hpa, alone)?.apiVersion, restoredAs(hpa, alone)?.served], ["autoscaling/v2beta2", false]);
            assert.equal(restoredAs(obj("velero.io/v1", "Backup"), ctx), undefined);
        });

        it("an object arrives in B's preferred version when A's backup also holds it", () => {
            const opts: EngineOptions = {
                ...atMinor(22),
                apis: { target: servedAtMinor(22), source: (group, kind) => (group === "networking.k8s.io" && kind === "Ingress" ? gv("v1beta1", "v1") : undefined) },
            };
            assert.deepEqual(checkObject(obj("networking.k8s.io/v1beta1", "Ingress"), opts), []);
        });
    });

    describe("each finding as one line", () => {
        const line = (o: KubeObject, opts: EngineOptions) => checkObject(o, opts).map((f) => [f.path, f.message, f.fix]);

        it("judges nothing while B's version is unknown (targetMinor 0)", () => {
            assert.deepEqual(checkObject(obj("extensions/v1beta1", "Ingress"), atMinor(0)), []);
            // Nor does the restore preview claim a version for it.
            assert.equal(restoredAs(obj("extensions/v1beta1", "Ingress"), { profile: resolveProfile("eks", { targetMinor: 0 }), fixes: DEFAULT_FIXES }), undefined);
            assert.equal(checkObject(obj("extensions/v1beta1", "Ingress"), atMinor(22)).length, 1);
        });

        it("by the removals table: the version Velero picks, A's and B's versions, the version to move to", () => {
            assert.deepEqual(line(obj("policy/v1beta1", "PodDisruptionBudget"), atMinor(25)), [
                [
                    "/apiVersion",
                    "PodDisruptionBudget shop/x will not arrive: Velero restores it as policy/v1beta1 (cluster A's preferred version, since no version fits both clusters), which Kubernetes 1.25 (upstream removals) does not serve for PodDisruptionBudget (A has v1beta1; B has v1 of policy)",
                    "upgrade cluster A first so it serves policy/v1 PodDisruptionBudget and back up again, or re-create it on cluster B as policy/v1 PodDisruptionBudget",
                ],
            ]);
        });

        // A cluster B that serves a core kind only in another version, and a group not at all: the
        // core group is written without a prefix, as Kubernetes writes `v1`.
        const stubB: ServedApis = {
            describe: "cluster B (stub)",
            group: (g) => (g === "" ? { preferred: "v1", versions: ["v1", "v2"] } : g === "gone.io" ? { preferred: "", versions: [] } : undefined),
            serves: (g, v, kind) => g === "" && v === "v2" && kind === "Widget",
        };
        const onStub = (source?: GroupVersions): EngineOptions => ({ ...atMinor(0), apis: { target: stubB, ...(source ? { source: () => source } : {}) } });

        it("a core kind B serves only in another version: no group prefix, every version of both clusters listed", () => {
            assert.deepEqual(line(obj("v1", "Widget"), onStub({ preferred: "v1", versions: ["v1", "v1beta1"] })), [
                [
                    "/apiVersion",
                    "Widget shop/x will not arrive: Velero restores it as v1 (cluster B's preferred version), which cluster B (stub) does not serve for Widget (A has v1, v1beta1; B has v1, v2 of the core group)",
                    "upgrade cluster A first so it serves v2 Widget and back up again, or re-create it on cluster B as v2 Widget",
                ],
            ]);
        });

        it("a group B does not serve at all: none on B, and no version to move to", () => {
            assert.deepEqual(line(obj("gone.io/v1", "Widget"), onStub()), [
                [
                    "/apiVersion",
                    "Widget shop/x will not arrive: Velero restores it as gone.io/v1 (cluster A's preferred version, since cluster B serves no version of the group), which cluster B (stub) does not serve for Widget (A has v1; B has none of gone.io)",
                    "cluster B serves no version of Widget: leave it out of the restore (excludedResources) or replace it on cluster B",
                ],
            ]);
        });
    });

    describe("the API table and Velero's version choice", () => {
        it("reads a Kubernetes minor however the version is written", () => {
            for (const [v, minor] of [[" v1.22.3 ", 22], ["1.22", 22], ["1.22.33", 22], ["1.22+k3s1", 22], ["v1.30.1-eks-1", 30]] as const) assert.equal(parseMinor(v), minor, v);
            for (const v of ["1.22x", "x1.22", "2.1", "1."]) assert.equal(parseMinor(v), undefined, v);
            assert.deepEqual(groupAndVersion("v1"), ["", "v1"]);
            assert.deepEqual(groupAndVersion("networking.k8s.io/v1"), ["networking.k8s.io", "v1"]);
        });

        it("orders versions as Kubernetes does: GA, beta, alpha, higher first, others last by name", () => {
            assert.deepEqual(sortKubeVersions(["v1beta1", "v2", "foo", "v1", "v1alpha1", "v1beta2", "bar", "v10"]), ["v10", "v2", "v1", "v1beta2", "v1beta1", "v1alpha1", "bar", "foo"]);
            assert.deepEqual(sortKubeVersions(["v2beta1", "v1beta3"]), ["v2beta1", "v1beta3"]);
        });

        it("answers what a minor serves from the day a version came to the release that removed it", () => {
            const at = (minor: number) => servedAtMinor(minor);
            assert.equal(at(22).describe, "Kubernetes 1.22 (upstream removals)");
            assert.equal(at(19).serves("networking.k8s.io", "v1", "Ingress"), true);
            assert.equal(at(18).serves("networking.k8s.io", "v1", "Ingress"), false);
            assert.equal(at(21).serves("extensions", "v1beta1", "Ingress"), true);
            assert.equal(at(22).serves("extensions", "v1beta1", "Ingress"), false);
            assert.equal(at(22).serves("networking.k8s.io", "v1", "Deployment"), undefined, "the table says nothing of that kind in that group");
            assert.equal(at(22).serves("example.com", "v1", "Ingress"), undefined);
            assert.deepEqual(at(21).group("networking.k8s.io"), { preferred: "v1", versions: ["v1", "v1beta1"] });
            assert.equal(at(22).group("example.com"), undefined);
            assert.deepEqual(groupsServing(at(21), "Ingress"), ["extensions", "networking.k8s.io"]);
            assert.deepEqual(groupsServing(at(22), "Ingress"), ["networking.k8s.io"]);
            assert.deepEqual(servingVersions(at(22), "example.com", "Ingress"), []);
        });

        it("picks a common version as Velero does, skipping each list's first (prioritize_group_version.go:122-136)", () => {
            assert.deepEqual(chooseRestoreVersion({ preferred: "v3", versions: ["v3", "v2"] }, { preferred: "v1beta1", versions: ["v2", "v1beta1"] }), { version: "v3", choice: "source-preferred-fallback" });
            assert.deepEqual(chooseRestoreVersion({ preferred: "v3", versions: ["v3", "v2", "v1"] }, { preferred: "v4", versions: ["v4", "v2"] }), { version: "v2", choice: "common" });
        });
    });
});
