import { describe, str } from "../objects";
import { containers, podTemplate } from "../podTemplates";
import type { ObjectRef, Rule } from "../types";

const DOCKER_HUB = "docker.io";

/**
 * The registry host of an image reference, as Docker and containerd read it: the first
 * path component when it looks like a host (has "." or ":", is "localhost" or has upper
 * case), else Docker Hub (`nginx`, `library/nginx`, `bitnami/redis`).
 */
export function registryOf(image: string): string | undefined {
    const ref = image.trim();
    if (ref === "") return undefined;
    const slash = ref.indexOf("/");
    if (slash <= 0) return DOCKER_HUB;
    const first = ref.slice(0, slash);
    const isHost = /[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase();
    if (!isHost) return DOCKER_HUB;
    const host = first.toLowerCase();
    return host === "index.docker.io" ? DOCKER_HUB : host;
}

function fixFor(registry: string): string {
    return (
        `check ${registry} runs Docker registry ≥ 2.5 or Harbor ≥ 1.10 and that the serverless cluster can reach it ` +
        "(network, imagePullSecrets), or mirror the images to Tencent Container Registry"
    );
}

interface Seen {
    ref: ObjectRef;
    path: string;
    image: string;
    containers: number;
}

/** containerd 1.4.3 on the serverless cluster cannot pull from old registries. */
export const eksImageRegistry: Rule<"eks-image-registry"> = {
    id: "eks-image-registry",
    defaultLevel: "advisory",
    title: "Registries serve containerd",
    why: "the serverless cluster pulls with containerd 1.4.3, which cannot pull from Docker registry older than v2.5 or Harbor older than v1.10 (迁移限制: EKS 集群使用 containerd v1.4.3 作为运行时)",
    fix: fixFor("each registry"),
    policy: { aggregate: "target" },
    aggregate() {
        const registries = new Map<string, Seen>();
        return {
            add(obj, ref) {
                const tpl = podTemplate(obj);
                if (!tpl) return;
                for (const c of containers(tpl)) {
                    const image = str(c.container.image);
                    const registry = image === undefined ? undefined : registryOf(image);
                    if (image === undefined || registry === undefined) continue;
                    const seen = registries.get(registry);
                    if (seen) seen.containers++;
                    else registries.set(registry, { ref, path: `${c.path}/image`, image, containers: 1 });
                }
            },
            finish: () =>
                [...registries].map(([registry, s]) => ({
                    object: s.ref,
                    path: s.path,
                    message:
                        `images come from registry ${registry} (${s.containers} container${s.containers === 1 ? "" : "s"}; first ` +
                        `${describe(s.ref)} at ${s.path}: ${s.image}): ${eksImageRegistry.why}`,
                    fix: fixFor(registry),
                })),
        };
    },
};
