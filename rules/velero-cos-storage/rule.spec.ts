import { strict as assert } from "node:assert";
import * as path from "node:path";
import type { KubeObject } from "..";
import { readYamlDocs } from "../../test/support/reference";
import { aggregate, check } from "../../test/support/rules";

const RULE = "velero-cos-storage";
const FIXTURES = path.join(__dirname, "fixtures");

function fixture(name: string): KubeObject[] {
    return readYamlDocs(path.join(FIXTURES, name)) as KubeObject[];
}

const GOOD_CONFIG = { region: "ap-guangzhou", s3Url: "https://cos.ap-guangzhou.myqcloud.com", s3ForcePathStyle: "false", checksumAlgorithm: "" };

/** `bucket: null` leaves the bucket out. */
function bsl(config: Record<string, unknown> | undefined, bucket: string | null = "migration-1250000000", prefix?: string, provider = "aws"): KubeObject {
    const objectStorage: Record<string, unknown> = {};
    if (bucket !== null) objectStorage.bucket = bucket;
    if (prefix !== undefined) objectStorage.prefix = prefix;
    const spec: Record<string, unknown> = { provider, objectStorage };
    if (config !== undefined) spec.config = config;
    return { apiVersion: "velero.io/v1", kind: "BackupStorageLocation", metadata: { name: "default", namespace: "velero" }, spec };
}

function release(locations: unknown, plugin?: string, extra: Record<string, unknown> = {}): KubeObject {
    const values: Record<string, unknown> = { ...extra, configuration: { features: "EnableCSI", backupStorageLocation: locations } };
    if (plugin) values.initContainers = [{ name: "velero-plugin-for-aws", image: `velero/velero-plugin-for-aws:${plugin}` }];
    return { apiVersion: "helm.sh/v3", kind: "Release", chart: "velero", version: "12.1.0", values };
}

function without(config: Record<string, unknown>, key: string): Record<string, unknown> {
    return Object.fromEntries(Object.entries(config).filter(([k]) => k !== key));
}

const paths = (obj: KubeObject) => check(RULE, obj).map((f) => f.path);

