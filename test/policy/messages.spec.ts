/**
 * Each mandatory policy's violation on one of its rule's bad fixtures, the message written out
 * in full: what a user reads in `pulumi preview`. A change to a message must change this file.
 */
import { strict as assert } from "node:assert";
import type { RuleId } from "../../rules";
import { policies } from "../../policy/policies";
import { fixtures, policyFor, resourceOf, validate, validateStack } from "./harness";

const CASES: { policy: RuleId; fixture: string; level: string; message: string }[] = [
    { policy: "eks-no-daemonset", fixture: "eks-no-daemonset/fixtures/bad-node-exporter.yaml", level: "mandatory", message: "No DaemonSets\nDaemonSet cannot run: the serverless cluster has no nodes to run a DaemonSet on (迁移限制: EKS 不支持部署 DaemonSet) (at /kind). Fix: run the agent as a sidecar or a Deployment, or leave it out of the restore (excludedResources: daemonsets.apps)" },
    { policy: "eks-no-nodeport-service", fixture: "eks-no-nodeport-service/fixtures/bad-nodeport.yaml", level: "mandatory", message: "No NodePort Services\nService type NodePort at /spec/type cannot be created: the serverless cluster has no nodes to open a node port on (迁移限制: EKS 不支持部署 NodePort 类型的服务). Fix: use a ClusterIP Service for traffic inside the cluster, or a LoadBalancer Service (CLB) for traffic from outside; the restore fix makes it ClusterIP and drops its nodePorts and the fields a ClusterIP Service may not have" },
    { policy: "eks-no-rdma", fixture: "eks-no-rdma/fixtures/bad-rdma-hca-init.yaml", level: "mandatory", message: "No RDMA\ncontainer \"probe\" limits the RDMA resource rdma/hca at /spec/initContainers/0/resources/limits/rdma~1hca: serverless Pods have no RDMA network devices (迁移限制: EKS 不支持 RDMA). Fix: keep the workload on TKE nodes with RDMA (leave it out of the restore), or run it without RDMA" },
    { policy: "eks-reserved-ports", fixture: "eks-reserved-ports/fixtures/bad-9100.yaml", level: "mandatory", message: "No reserved ports\ncontainer \"app\" containerPort at /spec/template/spec/containers/0/ports/0/containerPort: port 9100 is reserved for the platform's monitoring agent; the serverless Pod's own agents use these ports (迁移限制: EKS Pod 不支持监听 9100 端口及 62000 以上端口). Fix: move the container to another port (and its Service's targetPort)" },
    { policy: "eks-sysctls", fixture: "eks-sysctls/fixtures/bad-net-sysctl.yaml", level: "mandatory", message: "Only allowed sysctls\nsysctl \"net.core.somaxconn\" at /spec/template/spec/securityContext/sysctls/1 is refused: the serverless cluster does not allow custom net.* kernel parameters (迁移限制: EKS 不支持自定义 net 前缀的内核参数). Fix: drop the net.* sysctl and rely on the serverless Pod's network defaults" },
    { policy: "k8s-api-versions", fixture: "k8s-api-versions/fixtures/bad-ingress-v1beta1-on-1.22.yaml", level: "mandatory", message: "API versions cluster B serves\nIngress shop/web will not arrive: Velero restores it as networking.k8s.io/v1beta1 (cluster A's preferred version, since no version fits both clusters), which Kubernetes 1.22 (upstream removals) does not serve for Ingress (A has v1beta1; B has v1 of networking.k8s.io) (at /apiVersion). Fix: upgrade cluster A first so it serves networking.k8s.io/v1 Ingress and back up again, or re-create it on cluster B as networking.k8s.io/v1 Ingress" },
    { policy: "velero-cos-storage", fixture: "velero-cos-storage/fixtures/bad-release-checksum.yaml", level: "mandatory", message: "Velero on COS\nbackup storage location default: checksumAlgorithm is \"CRC32\" (at /values/configuration/backupStorageLocation/0/config/checksumAlgorithm): velero-plugin-for-aws v1.9.1 and later add request checksums that COS and other S3-compatible stores reject. Fix: set checksumAlgorithm: \"\" in the location's config (honoured from plugin v1.9.2)" },
    { policy: "velero-no-node-agent", fixture: "velero-no-node-agent/fixtures/bad-restic-daemonset.yaml", level: "mandatory", message: "No Velero node agent\nDaemonSet velero/restic is Velero's node agent: the serverless cluster cannot run Velero's node-agent DaemonSet (迁移限制: EKS 不支持部署 DaemonSet), so neither file-system backup nor the CSI data mover can restore volume data there: only CBS CSI snapshots (same account, region and zone) or no volume data (at /metadata/name). Fix: do not restore or install it (deployNodeAgent: false, velero install without --use-node-agent); move volume data with CBS CSI snapshots instead (EnableCSI and a labelled VolumeSnapshotClass), or migrate without it" },
    { policy: "velero-snapshot-class", fixture: "velero-snapshot-class/fixtures/bad-cbs-class-unlabelled.yaml", level: "mandatory", message: "CBS snapshots usable by Velero\nVolumeSnapshotClass cbs-snapclass for com.tencent.cloud.csi.cbs lacks the label velero.io/csi-volumesnapshot-class: \"true\" (at /metadata): Velero picks the VolumeSnapshotClass for a CSI driver by the label velero.io/csi-volumesnapshot-class: \"true\" (https://velero.io/docs/v1.18/csi/); without it Velero falls back to the class annotated as the default, else the driver's only class, and fails the PVC's snapshot when there are several (docs/velero.md, \"CSI snapshots\"). Fix: add the label velero.io/csi-volumesnapshot-class: \"true\" (one class per driver)" },
    { policy: "velero-versions", fixture: "velero-versions/fixtures/bad-chart-mismatch.yaml", level: "mandatory", message: "Velero versions that fit together\nimage.tag v1.18.1 at /values/image/tag is Velero 1.18, but chart 11.4.0 is written for Velero 1.17: its templates and CRD hook expect that release. Fix: use the chart major for Velero 1.18 (12), or drop image.tag to take the chart's own" },
];

describe("mandatory policies: the violation a user reads, word for word", () => {
    it("covers every mandatory policy", () => {
        const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name);
        assert.deepEqual(CASES.map((c) => c.policy).sort(), mandatory.sort());
    });

    for (const c of CASES) {
        it(`${c.policy} on ${c.fixture}`, async () => {
            const policy = policyFor(c.policy);
            assert.equal(policy.enforcementLevel, "mandatory");
            const fx = fixtures(c.policy).find((f) => f.file === c.fixture);
            assert.ok(fx, `no fixture ${c.fixture}`);
            const config = { profile: fx.profile, ...(fx.targetMinor ? { targetMinor: fx.targetMinor } : {}) };
            const rs = fx.objects.map((o) => resourceOf(o));
            const got = [];
            if (policy.validateResource) for (const r of rs) got.push(...(await validate(policy, r, config)).violations);
            if (policy.validateStack) got.push(...(await validateStack(policy, rs, config)).violations);
            assert.deepEqual(got.map((v) => [v.enforcementLevel, v.message]), [[c.level, c.message]]);
        });
    }
});
