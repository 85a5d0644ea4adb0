import { strict as assert } from "node:assert";
import { API_TABLE, chooseRestoreVersion, compareKubeVersions, parseMinor, servedAtMinor } from "../../rules/apiVersions";
import { checkObject, DEFAULT_FIXES, engineOptions, resolveProfile, type EngineOptions, type KubeObject } from "../../rules";
import { restoredAs } from "../../rules/k8s-api-versions";
import type { GroupVersions } from "../../rules/types";

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
});
