import { array, isRecord, pointer } from "../objects";
import { containers, podTemplate } from "../podTemplates";
import type { Profile, RawFinding, Rule } from "../types";
import { POD_CONTROLLERS } from "../kinds";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const PROBE_HANDLERS = ["httpGet", "tcpSocket", "grpc"] as const;

function reserved(port: unknown, profile: Profile, metricsMoved: boolean): string | undefined {
    if (typeof port !== "number" || !Number.isInteger(port)) return undefined;
    const t = profile.thresholds;
    if (t.reservedPorts.includes(port) && !metricsMoved) return `port ${port} is reserved for the platform's monitoring agent`;
    if (port >= t.reservedRangeFrom && port <= t.reservedRangeTo) {
        return `port ${port} is in the range ${t.reservedRangeFrom}–${t.reservedRangeTo} the serverless Pod reserves`;
    }
    return undefined;
}

/** The platform's own agents listen on 9100 and the high ports inside every serverless Pod. */
export const eksReservedPorts: Rule<"eks-reserved-ports"> = {
    id: "eks-reserved-ports",
    defaultLevel: "mandatory",
    title: "No reserved ports",
    why: "the serverless Pod's own agents use these ports (迁移限制: EKS Pod 不支持监听 9100 端口及 62000 以上端口)",
    fix: "move the container to another port (and its Service's targetPort)",
    policy: { onTarget: POD_CONTROLLERS, thresholds: ["reservedPorts", "reservedRangeFrom", "reservedRangeTo"] },
    check(obj, { profile }) {
        const tpl = podTemplate(obj);
        if (!tpl) return [];
        const annotation = profile.metricsPortAnnotation;
        const metricsMoved = annotation !== undefined && annotation in tpl.annotations;
        const movable = annotation ? `, or move the platform's metrics port with the ${annotation} annotation` : "";
        const out: RawFinding[] = [];
        const report = (path: string, what: string, port: unknown) => {
            const why = reserved(port, profile, metricsMoved);
            if (why) {
                out.push({
                    path,
                    message: `${what} at ${path}: ${why}; ${this.why}`,
                    fix: `${this.fix}${why.includes("monitoring") ? movable : ""}`,
                });
            }
        };
        for (const c of containers(tpl)) {
            array(c.container.ports).forEach((p, i) => {
                if (!isRecord(p)) return;
                for (const field of ["containerPort", "hostPort"]) {
                    report(`${c.path}${pointer("ports", i, field)}`, `container "${c.name}" ${field}`, p[field]);
                }
            });
            if (!profile.probePorts) continue;
            for (const probe of PROBES) {
                const spec = c.container[probe];
                if (!isRecord(spec)) continue;
                for (const handler of PROBE_HANDLERS) {
                    const h = spec[handler];
                    if (isRecord(h)) report(`${c.path}${pointer(probe, handler, "port")}`, `container "${c.name}" ${probe}`, h.port);
                }
            }
        }
        return out;
    },
};
