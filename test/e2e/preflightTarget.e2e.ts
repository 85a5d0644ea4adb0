/**
 * `tke2eks preflight --target-kubeconfig` against a real cluster B: the API-version check
 * reads B's real discovery and the prerequisite checks (preflight/prerequisites.ts, read
 * through preflight/targetState.ts) read B's real StorageClasses, CSIDriver and Deployments.
 * With the CBS add-on's objects in B the scan passes; with each one taken away it fails,
 * naming what is missing.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { must, Sandbox, startSandbox, stopSandbox, tke2eks } from "./support";

const FIXTURES = path.join(__dirname, "fixtures");
const TO_MIGRATE = path.join(FIXTURES, "to-migrate.yaml");

interface Finding {
    rule: string;
    severity: string;
    kind?: string;
    name?: string;
    message: string;
}

describe("e2e: preflight against a real cluster B (API versions and prerequisites)", function () {
    this.timeout(10 * 60_000);
    let sandbox: Sandbox;

    async function preflight(file = TO_MIGRATE): Promise<{ code: number | null; findings: Finding[] }> {
        const ran = must("preflight", await tke2eks(["preflight", file, "--target-kubeconfig", sandbox.kubeconfig("b"), "--format", "json"]), [0, 1]);
        return { code: ran.code, findings: (JSON.parse(ran.stdout) as { findings: Finding[] }).findings };
    }

    /**
     * Preflight until a finding matches: B's discovery drops a deleted CRD's kind a moment
     * after the deletion returns (the apiextensions discovery controller runs apart).
     */
    async function findingOnce(match: (f: Finding) => boolean): Promise<{ code: number | null; findings: Finding[]; found: Finding }> {
        let last: Finding[] = [];
        for (let attempt = 0; attempt < 20; attempt++) {
            const scan = await preflight();
            const found = scan.findings.find(match);
            if (found) return { ...scan, found };
            last = scan.findings;
            await new Promise((r) => setTimeout(r, 500));
        }
        throw new Error(`no such finding; preflight found ${JSON.stringify(last, null, 2)}`);
    }

    const kubectlB = async (args: string[]) => must(`kubectl ${args.join(" ")}`, await sandbox.kubectl("b", args));
    const addon = () => kubectlB(["apply", "-f", path.join(FIXTURES, "cbs-addon.yaml")]);

    before("sandbox up, the CBS add-on's objects in B", async () => {
        sandbox = await startSandbox();
        await addon();
    });

    after("sandbox down", () => stopSandbox(sandbox));

    it("passes when B serves every API the objects use and has the CBS add-on", async () => {
        const scan = await preflight();
        assert.deepEqual(scan.findings, []);
        assert.equal(scan.code, 0);
    });

    it("refuses an API version B's discovery no longer serves (policy/v1beta1 on 1.37), naming what B serves", async () => {
        const old = path.join(sandbox.dir, "pdb-v1beta1.yaml");
        fs.writeFileSync(old, fs.readFileSync(TO_MIGRATE, "utf8").replace("apiVersion: policy/v1\n", "apiVersion: policy/v1beta1\n"));
        const scan = await preflight(old);
        assert.equal(scan.code, 1);
        assert.deepEqual(
            scan.findings.map((f) => [f.rule, f.kind, f.name]),
            [["k8s-api-versions", "PodDisruptionBudget", "web"]],
        );
        assert.match(scan.findings[0].message, /B has v1 of policy/);
    });

    it("names the StorageClass a claim needs when B lacks it, and the missing default class", async () => {
        await kubectlB(["delete", "storageclass", "cbs-csi"]);
        try {
            const scan = await preflight();
            assert.equal(scan.code, 1);
            const errors = scan.findings.filter((f) => f.rule === "velero-snapshot-class" && f.severity === "error");
            assert.ok(errors.some((f) => f.kind === "StorageClass" && f.name === "cbs-csi"), JSON.stringify(scan.findings));
            assert.ok(errors.some((f) => /names no StorageClass and cluster B has no default one/.test(f.message)), JSON.stringify(scan.findings));
        } finally {
            await addon();
        }
    });

    it("names the CSIDriver when B lacks it", async () => {
        await kubectlB(["delete", "csidriver", "com.tencent.cloud.csi.cbs"]);
        try {
            const scan = await preflight();
            assert.equal(scan.code, 1);
            assert.deepEqual(
                scan.findings.map((f) => [f.rule, f.severity, f.kind, f.name]),
                [["velero-snapshot-class", "error", "CSIDriver", "com.tencent.cloud.csi.cbs"]],
            );
        } finally {
            await addon();
        }
    });

    it("warns when no snapshot controller runs in B", async () => {
        await kubectlB(["delete", "deployment", "snapshot-controller", "-n", "kube-system"]);
        try {
            const scan = await preflight();
            assert.deepEqual(
                scan.findings.map((f) => [f.rule, f.severity]),
                [["velero-snapshot-class", "warning"]],
            );
            assert.match(scan.findings[0].message, /no snapshot-controller Deployment found on cluster B/);
        } finally {
            await addon();
        }
    });

    // The CRDs go last: the sandbox installed them and this file does not put them back.
    it("names the snapshot kind B stops serving when its CRD is deleted, and the object of that kind", async () => {
        await kubectlB(["delete", "crd", "volumesnapshotclasses.snapshot.storage.k8s.io"]);
        const scan = await findingOnce((f) => f.rule === "k8s-api-versions" && f.kind === "VolumeSnapshotClass");
        assert.equal(scan.code, 1);
        assert.equal(scan.found.name, "cbs-snapshots");
        assert.ok(
            scan.findings.some((f) => f.rule === "velero-snapshot-class" && /does not serve VolumeSnapshotClass \(snapshot\.storage\.k8s\.io\)/.test(f.message)),
            JSON.stringify(scan.findings),
        );
    });

    it("names Velero's Schedule when B stops serving it (its CRD deleted)", async () => {
        await kubectlB(["delete", "crd", "schedules.velero.io"]);
        const scan = await findingOnce((f) => f.rule === "k8s-api-versions" && f.kind === "Schedule");
        assert.equal(scan.found.name, "nightly");
        assert.match(scan.found.message, /does not serve for Schedule/);
    });
});
