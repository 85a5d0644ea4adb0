/**
 * Properties every rule in the catalogue keeps, whatever it is fed: arbitrary JSON and
 * Kubernetes-shaped objects with odd values anywhere never make the engine throw; every
 * finding points at something that exists in its object; every automatic fix applies
 * cleanly (strictly, as Velero applies a resource modifier).
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { AggregateScan, checkObject, DEFAULT_FIXES, resolveProfile, RULES, type EngineOptions, type KubeObject, type ProfileName, type RuleId } from "../../rules";
import { refOf, resolvePointer } from "../../rules/objects";
import { resourceModifiers } from "../../modifiers/build";
import { applyFixEdits, resolveFixes } from "../../modifiers/fixEdits";
import { groupResourceOf } from "../../modifiers/groupResources";
import { applyResourceModifiers } from "../../modifiers/replay";
import { modifiersYaml } from "../../modifiers/build";
import { validateResourceModifiers } from "../../modifiers/validate";
import { DNS_LABEL } from "../../core/names";

const RUNS = 200;

/** Any JSON value, shallow enough to stay fast. */
const odd = fc.jsonValue({ maxDepth: 2 });
/** Mostly the expected shape, sometimes anything else. */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: odd });
const optional = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => fc.record(fields, { requiredKeys: [] });

const ANNOTATION_KEYS = [
    "tke.cloud.tencent.com/networks",
    "tke.cloud.tencent.com/vpc-ip-claim-delete-policy",
    "tke.cloud.tencent.com/enable-static-ip",
    "tke.cloud.tencent.com/eip-attributes",
    "tke.cloud.tencent.com/eip-claim-delete-policy",
    "eks.tke.cloud.tencent.com/retain-ip",
    "eks.tke.cloud.tencent.com/host-sysctls",
    "eks.tke.cloud.tencent.com/root-cbs-size",
    "eks.tke.cloud.tencent.com/metrics-port",
    "eks.tke.cloud.tencent.com/ds-injection",
    "k8s.v1.cni.cncf.io/networks",
    "kubectl.kubernetes.io/last-applied-configuration",
    "backup.velero.io/backup-volumes",
    "velero.io/csi-volumesnapshot-class",
    "a~b/c",
];
const ANNOTATION_VALUES = ["true", "false", "Never", "tke-route-eni", "tke-direct-eni", "rdma", "60", '[{"name":"vm.max_map_count","value":"1"}]', "[", '{"spec":{"ports":[{"name":"http","nodePort":30080}]}}', ""];
const stringMapArb = fc.dictionary(fc.oneof(fc.constantFrom(...ANNOTATION_KEYS), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom(...ANNOTATION_VALUES), fc.string({ maxLength: 8 }), odd), { maxKeys: 4 });

