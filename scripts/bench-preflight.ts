/**
 * `npm run bench`: preflight against a parse-only baseline on a large, realistic dump.
 *
 * Generates (into .bench/, git-ignored, reused between runs) what `kubectl get -A -o yaml`
 * writes for a busy cluster: one `kind: List` whose items are Deployments with their
 * ReplicaSets and Pods, StatefulSets, DaemonSets, CronJobs and Jobs, Services, ConfigMaps,
 * Secrets, HPAs, PVCs and ServiceAccounts, with the metadata a live cluster adds
 * (last-applied-configuration, managedFields, status), and a few percent of them breaking a
 * serverless rule. For two sizes (10,000 and 100,000 objects; --sizes) it runs, alternating, the
 * built CLI as users run it (`tke2eks preflight FILE --format json`: start-up, all rules,
 * set-level rules, quota planner, JSON report) and its floor (scripts/bench-floor.ts: read the file
 * and parse it with the same YAML parser, nothing else), each a whole process
 * (scripts/wholeProcess.ts), and prints their CPU time, its ratio and the peak RSS.
 * Goals: scan ≤ 1.25 × the floor's CPU time; peak memory flat across sizes.
 *
 *   npm run bench:preflight [-- --runs 3 --sizes 10000,100000]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { measurePair, mib, report, runWhole } from "./wholeProcess";

const SIZES = [10_000, 100_000];
const GOAL_RATIO = 1.25;
/** Peak RSS may grow this much from the small to the large dump and still count as flat. */
const FLAT_TOLERANCE = 1.25;
const GENERATOR_VERSION = 2;
/** npm runs scripts from the package folder. */
const BENCH_DIR = path.resolve(process.cwd(), ".bench");

/** Deterministic pseudo-random numbers, so every run scans the same dump. */
export function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32;
    };
}

type Obj = Record<string, unknown>;

function metadata(r: () => number, name: string, ns: string | undefined, labels: Record<string, string>, extra: Obj = {}): Obj {
    const uid = [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join("")).join("-");
    const meta: Obj = { name, creationTimestamp: "2025-03-14T08:21:09Z", labels, resourceVersion: String(Math.floor(r() * 1e9)), uid, ...extra };
    if (ns) meta.namespace = ns;
    meta.managedFields = [
        { apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:labels": Object.fromEntries(Object.keys(labels).map((k) => [`f:${k}`, {}])) } }, manager: "kubectl-client-side-apply", operation: "Update", time: "2025-03-14T08:21:09Z" },
    ];
    return meta;
}

function container(r: () => number, app: string, i: number, bad: { port9100?: boolean; hostPort?: boolean; eni?: boolean }): Obj {
    const port = bad.port9100 ? 9100 : 8080 + i;
    const requests: Obj = { cpu: `${100 + Math.floor(r() * 900)}m`, memory: `${128 * (1 + Math.floor(r() * 8))}Mi` };
    if (bad.eni) requests["tke.cloud.tencent.com/eni-ip"] = "1";
    return {
        name: i === 0 ? app : `${app}-sidecar-${i}`,
        image: `ccr.ccs.tencentyun.com/team-${Math.floor(r() * 20)}/${app}:${1 + Math.floor(r() * 9)}.${Math.floor(r() * 20)}.0`,
        imagePullPolicy: "IfNotPresent",
        env: [
            { name: "APP_NAME", value: app },
            { name: "POD_IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.podIP" } } },
        ],
        ports: [{ containerPort: port, name: "http", protocol: "TCP", ...(bad.hostPort ? { hostPort: port } : {}) }],
        readinessProbe: { httpGet: { path: "/healthz", port, scheme: "HTTP" }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
        resources: { requests, limits: { ...requests, cpu: "2" } },
        terminationMessagePath: "/dev/termination-log",
        terminationMessagePolicy: "File",
        volumeMounts: [{ mountPath: "/etc/config", name: "config" }],
    };
}

function podSpec(r: () => number, app: string, bad: { port9100?: boolean; hostPort?: boolean; eni?: boolean; hostNetwork?: boolean }): Obj {
    const n = r() < 0.3 ? 2 : 1;
    return {
        containers: Array.from({ length: n }, (_, i) => container(r, app, i, i === 0 ? bad : {})),
        dnsPolicy: "ClusterFirst",
        restartPolicy: "Always",
        schedulerName: "default-scheduler",
        securityContext: {},
        serviceAccountName: app,
        terminationGracePeriodSeconds: 30,
        volumes: [{ name: "config", configMap: { name: `${app}-config`, defaultMode: 420 } }],
        ...(bad.hostNetwork ? { hostNetwork: true } : {}),
    };
}

