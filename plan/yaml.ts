/**
 * `plan --format yaml`: the Kubernetes objects each cluster gets, as multi-document
 * manifests like `helm template` prints. A Helm release is rendered by Helm at deploy time,
 * so it appears as a comment with its chart and values.
 */
import { stringify } from "yaml";
import { CLUSTER_ROLES, ROLE_TITLES, type ClusterRole } from "../config/naming";
import { record, str } from "../rules/objects";
import { indexByUrn, scopeOf, type Plan, type PlanResource } from "./model";

const RELEASE = "kubernetes:helm.sh/v3:Release";

function isKubernetesObject(r: PlanResource): boolean {
    return r.custom && r.type.startsWith("kubernetes:") && r.type !== RELEASE;
}

/** apiVersion and kind first, as people write manifests. */
function manifest(r: PlanResource): Record<string, unknown> {
    const [, groupVersion, kind] = r.type.split(":");
    const { apiVersion, kind: k, metadata, ...rest } = r.inputs;
    return {
        apiVersion: apiVersion ?? groupVersion.replace(/^core\//, ""),
        kind: k ?? kind,
        ...(metadata === undefined ? {} : { metadata }),
        ...rest,
    };
}

function comment(text: string): string {
    return text
        .trimEnd()
        .split("\n")
        .map((l) => (l ? `# ${l}` : "#"))
        .join("\n");
}

function releaseDoc(r: PlanResource): string {
    const i = r.inputs;
    const repo = str(record(i.repositoryOpts).repo) ?? "";
    const head = `Source: Helm release ${str(i.name) ?? r.name} in namespace ${str(i.namespace) ?? "?"}: chart ${str(i.chart) ?? "?"} ${str(i.version) ?? ""} from ${repo}`;
    return comment(`${head}\nHelm renders it at deploy time from these values:\n${stringify(i.values ?? {})}`);
}

export function formatYaml(plan: Plan): string {
    const byUrn = indexByUrn(plan);
    const providerOf = (role: ClusterRole) => plan.resources.find((r) => r.type === "pulumi:providers:kubernetes" && scopeOf(r, byUrn) === role);
    const docs: string[] = [];
    for (const role of CLUSTER_ROLES) {
        const members = plan.resources.filter((r) => (isKubernetesObject(r) || r.type === RELEASE) && scopeOf(r, byUrn) === role);
        if (members.length === 0) continue;
        const provider = providerOf(role);
        const context = provider ? str(provider.inputs.context) : undefined;
        const header = comment(`Cluster: ${ROLE_TITLES[role]}, provider ${provider?.name ?? "?"}${context ? `, context ${context}` : ""}`);
        members.forEach((r, i) => {
            const doc = r.type === RELEASE ? releaseDoc(r) : `# Source: ${r.type} ${r.name}\n${stringify(manifest(r), { blockQuote: "literal" }).trimEnd()}`;
            docs.push(i === 0 ? `${header}\n${doc}` : doc);
        });
    }
    return docs.map((d) => `---\n${d}\n`).join("");
}