const quantity = fc.oneof(fc.constantFrom("1", "20Gi", "21Gi", "25Gi", "50Gi", "500m", "1e3", "30G", "lots", ""), fc.integer(), fc.double());
const resourceName = fc.oneof(
    { weight: 2, arbitrary: fc.constant("ephemeral-storage") },
    fc.constantFrom("cpu", "memory", "ephemeral-storage", "rdma/hca", "tke.cloud.tencent.com/eni-ip", "tke.cloud.tencent.com/tke-shared-rdma", "tke.cloud.tencent.com/eip", "nvidia.com/gpu"),
    fc.string({ maxLength: 6 }),
);
const resources = optional({ requests: maybe(fc.dictionary(resourceName, quantity, { maxKeys: 3 })), limits: maybe(fc.dictionary(resourceName, quantity, { maxKeys: 3 })) });
const portNumber = fc.oneof(fc.constantFrom(0, 80, 9100, 30080, 61000, 62000, 65535), fc.integer({ min: -1, max: 70000 }));
const containerPort = optional({ containerPort: maybe(portNumber), hostPort: maybe(portNumber), name: maybe(fc.constantFrom("http", "metrics")) });
const probe = optional({ httpGet: maybe(optional({ port: maybe(portNumber) })), tcpSocket: maybe(optional({ port: maybe(portNumber) })) });
const container = optional({
    name: maybe(fc.string({ maxLength: 6 })),
    image: maybe(fc.oneof(fc.constantFrom("nginx", "library/nginx:1.27", "quay.io/a/b:1", "harbor.example.com:8443/x/y@sha256:ab", "velero/velero:v1.18.1", "velero/velero-plugin-for-aws:v1.14.0", ""), fc.string({ maxLength: 10 }))),
    args: maybe(fc.array(fc.constantFrom("--features=EnableCSI", "server", "--uploader-type=kopia"), { maxLength: 2 })),
    ports: maybe(fc.array(maybe(containerPort), { maxLength: 3 })),
    resources: maybe(resources),
    restartPolicy: maybe(fc.constantFrom("Always", "Never")),
    livenessProbe: maybe(probe),
});
const containers = maybe(fc.array(maybe(container), { maxLength: 3 }));
const volume = optional({
    name: maybe(fc.string({ maxLength: 6 })),
    hostPath: maybe(optional({ path: maybe(fc.constantFrom("/", "/var/log")) })),
    emptyDir: maybe(optional({ medium: maybe(fc.constantFrom("", "Memory", "HugePages-2Mi")), sizeLimit: maybe(quantity) })),
});
const sysctl = optional({ name: maybe(fc.constantFrom("net.core.somaxconn", "kernel.shm_rmid_forced", "net/ipv4/ip_forward")), value: odd });
const podSpecFields = {
    containers,
    initContainers: containers,
    ephemeralContainers: containers,
    volumes: maybe(fc.array(maybe(volume), { maxLength: 3 })),
    hostNetwork: maybe(fc.boolean()),
    hostPID: maybe(fc.boolean()),
    hostIPC: maybe(fc.boolean()),
    securityContext: maybe(optional({ sysctls: maybe(fc.array(maybe(sysctl), { maxLength: 3 })) })),
};
const managedField = optional({ fieldsV1: maybe(optional({ "f:spec": maybe(optional({ "f:ports": maybe(fc.dictionary(fc.constantFrom('k:{"port":80,"protocol":"TCP"}', "x"), maybe(optional({ "f:nodePort": fc.constant({}) })))) })) })) });
const metadata = optional({
    name: maybe(fc.constantFrom("web", "velero", "node-agent", "default", "a/b")),
    namespace: maybe(fc.constantFrom("shop", "velero")),
    uid: maybe(fc.constant("u-1")),
    labels: maybe(stringMapArb),
    annotations: maybe(stringMapArb),
    ownerReferences: maybe(fc.array(odd, { maxLength: 1 })),
    managedFields: maybe(fc.array(maybe(managedField), { maxLength: 2 })),
});
const template = optional({ metadata: maybe(metadata), spec: maybe(optional(podSpecFields)) });
const servicePort = optional({ name: maybe(fc.constantFrom("http", "grpc")), port: maybe(portNumber), protocol: maybe(fc.constantFrom("TCP", "UDP")), nodePort: maybe(portNumber) });
const count = maybe(fc.oneof({ weight: 2, arbitrary: fc.constantFrom(0, 1, 100, 101, 150) }, fc.integer({ min: -1, max: 300 }), fc.double()));
const spec = optional({
    ...podSpecFields,
    template: maybe(template),
    jobTemplate: maybe(optional({ spec: maybe(optional({ template: maybe(template), parallelism: count, completions: count, suspend: maybe(fc.boolean()) })) })),
    replicas: count,
    parallelism: count,
    completions: count,
    suspend: maybe(fc.boolean()),
    maxReplicas: count,
    scaleTargetRef: maybe(optional({ kind: maybe(fc.constantFrom("Deployment", "StatefulSet")), name: maybe(fc.constant("web")) })),
    type: maybe(fc.constantFrom("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")),
    ports: maybe(fc.array(maybe(servicePort), { maxLength: 3 })),
    externalTrafficPolicy: maybe(fc.constantFrom("Cluster", "Local")),
    externalIPs: maybe(fc.array(fc.constant("10.0.0.1"), { maxLength: 1 })),
    driver: maybe(fc.constant("com.tencent.cloud.csi.cbs")),
    provider: maybe(fc.constantFrom("aws", "velero.io/aws")),
    bucket: maybe(fc.constantFrom("backup-1250000000", "backup")),
    objectStorage: maybe(optional({ bucket: maybe(fc.constantFrom("backup-1250000000", "b")), prefix: maybe(fc.string({ maxLength: 4 })) })),
    config: maybe(fc.dictionary(fc.constantFrom("region", "s3Url", "s3ForcePathStyle", "checksumAlgorithm"), fc.oneof(fc.constantFrom("ap-guangzhou", "https://cos.ap-guangzhou.myqcloud.com", "true", ""), odd))),
    defaultVolumesToFsBackup: maybe(fc.boolean()),
    snapshotMoveData: maybe(fc.boolean()),
});
const KINDS: [string, string][] = [
    ["v1", "Pod"],
    ["v1", "PodTemplate"],
    ["v1", "ReplicationController"],
    ["v1", "Service"],
    ["v1", "ConfigMap"],
    ["networking.k8s.io/v1beta1", "Ingress"],
    ["apps/v1", "Deployment"],
    ["extensions/v1beta1", "Deployment"],
    ["apps/v1", "StatefulSet"],
    ["apps/v1beta2", "ReplicaSet"],
    ["apps/v1", "DaemonSet"],
    ["batch/v1", "Job"],
    ["batch/v1beta1", "CronJob"],
    ["autoscaling/v2", "HorizontalPodAutoscaler"],
    ["autoscaling/v1", "HorizontalPodAutoscaler"],
    ["velero.io/v1", "BackupStorageLocation"],
    ["velero.io/v1", "Backup"],
    ["velero.io/v1", "Schedule"],
    ["velero.io/v1", "Restore"],
    ["snapshot.storage.k8s.io/v1", "VolumeSnapshotClass"],
    ["snapshot.storage.k8s.io/v1beta1", "VolumeSnapshotClass"],
    ["serving.knative.dev/v1", "Service"],
];
const helmRelease = optional({
    chart: maybe(fc.constantFrom("velero", "vmware-tanzu/velero", "nginx")),
    version: maybe(fc.constantFrom("12.1.0", "7.2.1", "x")),
    values: maybe(
        optional({
            deployNodeAgent: maybe(fc.boolean()),
            snapshotsEnabled: maybe(fc.boolean()),
            upgradeCRDs: maybe(fc.boolean()),
            image: maybe(optional({ tag: maybe(fc.constantFrom("v1.18.1", "v1.13.2", "latest")) })),
            initContainers: containers,
            configuration: maybe(optional({ features: maybe(fc.constantFrom("EnableCSI", "")), backupStorageLocation: maybe(fc.array(maybe(spec), { maxLength: 2 })) })),
        }),
    ),
}).map((r) => ({ apiVersion: "helm.sh/v3", kind: "Release", ...r }));