/** The objects of one application in one namespace, as a live cluster holds them. */
function* app(r: () => number, ns: string, name: string): Generator<Obj> {
    const labels = { app: name, "app.kubernetes.io/part-of": ns };
    const bad = { port9100: r() < 0.02, hostPort: r() < 0.03, eni: r() < 0.03, hostNetwork: r() < 0.01 };
    const fixedIp = bad.eni ? { "tke.cloud.tencent.com/networks": "tke-route-eni", "tke.cloud.tencent.com/vpc-ip-claim-delete-policy": "Never" } : undefined;
    const replicas = 1 + Math.floor(r() * 3);
    const template = { metadata: { labels, ...(fixedIp ? { annotations: fixedIp } : {}) }, spec: podSpec(r, name, bad) };
    const kind = r() < 0.15 ? "StatefulSet" : "Deployment";
    const spec: Obj = { replicas, selector: { matchLabels: labels }, template, revisionHistoryLimit: 10 };
    if (kind === "StatefulSet") spec.serviceName = name;
    const applied = JSON.stringify({ apiVersion: "apps/v1", kind, metadata: { name, namespace: ns, labels }, spec: { replicas, selector: { matchLabels: labels }, template } });
    yield {
        apiVersion: "apps/v1",
        kind,
        metadata: metadata(r, name, ns, labels, { annotations: { "kubectl.kubernetes.io/last-applied-configuration": applied, "deployment.kubernetes.io/revision": "3" }, generation: 3 }),
        spec,
        status: { availableReplicas: replicas, observedGeneration: 3, readyReplicas: replicas, replicas, updatedReplicas: replicas },
    };
    const owner = (k: string, n: string) => ({ ownerReferences: [{ apiVersion: "apps/v1", kind: k, name: n, uid: "5f0c8f2e-6d0b-4b8e-9d6a-0c1f3f2a7b11", controller: true, blockOwnerDeletion: true }] });
    let podOwner = { kind, name };
    if (kind === "Deployment") {
        const rs = `${name}-${Math.floor(r() * 1e10).toString(36)}`;
        podOwner = { kind: "ReplicaSet", name: rs };
        yield { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: metadata(r, rs, ns, labels, owner(kind, name)), spec: { replicas, selector: { matchLabels: labels }, template }, status: { replicas, readyReplicas: replicas } };
    }
    for (let i = 0; i < replicas; i++) {
        yield {
            apiVersion: "v1",
            kind: "Pod",
            metadata: metadata(r, `${podOwner.name}-${Math.floor(r() * 1e8).toString(36)}`, ns, labels, { ...owner(podOwner.kind, podOwner.name), ...(fixedIp ? { annotations: fixedIp } : {}) }),
            spec: { ...podSpec(r, name, bad), nodeName: `10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}` },
            status: { phase: "Running", hostIP: "10.0.1.23", podIP: `172.16.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`, qosClass: "Burstable", startTime: "2025-03-14T08:21:19Z" },
        };
    }
    const nodePort = r() < 0.05;
    yield {
        apiVersion: "v1",
        kind: "Service",
        metadata: metadata(r, name, ns, labels),
        spec: {
            type: nodePort ? "NodePort" : "ClusterIP",
            clusterIP: `10.96.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
            ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http", ...(nodePort ? { nodePort: 30000 + Math.floor(r() * 2767) } : {}) }],
            selector: labels,
            sessionAffinity: "None",
        },
    };
    yield { apiVersion: "v1", kind: "ConfigMap", metadata: metadata(r, `${name}-config`, ns, labels), data: { "app.properties": `name=${name}\nlog.level=info\npool.size=${Math.floor(r() * 50)}\n` } };
    yield { apiVersion: "v1", kind: "Secret", metadata: metadata(r, `${name}-credentials`, ns, labels), type: "Opaque", data: { password: Buffer.from(`p-${r()}`).toString("base64") } };
    yield { apiVersion: "v1", kind: "ServiceAccount", metadata: metadata(r, name, ns, labels) };
    if (r() < 0.3) {
        yield {
            apiVersion: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: metadata(r, name, ns, labels),
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind, name }, minReplicas: replicas, maxReplicas: replicas + 2, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }] },
        };
    }
    if (kind === "StatefulSet" || r() < 0.1) {
        yield { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: metadata(r, `data-${name}-0`, ns, labels), spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } }, storageClassName: "cbs-csi", volumeMode: "Filesystem" }, status: { phase: "Bound" } };
    }
    if (r() < 0.05) {
        yield {
            apiVersion: "batch/v1",
            kind: "CronJob",
            metadata: metadata(r, `${name}-cleanup`, ns, labels),
            spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { ...podSpec(r, `${name}-cleanup`, {}), restartPolicy: "OnFailure" } } } } },
        };
    }
}

/** A busy cluster's objects, `count` of them (restore-preview's benchmark backs them up). */
export function* cluster(r: () => number, count: number): Generator<Obj> {
    let emitted = 0;
    const emit = function* (objs: Iterable<Obj>) {
        for (const o of objs) {
            if (emitted++ >= count) return;
            yield o;
        }
    };
    yield* emit([{ apiVersion: "apps/v1", kind: "DaemonSet", metadata: metadata(r, "node-exporter", "monitoring", { app: "node-exporter" }), spec: { selector: { matchLabels: { app: "node-exporter" } }, template: { metadata: { labels: { app: "node-exporter" } }, spec: podSpec(r, "node-exporter", { port9100: true, hostPort: true, hostNetwork: true }) } } }]);
    for (let n = 0; emitted < count; n++) {
        const ns = `team-${n % 400}`;
        if (n < 400) yield* emit([{ apiVersion: "v1", kind: "Namespace", metadata: metadata(r, ns, undefined, { "kubernetes.io/metadata.name": ns }), spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } }]);
        yield* emit(app(r, ns, `svc-${n}`));
    }
}

/** Writes the dump as kubectl does: `items:` at column 0, compact sequences, keys as given. */
function generate(file: string, count: number): void {
    const r = rng(count);
    const fd = fs.openSync(file + ".tmp", "w");
    fs.writeSync(fd, "apiVersion: v1\nitems:\n");
    let buffer = "";
    for (const obj of cluster(r, count)) {
        const text = stringify(obj, { indentSeq: false, lineWidth: 0 });
        buffer += "- " + text.slice(0, -1).replace(/\n/g, "\n  ") + "\n";
        if (buffer.length > 1 << 20) {
            fs.writeSync(fd, buffer);
            buffer = "";
        }
    }
    fs.writeSync(fd, buffer + 'kind: List\nmetadata:\n  resourceVersion: ""\n');
    fs.closeSync(fd);
    fs.renameSync(file + ".tmp", file);
}

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "tke2eks");
const FLOOR = path.join(__dirname, "bench-floor.js");

function main(): number {
    const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, sizes: { type: "string", default: SIZES.join(",") } } });
    const runs = Number(values.runs);
    const sizes = values.sizes.split(",").map(Number);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs ${values.runs}: a whole number ≥ 1`);
    if (sizes.length !== 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`--sizes ${values.sizes}: two object counts, e.g. 10000,100000`);
    fs.mkdirSync(BENCH_DIR, { recursive: true });
    const lines = ["", `preflight against parse-only (kubectl get -A -o yaml style List; whole processes, median of ${runs}; Node ${process.version})`, ""];
    let ok = true;
    const peaks: number[] = [];
    for (const size of sizes) {
        const file = path.join(BENCH_DIR, `cluster-${size}-v${GENERATOR_VERSION}.yaml`);
        if (!fs.existsSync(file)) {
            process.stderr.write(`generating ${path.relative(process.cwd(), file)} (${size.toLocaleString("en-US")} objects)…\n`);
            generate(file, size);
        }
        process.stderr.write(`measuring ${size.toLocaleString("en-US")} objects…\n`);
        const p = measurePair(
            () => runWhole([BIN, "preflight", file, "--format", "json", "--fail-on", "never", "--no-progress"]),
            () => runWhole([FLOOR, "parse", file]),
            runs,
        );
        lines.push(`${size.toLocaleString("en-US")} objects, ${mib(fs.statSync(file).size)} of YAML`);
        ok = report(lines, "tke2eks preflight FILE --format json", "js-yaml loadAll FILE (parse-only)", p, GOAL_RATIO) && ok;
        peaks.push(p.a.peakRss);
    }
    const growth = peaks[1] / peaks[0];
    ok &&= growth <= FLAT_TOLERANCE;
    lines.push(`peak RSS of the scan, ${sizes[1].toLocaleString("en-US")} vs ${sizes[0].toLocaleString("en-US")} objects: ${growth.toFixed(2)} × (flat: ≤ ${FLAT_TOLERANCE})`);
    lines.push(ok ? "goals met" : "GOALS MISSED", "");
    process.stdout.write(lines.join("\n"));
    return ok ? 0 : 1;
}

if (require.main === module) {
    try {
        process.exitCode = main();
    } catch (err) {
        process.stderr.write(`bench-preflight: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
    }
}
