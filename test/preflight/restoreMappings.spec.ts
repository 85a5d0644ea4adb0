import { strict as assert } from "node:assert";
import type { Discovery } from "../../preflight/discovery";
import { prerequisites, VolumeTally, type TargetState } from "../../preflight/prerequisites";
import { ImageTally, suggestedClass } from "../../preflight/restoreMappings";
import type { Origin } from "../../preflight/types";
import type { KubeObject } from "../../rules/types";

const origin: Origin = { file: "app.yaml", line: 1 } as Origin;
const pvc = (name: string, cls: string): KubeObject => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: "shop" }, spec: { storageClassName: cls } });
const deploy = (name: string, ...images: string[]): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "shop" },
    spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
});

/** B with every snapshot prerequisite in place, holding these StorageClasses. */
function b(classes: { name: string; isDefault: boolean }[]): TargetState {
    const snap = new Map([["VolumeSnapshot", {}], ["VolumeSnapshotContent", {}], ["VolumeSnapshotClass", {}]]);
    const discovery = { context: "b", server: "https://b", groups: new Map(), kinds: new Map([["snapshot.storage.k8s.io/v1", snap]]), unavailable: new Set() } as unknown as Discovery;
    return { discovery, storageClasses: classes, csiDriver: true, snapshotControllers: ["kube-system/snapshot-controller"] };
}

function volumesOf(...objs: KubeObject[]): VolumeTally {
    const v = new VolumeTally();
    for (const o of objs) v.add(o, origin);
    return v;
}

describe("preflight: the restore's StorageClass and image mappings", () => {
    const classes = [
        { name: "gp3", isDefault: true },
        { name: "cbs-hp", isDefault: false },
    ];

    it("suggests mapping a class B lacks onto B's default class", () => {
        const got = prerequisites({ volumes: volumesOf(pvc("data", "cbs-csi")), target: b(classes) });
        assert.equal(got.length, 1);
        assert.match(got[0].message, /StorageClass cbs-csi, which cluster B does not have/);
        assert.match(got[0].fix, /or map it onto B's: tke2eks:restore\.storageClassMapping: \{cbs-csi: gp3\}$/);
        assert.equal(suggestedClass([{ name: "a", isDefault: false }, { name: "b", isDefault: false }]), undefined, "no default among several: no single suggestion");
        assert.equal(suggestedClass([{ name: "a", isDefault: false }]), "a");
    });

    it("takes a mapped class as mapped, and refuses a mapping onto a class B does not have (change_storageclass_action.go:155-158)", () => {
        const volumes = volumesOf(pvc("data", "cbs-csi"), pvc("logs", "cbs-csi"));
        const mapped = prerequisites({ volumes, target: b(classes), mappings: { storageClass: { "cbs-csi": "cbs-hp" }, image: {} } });
        assert.deepEqual(mapped, [], "cbs-csi → cbs-hp, which B has");
        const wrong = prerequisites({ volumes, target: b(classes), mappings: { storageClass: { "cbs-csi": "premium" }, image: {} } });
        assert.deepEqual(wrong.map((f) => `${f.severity} ${f.kind} ${f.name}`), ["error StorageClass premium"]);
        assert.match(wrong[0].message, /maps cbs-csi onto premium, which cluster B does not have: Velero's change-storage-class action fails each of the 2 claims/);
    });

    it("without B itself, reminds of the mapped class, not the one A's claims name", () => {
        const got = prerequisites({ volumes: volumesOf(pvc("data", "cbs-csi")), mappings: { storageClass: { "cbs-csi": "gp3" }, image: {} } });
        assert.equal(got[0].name, "gp3");
        assert.match(got[0].message, /^reminder: 1 PVC names StorageClass cbs-csi, mapped onto gp3, which must exist on cluster B/);
    });

    it("flags an image of a mapped registry that no row matches: B still pulls it from there", () => {
        const images = new ImageTally();
        images.add(deploy("web", "ccr.ccs.tencentyun.com/team/web:1", "ccr.ccs.tencentyun.com/other/cache:2", "nginx:1.25"), origin);
        images.add(deploy("api", "ccr.ccs.tencentyun.com/other/cache:2"), origin);
        const mappings = { storageClass: {}, image: { "ccr.ccs.tencentyun.com/team": "123456789012.dkr.ecr.ap-east-1.amazonaws.com/team" } };
        const got = prerequisites({ volumes: volumesOf(), mappings, images });
        assert.deepEqual(got.map((f) => `${f.rule} ${f.severity} ${f.name} ${f.path}`), ["eks-image-registry warning web /spec/template/spec/containers/1/image"]);
        assert.match(got[0].message, /uses ccr\.ccs\.tencentyun\.com\/other\/cache:2: .* no row matches this one, so cluster B still pulls it from ccr\.ccs\.tencentyun\.com/);
        assert.match(got[0].message, /\(2 containers\)/);
        assert.deepEqual(prerequisites({ volumes: volumesOf(), mappings: { storageClass: {}, image: {} }, images }), [], "no mapping for the registry: nothing to say here");
    });
});