const service = fc
    .tuple(maybe(metadata), optional({ type: maybe(fc.constantFrom("NodePort", "LoadBalancer")), ports: maybe(fc.array(maybe(servicePort), { maxLength: 3 })), externalTrafficPolicy: maybe(fc.constant("Cluster")), externalIPs: maybe(fc.constant(["10.0.0.1"])) }))
    .map(([m, s]) => ({ apiVersion: "v1", kind: "Service", metadata: m, spec: s }));

/** Velero's own objects, shaped closely enough that the velero-* rules have something to judge. */
const bslConfig = fc.dictionary(
    fc.constantFrom("region", "s3Url", "s3ForcePathStyle", "checksumAlgorithm"),
    fc.oneof(fc.constantFrom("ap-guangzhou", "ap-shanghai", "https://cos.ap-guangzhou.myqcloud.com", "https://s3.example.com", "true", "false", ""), odd),
);
const storageLocation = fc
    .tuple(
        maybe(metadata),
        optional({
            provider: maybe(fc.constantFrom("aws", "velero.io/aws", "gcp")),
            objectStorage: maybe(optional({ bucket: maybe(fc.constantFrom("backup-1250000000", "other-1250000000", "backup")), prefix: maybe(fc.constantFrom("", "tke", "eks")) })),
            config: maybe(bslConfig),
            accessMode: maybe(fc.constantFrom("ReadOnly", "ReadWrite")),
        }),
    )
    .map(([m, s]) => ({ apiVersion: "velero.io/v1", kind: "BackupStorageLocation", metadata: m, spec: s }));
