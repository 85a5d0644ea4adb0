/**
 * What B holds that the prerequisite checks (preflight/prerequisites.ts) need, read from B
 * itself: apart from the checks, so a scan that reads no cluster never loads the client.
 */
import { AppsV1Api, StorageV1Api } from "@kubernetes/client-node";
import { ClusterError } from "../cluster/clusterError";
import { withSession, type ClusterOptions } from "./cluster";
import type { Discovery } from "./discovery";
import { CBS_CSI_DRIVER, type TargetState } from "./prerequisites";
export async function readTargetState(opts: ClusterOptions, discovery: Discovery): Promise<TargetState> {
    return withSession(opts, async (session) => {
        const read = async <T>(what: string, call: () => Promise<T>, missing: T): Promise<T | undefined> => {
            try {
                return await session.call(what, call);
            } catch (err) {
                if (err instanceof ClusterError && err.status === 404) return missing;
                if (err instanceof ClusterError && err.status === 403) return undefined;
                throw err;
            }
        };
        const storage = session.api(StorageV1Api);
        const classes = await read("list the StorageClasses", () => storage.listStorageClass(), { items: [] });
        const driver = await read(`get CSIDriver ${CBS_CSI_DRIVER}`, () => storage.readCSIDriver({ name: CBS_CSI_DRIVER }).then(() => true), false);
        const deployments = await read("list the Deployments", () => session.api(AppsV1Api).listDeploymentForAllNamespaces(), { items: [] });
        return {
            discovery,
            storageClasses: classes?.items.map((c) => ({
                name: c.metadata?.name ?? "",
                isDefault: ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"].some((a) => c.metadata?.annotations?.[a] === "true"),
            })),
            csiDriver: driver,
            snapshotControllers: deployments?.items.map((d) => `${d.metadata?.namespace ?? ""}/${d.metadata?.name ?? ""}`).filter((n) => n.includes("snapshot-controller")),
        };
    });
}
