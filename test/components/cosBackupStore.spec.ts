import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as tencentcloud from "@pulumi/tencentcloud";
import { CosBackupStore, type CosBackupStoreArgs } from "../../components/cosBackupStore";
import { BUCKET_ACTIONS, OBJECT_ACTIONS } from "../../components/cosAccessPolicy";
import { declare } from "./harness";

const ARGS: Omit<CosBackupStoreArgs, "provider"> = {
    region: "ap-shanghai",
    appId: "1250000000",
    bucketName: "shop-backups",
    prefix: "velero",
    createBucket: true,
    retentionDays: 45,
    keyNames: ["source", "target"],
};

function storeProgram(args: Partial<CosBackupStoreArgs> = {}) {
    return () => {
        const provider = new tencentcloud.Provider("tc", { region: "ap-shanghai" });
        new CosBackupStore("store", { ...ARGS, provider, ...args });
    };
}

describe("components: CosBackupStore", () => {
    it("declares the bucket, a CAM user, its policy and one key per cluster, all children through the Tencent provider", async () => {
        const d = await declare(storeProgram());
        const store = d.one("tke2eks:storage:CosBackupStore");
        const provider = d.one("pulumi:providers:tencentcloud");
        const custom = d.resources.filter((r) => r.custom && r !== provider);
        assert.deepEqual(custom.map((r) => r.type).sort(), [
            "tencentcloud:Cam/accessKey:AccessKey",
            "tencentcloud:Cam/accessKey:AccessKey",
            "tencentcloud:Cam/policy:Policy",
            "tencentcloud:Cam/user:User",
            "tencentcloud:Cam/userPolicyAttachment:UserPolicyAttachment",
            "tencentcloud:Cos/bucket:Bucket",
        ]);
        for (const r of custom) {
            assert.equal(r.parent, store.urn, r.name);
            assert.equal(r.provider, provider.urn, r.name);
            // The engine downloads Tencent's plugin at the pinned version.
            const reg = d.registration(r.urn);
            assert.equal(reg.version, tencentcloud.PLUGIN_VERSION);
            assert.equal(reg.pluginDownloadURL, "github://api.github.com/tencentcloudstack");
        }
        assert.equal(tencentcloud.PLUGIN_VERSION, "0.2.3");
        assert.equal(provider.inputs.region, "ap-shanghai");
        assert.equal(d.ofType("tencentcloud:Cam/accessKey:AccessKey").length, 2);
    });

    it("makes a private, versioned, encrypted bucket that pulumi destroy never deletes", async () => {
        const d = await declare(storeProgram());
        const bucket = d.one("tencentcloud:Cos/bucket:Bucket");
        assert.equal(bucket.inputs.bucket, "shop-backups-1250000000");
        assert.equal(bucket.inputs.acl, "private");
        assert.equal(bucket.inputs.versioningEnable, true);
        assert.equal(bucket.inputs.encryptionAlgorithm, "AES256");
        assert.equal(bucket.inputs.forceClean, false);
        assert.equal(bucket.protect, true);
        assert.equal(bucket.retainOnDelete, true);
        // Objects under the prefix live the configured retention, never less.
        assert.deepEqual(bucket.inputs.lifecycleRules, [
            {
                id: "velero-retention",
                filterPrefix: "velero/",
                expiration: { days: 45 },
                nonCurrentExpiration: { nonCurrentDays: 30 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
        ]);
    });

    it("limits the CAM policy to the backup prefix of this bucket, and attaches it to the user", async () => {
        const d = await declare(storeProgram({ prefix: "teams/shop" }));
        const policy = d.one("tencentcloud:Cam/policy:Policy");
        const doc = JSON.parse(policy.inputs.document as string) as { version: string; statement: { effect: string; action: string[]; resource: string[] }[] };
        assert.equal(doc.version, "2.0");
        assert.deepEqual(doc.statement, [
            { effect: "allow", action: [...OBJECT_ACTIONS], resource: ["qcs::cos:ap-shanghai:uid/1250000000:shop-backups-1250000000/teams/shop/*"] },
            { effect: "allow", action: [...BUCKET_ACTIONS], resource: ["qcs::cos:ap-shanghai:uid/1250000000:shop-backups-1250000000/*"] },
        ]);
        for (const s of doc.statement) {
            for (const a of s.action) assert.match(a, /^name\/cos:[A-Za-z]+$/);
            assert.ok(!s.action.some((a) => /\*/.test(a)), "no wildcard actions");
        }
        const user = d.one("tencentcloud:Cam/user:User");
        assert.equal(user.inputs.name, "velero-shop-backups");
        assert.equal(user.inputs.consoleLogin, false);
        assert.equal(user.inputs.useApi, false);
        const attachment = d.one("tencentcloud:Cam/userPolicyAttachment:UserPolicyAttachment");
        assert.equal(attachment.inputs.userName, "velero-shop-backups");
        assert.ok(attachment.dependencies.includes(policy.urn) && attachment.dependencies.includes(user.urn));
        for (const key of d.ofType("tencentcloud:Cam/accessKey:AccessKey")) {
            assert.ok(key.dependencies.includes(user.urn) && key.dependencies.includes(attachment.urn), key.name);
            assert.deepEqual(d.registration(key.urn).additionalSecretOutputs, ["secretAccessKey"]);
        }
    });

    it("uses an existing bucket without declaring it", async () => {
        const d = await declare(storeProgram({ createBucket: false }));
        assert.equal(d.ofType("tencentcloud:Cos/bucket:Bucket").length, 0);
        assert.equal(d.ofType("tencentcloud:Cam/policy:Policy").length, 1);
    });

    it("hands each cluster its own key as secrets", async () => {
        let store: CosBackupStore | undefined;
        const ids: Record<string, string> = { "store-source-key": "AKIDsource", "store-target-key": "AKIDtarget" };
        const d = await declare(
            () => {
                const provider = new tencentcloud.Provider("tc", { region: "ap-shanghai" });
                store = new CosBackupStore("store", { ...ARGS, provider });
            },
            {
                preview: false,
                outputs: ({ type, name }) => (type === "tencentcloud:Cam/accessKey:AccessKey" ? { accessKey: ids[name], secretAccessKey: `key-of-${name}` } : type === "tencentcloud:Cam/user:User" ? { uin: 100012345678 } : {}),
            },
        );
        assert.ok(store);
        const source = store.credentials.source;
        const target = store.credentials.target;
        assert.notEqual(source, target);
        for (const [role, creds] of Object.entries(store.credentials)) {
            assert.equal(await pulumi.isSecret(creds.secretAccessKey), true, role);
            assert.equal(await pulumi.isSecret(creds.accessKeyId), true, role);
        }
        const unwrap = <T>(o: { apply<U>(f: (v: T) => U): unknown }) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));
        assert.equal(await unwrap<string>(source.secretAccessKey), "key-of-store-source-key");
        assert.equal(await unwrap<string>(target.accessKeyId), "AKIDtarget");
        // Both keys belong to the store's CAM user.
        for (const key of d.ofType("tencentcloud:Cam/accessKey:AccessKey")) assert.equal(key.inputs.targetUin, 100012345678);
    });
});