const snapshotClass = fc
    .tuple(fc.constantFrom("v1", "v1beta1"), maybe(metadata), maybe(fc.constantFrom("com.tencent.cloud.csi.cbs", "ebs.csi.aws.com")), maybe(fc.constantFrom("Delete", "Retain")))
    .map(([v, m, driver, deletionPolicy]) => ({ apiVersion: `snapshot.storage.k8s.io/${v}`, kind: "VolumeSnapshotClass", metadata: m, driver, deletionPolicy }));
const veleroDeployment = fc
    .tuple(maybe(metadata), fc.constantFrom("velero/velero:v1.18.1", "velero/velero:v1.13.2", "velero/velero"), fc.constantFrom([], ["--features=EnableCSI"], ["--features="]), fc.array(fc.constantFrom("velero/velero-plugin-for-aws:v1.14.0", "velero/velero-plugin-for-aws:v1.14.1", "velero/velero-plugin-for-csi:v0.7.1"), { maxLength: 2 }))
    .map(([m, image, args, plugins]) => ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "velero", namespace: "velero", ...(m as object) },
        spec: { template: { spec: { initContainers: plugins.map((p, i) => ({ name: `plugin-${i}`, image: p })), containers: [{ name: "velero", image, args: ["server", ...args] }] } } },
    }));

const kubeObject: fc.Arbitrary<KubeObject> = fc.oneof(
    { weight: 1, arbitrary: service },
    { weight: 1, arbitrary: fc.oneof(storageLocation, snapshotClass, veleroDeployment) },
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...KINDS), maybe(metadata), maybe(spec), maybe(template)).map(([[apiVersion, kind], m, s, t]) => ({ apiVersion, kind, metadata: m, spec: s, template: t })) },
    { weight: 1, arbitrary: helmRelease },
);
/** Anything JSON can be, but for null at the top (the engine takes objects). */
const anyJson: fc.Arbitrary<KubeObject> = fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 4 })), fc.array(fc.jsonValue({ maxDepth: 3 }))) as fc.Arbitrary<KubeObject>;

const settings = fc.record({
    profile: fc.constantFrom<ProfileName>("eks", "tke-serverless"),
    nodePortServiceType: fc.constantFrom<"ClusterIP" | "LoadBalancer">("ClusterIP", "LoadBalancer"),
    retainIp: fc.boolean(),
    targetMinor: fc.constantFrom(0, 20, 25, 32),
});
const engine = (s: { profile: ProfileName; nodePortServiceType: "ClusterIP" | "LoadBalancer"; retainIp: boolean; targetMinor: number }): EngineOptions => ({
    profile: resolveProfile(s.profile, { targetMinor: s.targetMinor }),
    fixes: { ...DEFAULT_FIXES, nodePortServiceType: s.nodePortServiceType, retainIp: s.retainIp },
});

/** Rules that reported at least once: a property no generated input reaches proves nothing. */
const fired = new Set<RuleId>();

function judgeOne(obj: KubeObject, opts: EngineOptions): void {
    const findings = checkObject(obj, opts);
    for (const f of findings) {
        fired.add(f.rule);
        assert.notEqual(resolvePointer(obj, f.path), undefined, `${f.rule}: ${f.path} does not resolve in ${JSON.stringify(obj)}`);
        assert.ok(f.message.length > 0 && f.fix.length > 0, `${f.rule}: empty message or fix`);
    }
    // All the object's fixes together, as one resource modifier would replay them.
    const ops = findings.flatMap((f) => f.autofix ?? []);
    assert.doesNotThrow(() => applyFixEdits(obj, ops), `autofix of ${findings.map((f) => f.rule).join(", ")} fails on ${JSON.stringify(obj)}`);
}

/**
 * The object's fixes as resource modifiers for each form a Velero reads, validated for that
 * Velero and replayed as it would: no rule fails, and the result is the fixes' own.
 */
