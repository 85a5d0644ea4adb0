/**
 * Velero's backup storage locations in both shapes (the chart's list, velero.io/v1
 * BackupStorageLocation objects), each with the pointers findings use.
 */
import { strict as assert } from "node:assert";
import { storageLocationMap, storageLocations, storeKey } from "../../rules/veleroStorage";
import type { KubeObject } from "../../rules/types";

const release = (values: Record<string, unknown>): KubeObject => ({ apiVersion: "helm.sh/v3", kind: "Release", chart: "velero", version: "12.1.0", values });

describe("Velero backup storage locations", () => {
    it("reads a BackupStorageLocation with what it sets, named by its metadata", () => {
        const bsl: KubeObject = {
            apiVersion: "velero.io/v1",
            kind: "BackupStorageLocation",
            metadata: { name: "default", namespace: "velero" },
            spec: { provider: "aws", objectStorage: { bucket: "b-1250000000", prefix: "shop/" }, config: { region: "ap-guangzhou" } },
        };
        assert.deepEqual(storageLocations(bsl), [
            { name: "default", provider: "aws", bucket: "b-1250000000", prefix: "shop/", config: { region: "ap-guangzhou" }, path: "/spec", bucketPath: "/spec/objectStorage/bucket", configPath: "/spec/config", hasConfig: true },
        ]);
        const bare: KubeObject = { apiVersion: "velero.io/v1", kind: "BackupStorageLocation", spec: {} };
        assert.deepEqual(storageLocations(bare), [{ config: {}, path: "/spec", bucketPath: "/spec", configPath: "/spec", hasConfig: false }]);
        assert.deepEqual(storageLocations({ ...bsl, apiVersion: "velero.io/v2" }), []);
        assert.deepEqual(storageLocations({ ...bsl, kind: "VolumeSnapshotLocation" }), []);
    });

    it("reads a release's list items where the chart renders them, and points at a map it drops", () => {
        const list = [{ name: "primary", provider: "aws", bucket: "b", config: { region: "r" } }, "odd", { provider: "gcp" }];
        const locs = storageLocations(release({ configuration: { backupStorageLocation: list } }));
        assert.deepEqual(locs, [
            { name: "primary", provider: "aws", bucket: "b", config: { region: "r" }, path: "/values/configuration/backupStorageLocation/0", bucketPath: "/values/configuration/backupStorageLocation/0/bucket", configPath: "/values/configuration/backupStorageLocation/0/config", hasConfig: true },
            { provider: "gcp", config: {}, path: "/values/configuration/backupStorageLocation/2", bucketPath: "/values/configuration/backupStorageLocation/2", configPath: "/values/configuration/backupStorageLocation/2", hasConfig: false },
        ]);
        // The chart renders no location with backupsEnabled false (or empty); true or unset renders them.
        for (const off of [false, "", 0]) assert.deepEqual(storageLocations(release({ backupsEnabled: off, configuration: { backupStorageLocation: list } })), [], String(off));
        assert.equal(storageLocations(release({ backupsEnabled: true, configuration: { backupStorageLocation: list } })).length, 2);
        assert.deepEqual(storageLocations({ apiVersion: "helm.sh/v3", kind: "Release", chart: "other", values: { configuration: { backupStorageLocation: list } } }), []);
        assert.equal(storageLocationMap(release({ configuration: { backupStorageLocation: { name: "default" } } })), "/values/configuration/backupStorageLocation");
        assert.equal(storageLocationMap(release({ configuration: { backupStorageLocation: list } })), undefined);
        assert.equal(storageLocationMap({ apiVersion: "v1", kind: "ConfigMap", values: { configuration: { backupStorageLocation: {} } } }), undefined);
    });

    it("keys a store by bucket and prefix without the trailing slashes Velero adds itself", () => {
        const key = (bucket?: string, prefix?: string) => storeKey({ config: {}, path: "", bucketPath: "", configPath: "", hasConfig: false, ...(bucket ? { bucket } : {}), ...(prefix !== undefined ? { prefix } : {}) });
        assert.deepEqual(key("b", "shop//"), { bucket: "b", prefix: "shop" });
        assert.deepEqual(key("b", "a/b/"), { bucket: "b", prefix: "a/b" });
        assert.deepEqual(key(), { bucket: "", prefix: "" });
    });
});