describe(RULE, () => {
    describe("one location", () => {
        it("the guide's settings: path-style is a warning, the missing checksumAlgorithm an error", () => {
            const [obj] = fixture("bad-seed-path-style.yaml");
            const findings = check(RULE, obj);
            assert.deepEqual(findings.map((f) => [f.path, f.severity]), [
                ["/spec/config/s3ForcePathStyle", "warning"],
                ["/spec/config", "error"],
            ]);
            assert.match(findings[0].message, /2024-01-01/);
            assert.match(findings[0].message, /PathStyleDomainForbidden/);
            assert.match(findings[1].message, /checksumAlgorithm is not set/);
            assert.match(findings[1].fix, /checksumAlgorithm: ""/);
        });

        it("reads s3ForcePathStyle as the plugin does (Go booleans)", () => {
            for (const v of ["true", "True", "1", "t", true]) assert.deepEqual(paths(bsl({ ...GOOD_CONFIG, s3ForcePathStyle: v })), ["/spec/config/s3ForcePathStyle"], String(v));
            for (const v of ["false", "0", false]) assert.deepEqual(paths(bsl({ ...GOOD_CONFIG, s3ForcePathStyle: v })), [], String(v));
        });

        it("wants checksumAlgorithm \"\" exactly, unless the aws plugin predates request checksums", () => {
            assert.deepEqual(paths(bsl({ ...GOOD_CONFIG, checksumAlgorithm: "CRC32" })), ["/spec/config/checksumAlgorithm"]);
            const [crc] = fixture("bad-release-checksum.yaml");
            assert.deepEqual(paths(crc), ["/values/configuration/backupStorageLocation/0/config/checksumAlgorithm"]);
            const unset = [{ name: "default", provider: "aws", bucket: "migration-1250000000", config: { region: "ap-guangzhou", s3Url: "https://cos.ap-guangzhou.myqcloud.com" } }];
            assert.deepEqual(paths(release(unset, "v1.9.1")), ["/values/configuration/backupStorageLocation/0/config"]);
            assert.deepEqual(paths(release(unset, "v1.8.2")), [], "plugin v1.8 sends no checksums");
        });

        it("wants s3Url to be the region's COS service endpoint", () => {
            assert.deepEqual(paths(bsl({ ...GOOD_CONFIG, s3Url: "https://cos.ap-guangzhou.myqcloud.com/" })), []);
            const missing = check(RULE, bsl(without(GOOD_CONFIG, "s3Url")));
            assert.deepEqual(missing.map((f) => f.path), ["/spec/config"]);
            assert.match(missing[0].message, /AWS S3/);
            assert.match(missing[0].fix, /https:\/\/cos\.ap-guangzhou\.myqcloud\.com/);
            for (const s3Url of ["http://cos.ap-guangzhou.myqcloud.com", "https://migration-1250000000.cos.ap-guangzhou.myqcloud.com", "https://cos.ap-guangzhou.tencentcos.cn"]) {
                assert.deepEqual(paths(bsl({ ...GOOD_CONFIG, s3Url })), ["/spec/config/s3Url"], s3Url);
            }
            const wrongRegion = check(RULE, bsl({ ...GOOD_CONFIG, region: "ap-shanghai" }));
            assert.deepEqual(wrongRegion.map((f) => f.path), ["/spec/config/s3Url"]);
            assert.match(wrongRegion[0].message, /region ap-guangzhou but region is ap-shanghai/);
        });

        it("wants a region", () => {
            assert.deepEqual(paths(bsl(without(GOOD_CONFIG, "region"))), ["/spec/config"]);
        });

        it("wants the bucket as <BucketName>-<APPID>", () => {
            for (const bucket of ["migration-1250000000", "examplebucket-1-1250000000", "1-newproject-1250000000"]) assert.deepEqual(paths(bsl(GOOD_CONFIG, bucket)), [], bucket);
            for (const bucket of ["migration", "Migration-1250000000", "-x-1250000000", "migration-125x"]) {
                assert.deepEqual(paths(bsl(GOOD_CONFIG, bucket)), ["/spec/objectStorage/bucket"], bucket);
            }
            assert.deepEqual(paths(bsl(GOOD_CONFIG, null)), ["/spec/objectStorage"]);
        });

        it("reports the chart's location list given as a map, where the chart drops it", () => {
            const [obj] = fixture("bad-release-bsl-map.yaml");
            const findings = check(RULE, obj);
            assert.deepEqual(findings.map((f) => [f.path, f.severity]), [["/values/configuration/backupStorageLocation", "error"]]);
            assert.match(findings[0].message, /silently dropped/);
        });

        it("judges every item of the release's list at its own path", () => {
            const good = { name: "default", provider: "aws", bucket: "migration-1250000000", config: GOOD_CONFIG };
            const bad = { name: "old", provider: "aws", bucket: "legacy", config: { ...GOOD_CONFIG, s3ForcePathStyle: true } };
            assert.deepEqual(paths(release([good, bad], "v1.14.0")), [
                "/values/configuration/backupStorageLocation/1/config/s3ForcePathStyle",
                "/values/configuration/backupStorageLocation/1/bucket",
            ]);
            assert.deepEqual(paths(release([bad], "v1.14.0", { backupsEnabled: false })), [], "backupsEnabled: false renders no location");
        });

        it("writes each finding as one line naming the location, the value and where it is", () => {
            const lines = (obj: KubeObject) => check(RULE, obj).map((f) => [f.path, f.message, f.fix]);
            const at = "/values/configuration/backupStorageLocation/0";
            // No region: the s3Url's region cannot be compared with it.
            assert.deepEqual(lines(release([{ provider: "aws", bucket: "velero", config: { region: " ", s3Url: "https://cos.ap-shanghai.myqcloud.com", checksumAlgorithm: "" } }])), [
                [`${at}/config/region`, `backup storage location default has no region at ${at}/config/region: the aws plugin needs the COS region to sign requests`, "set region to the bucket's region, e.g. ap-guangzhou"],
                [`${at}/bucket`, `backup storage location default bucket "velero" at ${at}/bucket is not a COS bucket name <BucketName>-<APPID> (e.g. velero-1250000000)`, "use the full COS bucket name, with the account's APPID after the last hyphen"],
            ]);
            const live: KubeObject = { ...bsl({ region: "ap-guangzhou", s3Url: " https://cos.ap-shanghai.myqcloud.com ", checksumAlgorithm: "" }, "migration-1250000000", undefined, "velero.io/aws"), metadata: { name: "cos", namespace: "velero" } };
            assert.deepEqual(lines(live), [
                [
                    "/spec/config/s3Url",
                    'backup storage location cos s3Url " https://cos.ap-shanghai.myqcloud.com " at /spec/config/s3Url is in region ap-shanghai but region is ap-guangzhou: requests are signed for the wrong region',
                    "make s3Url https://cos.ap-guangzhou.myqcloud.com and region the bucket's region",
                ],
            ]);
            // COS's other domain, with a port; nothing else set: every finding points at the config or the location.
            assert.deepEqual(lines(release([{ provider: "aws", config: { s3Url: "https://x.tencentcos.cn:443" } }])), [
                [`${at}/config`, `backup storage location default: checksumAlgorithm is not set (at ${at}/config): velero-plugin-for-aws v1.9.1 and later add request checksums that COS and other S3-compatible stores reject`, 'set checksumAlgorithm: "" in the location\'s config (honoured from plugin v1.9.2)'],
                [`${at}/config`, `backup storage location default has no region at ${at}/config: the aws plugin needs the COS region to sign requests`, "set region to the bucket's region, e.g. ap-guangzhou"],
                [
                    `${at}/config/s3Url`,
                    `backup storage location default s3Url "https://x.tencentcos.cn:443" at ${at}/config/s3Url is not COS's service endpoint https://cos.<region>.myqcloud.com (https://velero.io/docs/v1.18/contributions/tencent-config/)`,
                    "set s3Url: https://cos.<region>.myqcloud.com (no bucket in the host, https)",
                ],
                [at, `backup storage location default bucket "" at ${at} is not a COS bucket name <BucketName>-<APPID> (e.g. velero-1250000000)`, "use the full COS bucket name, with the account's APPID after the last hyphen"],
            ]);
            // A host that only contains COS's domain, in an AWS region, is not COS.
            assert.deepEqual(lines(bsl({ region: "us-east-1", s3Url: "https://s3.myqcloud.com.example.net" }, "velero")), []);
        });

        it("leaves stores that are not COS alone", () => {
            assert.deepEqual(paths(bsl({ region: "us-east-1" }, "my-backups")), [], "AWS S3");
            assert.deepEqual(paths(bsl({ region: "ap-southeast-1", s3ForcePathStyle: "true" }, "backups")), [], "AWS S3, an ap- region");
            const [minio] = fixture("good-minio-bsl.yaml");
            assert.deepEqual(paths(minio), []);
            assert.deepEqual(paths(bsl({ region: "ap-guangzhou" }, "x", undefined, "velero.io/gcp")), [], "another provider");
        });
    });

    describe("source and target share one store", () => {
        const source = "urn:pulumi:dev::tke2eks::pulumi:providers:kubernetes::source";
        const target = "urn:pulumi:dev::tke2eks::pulumi:providers:kubernetes::target";
        const sourceRelease = release([{ name: "default", provider: "aws", bucket: "migration-1250000000", prefix: "tke2eks", config: GOOD_CONFIG }], "v1.14.0");

        it("passes when both clusters have a location on the same bucket and prefix (trailing slash aside)", () => {
            assert.deepEqual(aggregate(RULE, [sourceRelease, bsl(GOOD_CONFIG, "migration-1250000000", "tke2eks/")], {}, (i) => (i === 0 ? source : target)), []);
            const extra = bsl(GOOD_CONFIG, "nightly-1250000000");
            assert.deepEqual(
                aggregate(RULE, [sourceRelease, extra, bsl(GOOD_CONFIG, "migration-1250000000", "tke2eks")], {}, (i) => (i === 2 ? target : source)),
                [],
                "an extra location in one cluster does not matter",
            );
        });

        it("reports each cluster, at its first location, when they share no bucket and prefix", () => {
            const findings = aggregate(RULE, [sourceRelease, bsl(GOOD_CONFIG, "other-1250000000", "tke2eks")], {}, (i) => (i === 0 ? source : target));
            assert.deepEqual(findings.map((f) => [f.object?.source, f.path, f.severity]), [
                ["#0", "/values/configuration/backupStorageLocation/0", "error"],
                ["#1", "/spec", "error"],
            ]);
            assert.match(findings[0].message, /migration-1250000000\/tke2eks/);
            assert.match(findings[0].message, /other-1250000000\/tke2eks/);
        });

        it("names each cluster's stores in the finding, a location without a cluster as (no cluster)", () => {
            const b = (bucket: string, prefix: string) => bsl(GOOD_CONFIG, bucket, prefix);
            const findings = aggregate(RULE, [b("a-1250000000", "p/"), b("a-1250000000", "q"), b("a-1250000000", "q2")], {}, (i) => (i < 2 ? undefined : "urn:b"));
            const summary = "(no cluster): a-1250000000/p, a-1250000000/q; urn:b: a-1250000000/q2";
            assert.deepEqual(
                findings.map((f) => [f.object?.source, f.path, f.message, f.fix]),
                [
                    ["#0", "/spec", `BackupStorageLocation velero/default (location at /spec, cluster (no cluster)) shares no bucket and prefix with the other clusters (${summary}): the target learns about backups only by syncing the store the source writes to`],
                    ["#2", "/spec", `BackupStorageLocation velero/default (location at /spec, cluster urn:b) shares no bucket and prefix with the other clusters (${summary}): the target learns about backups only by syncing the store the source writes to`],
                ].map((f) => [...f, "point both clusters' BackupStorageLocations at the same COS bucket and prefix"]),
            );
        });

        it("treats another prefix in the same bucket as another store", () => {
            assert.equal(aggregate(RULE, [sourceRelease, bsl(GOOD_CONFIG, "migration-1250000000", "elsewhere")], {}, (i) => (i === 0 ? source : target)).length, 2);
        });

        it("says nothing about one cluster, or objects without a cluster", () => {
            assert.deepEqual(aggregate(RULE, [sourceRelease, bsl(GOOD_CONFIG, "other-1250000000")], {}, () => source), []);
            assert.deepEqual(aggregate(RULE, [sourceRelease, bsl(GOOD_CONFIG, "other-1250000000")]), []);
        });
    });
});