function judgeModifiers(obj: KubeObject, opts: EngineOptions): void {
    const meta = obj.metadata as Record<string, unknown> | undefined;
    const gr = groupResourceOf(String(obj.apiVersion), String(obj.kind));
    const name = meta?.name;
    if (!gr || typeof name !== "string" || name === "") return;
    const { fixes } = resolveFixes(obj, checkObject(obj, opts).map((f) => f.autofix ?? []));
    if (fixes.length === 0) return;
    const namespace = typeof meta?.namespace === "string" && meta.namespace !== "" ? meta.namespace : undefined;
    // The API server admits only DNS-label namespaces, so no backup holds another (and Velero reads a namespace condition as a glob).
    if (namespace !== undefined && !DNS_LABEL.test(namespace)) return;
    const expected = fixes.reduce<KubeObject>((o, f) => applyFixEdits(o, f.edits.map((e) => (e.op === "set" ? { op: "set", path: formatPath(e.tokens), value: e.value } : { op: "unset", path: formatPath(e.tokens) }))), obj);
    for (const velero of ["v1.12.0", "v1.12.4", "v1.18.2"]) {
        const mods = resourceModifiers([{ groupResource: gr, apiVersion: String(obj.apiVersion), name, namespace, fixes }], velero);
        const checked = validateResourceModifiers(modifiersYaml(mods), { velero });
        assert.ok(checked.ok, `${velero}: ${checked.ok ? "" : checked.errors.join("; ")} for ${JSON.stringify(obj)}`);
        const { object, errors } = applyResourceModifiers(checked.value, obj, gr, velero);
        assert.deepEqual(errors, [], `${velero} on ${JSON.stringify(obj)}`);
        // As JSON: the generators make null-prototype maps, which copies turn into plain ones.
        assert.deepEqual(JSON.parse(JSON.stringify(object)), JSON.parse(JSON.stringify(expected)), `${velero}: ${modifiersYaml(mods)}`);
    }
}

function formatPath(tokens: readonly string[]): string {
    return tokens.map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

function judgeSet(objs: [KubeObject, string | undefined][], opts: EngineOptions): void {
    const scan = new AggregateScan(opts);
    objs.forEach(([o, cluster], i) => {
        judgeOne(o, opts);
        const ref = refOf(o, `#${i}`);
        if (cluster !== undefined) ref.cluster = cluster;
        scan.add(o, ref);
    });
    for (const f of scan.finish()) {
        fired.add(f.rule);
        if (!f.object) continue;
        const obj = objs[Number(f.object.source?.slice(1))]?.[0];
        assert.ok(obj !== undefined, `${f.rule}: finding attached to an object not in the set`);
        assert.notEqual(resolvePointer(obj, f.path), undefined, `${f.rule}: ${f.path} does not resolve in ${JSON.stringify(obj)}`);
    }
}

describe("every rule, on any input", () => {
    it("arbitrary JSON never makes checkObject throw", () => {
        fc.assert(
            fc.property(anyJson, settings, (obj, s) => judgeOne(obj, engine(s))),
            { numRuns: RUNS },
        );
    });

    it("Kubernetes-shaped objects with odd values: no throw, paths resolve, autofixes apply", () => {
        fc.assert(
            fc.property(kubeObject, settings, (obj, s) => judgeOne(obj, engine(s))),
            { numRuns: RUNS * 2 },
        );
    });

    it("Kubernetes-shaped objects: their fixes, written for each Velero form, validate and replay to the same object without an error", () => {
        fc.assert(
            fc.property(kubeObject, settings, (obj, s) => judgeModifiers(obj, engine(s))),
            { numRuns: RUNS * 2 },
        );
    });

    it("sets of objects never make AggregateScan throw, and set-level paths resolve in their object", () => {
        fc.assert(
            fc.property(fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: kubeObject }, { weight: 1, arbitrary: anyJson }), fc.constantFrom(undefined, "urn:source", "urn:target")), { maxLength: 8 }), settings, (objs, s) => judgeSet(objs, engine(s))),
            { numRuns: RUNS },
        );
    });

    it("the generated inputs made every rule in the catalogue report", () => {
        const silent = RULES.map((r) => r.id).filter((id) => !fired.has(id));
        assert.deepEqual(silent, [], `no generated input reached ${silent.join(", ")}: extend the generators so the properties cover them`);
    });
});
