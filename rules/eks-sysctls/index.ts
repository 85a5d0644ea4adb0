import { array, isRecord, pointer, record, str } from "../objects";
import { podTemplate } from "../podTemplates";
import type { Profile, RawFinding, Rule } from "../types";
import { POD_CONTROLLERS } from "../kinds";

/** Kubernetes accepts both `net.core.somaxconn` and `net/core/somaxconn`. */
function isNet(name: string): boolean {
    return name.split(name.includes("/") ? "/" : ".")[0] === "net";
}

function refused(name: string, profile: Profile): boolean {
    return profile.refusedSysctls === "net" ? isNet(name) : !isNet(name);
}

/** What the profile allows, and where that comes from. */
function limit(profile: Profile): { why: string; fix: string } {
    return profile.refusedSysctls === "net"
        ? {
              why: "the serverless cluster does not allow custom net.* kernel parameters (迁移限制: EKS 不支持自定义 net 前缀的内核参数)",
              fix: "drop the net.* sysctl and rely on the serverless Pod's network defaults",
          }
        : {
              why: `on this target only net.* kernel parameters may be customised (${profile.source})`,
              fix: "drop the sysctl, or keep the workload on TKE nodes if it needs that kernel setting",
          };
}

/** The serverless Pod's kernel is the platform's: only some sysctls may be set. */
export const eksSysctls: Rule<"eks-sysctls"> = {
    id: "eks-sysctls",
    defaultLevel: "mandatory",
    title: "Only allowed sysctls",
    why: "the serverless Pod's kernel is managed by the platform, which refuses some kernel parameters (迁移限制: EKS 不支持自定义 net 前缀的内核参数)",
    fix: "drop the refused sysctls from securityContext.sysctls",
    policy: { onTarget: POD_CONTROLLERS },
    check(obj, { profile }) {
        const tpl = podTemplate(obj);
        if (!tpl) return [];
        const { why, fix } = limit(profile);
        const out: RawFinding[] = [];
        const sysctlsPath = `${tpl.specPath}${pointer("securityContext", "sysctls")}`;
        array(record(tpl.spec.securityContext).sysctls).forEach((entry, i) => {
            const name = isRecord(entry) ? str(entry.name) : undefined;
            if (name === undefined || !refused(name, profile)) return;
            const path = `${sysctlsPath}/${i}`;
            out.push({ path, message: `sysctl "${name}" at ${path} is refused: ${why}`, fix });
        });

        const annotation = profile.sysctlAnnotation;
        const raw = annotation === undefined ? undefined : tpl.annotations[annotation];
        if (annotation === undefined || raw === undefined) return out;
        const path = `${tpl.metadataPath}${pointer("annotations", annotation)}`;
        let parsed: unknown;
        try {
            parsed = JSON.parse(raw);
        } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            return [
                ...out,
                {
                    path,
                    message: `annotation ${annotation} at ${path} is not valid JSON (${reason}); the platform expects a JSON list of {"name", "value"}`,
                    fix: `write it as '[{"name": "net.core.somaxconn", "value": "4096"}]'`,
                },
            ];
        }
        if (!Array.isArray(parsed)) {
            return [
                ...out,
                {
                    path,
                    message: `annotation ${annotation} at ${path} is not a JSON list; the platform expects a JSON list of {"name", "value"}`,
                    fix: `write it as '[{"name": "net.core.somaxconn", "value": "4096"}]'`,
                },
            ];
        }
        parsed.forEach((entry, i) => {
            const name = isRecord(entry) ? str(entry.name) : undefined;
            if (name === undefined) {
                out.push({
                    path,
                    message: `annotation ${annotation} at ${path}: entry ${i} has no "name"; the platform expects a JSON list of {"name", "value"}`,
                    fix: `give every entry a "name" and a "value"`,
                });
            } else if (refused(name, profile)) {
                out.push({ path, message: `sysctl "${name}" (entry ${i} of annotation ${annotation} at ${path}) is refused: ${why}`, fix });
            }
        });
        return out;
    },
};
