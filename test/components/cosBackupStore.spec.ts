import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as tencentcloud from "@pulumi/tencentcloud";
import { Migration } from "../../components/migration";
import { CosBackupStore, type CosBackupStoreArgs } from "../../components/cosBackupStore";
import { TENCENTCLOUD_PACKAGE } from "../../components/tencentcloudPackage";
import { STAGES } from "../../config/stages";
import { declare, devConfig } from "./harness";

const ARGS: Omit<CosBackupStoreArgs, "provider"> = {
    region: "ap-shanghai",
    appId: "1250000000",
    bucketName: "shop-backups",
    prefix: "velero",
    createBucket: true,
    retentionDays: 45,
    keyNames: ["source", "target"],
};

const T = {
    bucket: "tencentcloud:index/cosBucket:CosBucket",
    user: "tencentcloud:index/camUser:CamUser",
    policy: "tencentcloud:index/camPolicy:CamPolicy",
    attachment: "tencentcloud:index/camUserPolicyAttachment:CamUserPolicyAttachment",
    key: "tencentcloud:index/camAccessKey:CamAccessKey",
};

function storeProgram(args: Partial<CosBackupStoreArgs> = {}) {
    return () => {
        const provider = new tencentcloud.Provider("tc", { region: "ap-shanghai" });
        new CosBackupStore("store", { ...ARGS, provider, ...args });
    };
}

/**
 * Every S3 call velero-plugin-for-aws v1.14.0-rc.1 makes (velero-plugin-for-aws/object_store.go:
 * the upload manager L364, HeadObject L390, GetObject L421 and its presigned form L486,
 * ListObjectsV2 L430/L450, DeleteObject L480), with the COS CAM action that authorises it.
 */
const PLUGIN_CALLS: Record<string, string> = {
    PutObject: "name/cos:PutObject",
    CreateMultipartUpload: "name/cos:InitiateMultipartUpload",
    UploadPart: "name/cos:UploadPart",
    CompleteMultipartUpload: "name/cos:CompleteMultipartUpload",
    AbortMultipartUpload: "name/cos:AbortMultipartUpload",
    HeadObject: "name/cos:HeadObject",
    GetObject: "name/cos:GetObject",
    DeleteObject: "name/cos:DeleteObject",
    ListObjectsV2: "name/cos:GetBucket",
};

interface Statement {
    effect: string;
    action: string[];
    resource: string[];
    /** CAM reads a list of values as any of them. */
    condition?: Record<string, Record<string, string | string[]>>;
}

/** CAM's glob: `*` is any run of characters, nothing else is special. */
function glob(pattern: string, value: string): boolean {
    const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
    return re.test(value);
}

/**
 * Whether a policy allows one request: an object call names the object's resource, a listing
 * names the bucket (`<bucket>/*` in CAM) and carries the listed prefix as `cos:prefix`.
 */
function allows(doc: { statement: Statement[] }, action: string, resource: string, prefix?: string): boolean {
    return doc.statement.some(
        (s) =>
            s.effect === "allow" &&
            s.action.includes(action) &&
            s.resource.some((r) => glob(r, resource)) &&
            Object.entries(s.condition ?? {}).every(([op, keys]) => op === "string_like" && Object.entries(keys).every(([k, v]) => k === "cos:prefix" && prefix !== undefined && [v].flat().some((p) => glob(p, prefix)))),
    );
}

describe("components: CosBackupStore", () => {
    it("declares the bucket and, per cluster, a CAM user, its policy and one key, all through the Tencent provider", async () => {
        const d = await declare(storeProgram());
        const store = d.one("tke2eks:storage:CosBackupStore");
        const provider = d.one("pulumi:providers:tencentcloud");
        const custom = d.resources.filter((r) => r.custom && r !== provider);
        assert.deepEqual(custom.map((r) => `${r.type} ${r.name}`).sort(), [
            `${T.key} store-source-key`,
            `${T.key} store-target-key`,
            `${T.policy} store-source-policy`,
            `${T.policy} store-target-policy`,
            `${T.user} store-source-user`,
            `${T.user} store-target-user`,
            `${T.attachment} store-source-policy-attachment`,
            `${T.attachment} store-target-policy-attachment`,
            `${T.bucket} store-bucket`,
        ]);
        for (const r of custom) {
            assert.equal(r.parent, store.urn, r.name);
            assert.equal(r.provider, provider.urn, r.name);
            // The package reference says which plugin runs it; @pulumi/pulumi then sends no plugin
            // version of its own (runtime/resource.js, registerResource).
            const reg = d.registration(r.urn);
            assert.equal(reg.packageRef, d.packages[0].ref, r.name);
            assert.equal(reg.version, "", r.name);
            assert.equal(reg.pluginDownloadURL, "", r.name);
        }
        assert.equal(provider.inputs.region, "ap-shanghai");
        assert.equal(d.packages.length, 1);
        assert.equal(d.packages[0].parameterization?.version, TENCENTCLOUD_PACKAGE.version);
    });

    it("makes a private, versioned, encrypted bucket that pulumi destroy never deletes", async () => {
        const d = await declare(storeProgram());
        const bucket = d.one(T.bucket);
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

    it("grants each cluster exactly the COS actions velero-plugin-for-aws calls, on its prefix only", async () => {
        const d = await declare(storeProgram({ prefix: "teams/shop" }));
        const policies = d.ofType(T.policy);
        assert.equal(policies.length, 2);
        const bucketRes = "qcs::cos:ap-shanghai:uid/1250000000:shop-backups-1250000000";
        for (const policy of policies) {
            const doc = JSON.parse(policy.inputs.document as string) as { version: string; statement: Statement[] };
            assert.equal(doc.version, "2.0");
            const granted = new Set(doc.statement.flatMap((s) => s.action));
            assert.deepEqual([...granted].sort(), [...new Set(Object.values(PLUGIN_CALLS))].sort(), policy.name);
            // What the plugin does in a backup, a restore, a sync and a deletion: all allowed.
            for (const [call, action] of Object.entries(PLUGIN_CALLS)) {
                if (call === "ListObjectsV2") {
                    for (const listed of ["teams/shop/", "teams/shop/backups/", "teams/shop/backups/shop-1/"]) assert.ok(allows(doc, action, `${bucketRes}/*`, listed), `${policy.name}: list ${listed}`);
                } else {
                    assert.ok(allows(doc, action, `${bucketRes}/teams/shop/backups/shop-1/shop-1.tar.gz`), `${policy.name}: ${call}`);
                }
            }
            // Nothing outside the prefix: not another folder's objects, not the bucket's root listing.
            assert.ok(!allows(doc, "name/cos:GetObject", `${bucketRes}/teams/other/backups/x.tar.gz`));
            assert.ok(!allows(doc, "name/cos:PutObject", `${bucketRes}/secret.txt`));
            for (const listed of [undefined, "", "teams/", "teams/other/"]) assert.ok(!allows(doc, "name/cos:GetBucket", `${bucketRes}/*`, listed), `list ${String(listed)}`);
            for (const unused of ["name/cos:HeadBucket", "name/cos:ListMultipartUploads", "name/cos:ListParts", "name/cos:PutBucket"]) assert.ok(!granted.has(unused), unused);
        }
    });

    it("grants B's key its own location's prefix beside the shared one, and A's key the shared one only", async () => {
        const d = await declare(storeProgram({ prefix: "velero", ownPrefixes: { target: "velero-eks" } }));
        const bucketRes = "qcs::cos:ap-shanghai:uid/1250000000:shop-backups-1250000000";
        const doc = (role: string) => JSON.parse(d.one(T.policy, `store-${role}-policy`).inputs.document as string) as { statement: Statement[] };
        for (const role of ["source", "target"]) {
            assert.ok(allows(doc(role), "name/cos:PutObject", `${bucketRes}/velero/restores/shop-1/restore-shop-1-logs.gz`), role);
            assert.ok(allows(doc(role), "name/cos:GetBucket", `${bucketRes}/*`, "velero/backups/"), role);
        }
        assert.ok(allows(doc("target"), "name/cos:PutObject", `${bucketRes}/velero-eks/backups/b-1/b-1.tar.gz`));
        assert.ok(allows(doc("target"), "name/cos:GetBucket", `${bucketRes}/*`, "velero-eks/backups/"));
        assert.ok(!allows(doc("source"), "name/cos:PutObject", `${bucketRes}/velero-eks/backups/b-1/b-1.tar.gz`));
        assert.ok(!allows(doc("source"), "name/cos:GetBucket", `${bucketRes}/*`, "velero-eks/backups/"));
        assert.ok(!allows(doc("target"), "name/cos:GetBucket", `${bucketRes}/*`, "other/"));
    });

    it("gives each cluster its own user, attaches that user's policy, and one key per user", async () => {
        const d = await declare(storeProgram());
        for (const role of ["source", "target"]) {
            const user = d.one(T.user, `store-${role}-user`);
            const policy = d.one(T.policy, `store-${role}-policy`);
            const attachment = d.one(T.attachment, `store-${role}-policy-attachment`);
            const key = d.one(T.key, `store-${role}-key`);
            assert.equal(user.inputs.name, `velero-shop-backups-${role}`);
            assert.equal(user.inputs.consoleLogin, false);
            assert.equal(user.inputs.useApi, false);
            assert.equal(policy.inputs.name, `velero-shop-backups-${role}`);
            assert.equal(attachment.inputs.userName, `velero-shop-backups-${role}`);
            assert.deepEqual([...attachment.dependencies].sort(), [policy.urn, user.urn].sort());
            // The key waits for the policy, and belongs to this cluster's user only.
            assert.ok(key.dependencies.includes(attachment.urn) && key.dependencies.includes(user.urn), key.name);
            const other = d.one(T.user, `store-${role === "source" ? "target" : "source"}-user`);
            assert.ok(!key.dependencies.includes(other.urn), key.name);
            assert.deepEqual(d.registration(key.urn).additionalSecretOutputs, ["secretAccessKey"]);
            assert.deepEqual(d.registration(user.urn).additionalSecretOutputs, ["password", "secretId", "secretKey"]);
        }
    });

    it("uses an existing bucket without declaring it", async () => {
        const d = await declare(storeProgram({ createBucket: false }));
        assert.equal(d.ofType(T.bucket).length, 0);
        assert.equal(d.ofType(T.policy).length, 2);
    });

    it("hands each cluster its own key as secrets, made for its own user", async () => {
        let store: CosBackupStore | undefined;
        const uins: Record<string, number> = { "store-source-user": 100012345678, "store-target-user": 100087654321 };
        const d = await declare(
            () => {
                const provider = new tencentcloud.Provider("tc", { region: "ap-shanghai" });
                store = new CosBackupStore("store", { ...ARGS, provider });
            },
            {
                preview: false,
                outputs: ({ type, name }) => (type === T.key ? { accessKey: `AKID-${name}`, secretAccessKey: `key-of-${name}` } : type === T.user ? { uin: uins[name] } : {}),
            },
        );
        assert.ok(store);
        for (const [role, creds] of Object.entries(store.credentials)) {
            assert.equal(await pulumi.isSecret(creds.secretAccessKey), true, role);
            assert.equal(await pulumi.isSecret(creds.accessKeyId), true, role);
        }
        const unwrap = <T>(o: { apply<U>(f: (v: T) => U): unknown }) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));
        assert.equal(await unwrap<string>(store.credentials.source.secretAccessKey), "key-of-store-source-key");
        assert.equal(await unwrap<string>(store.credentials.target.accessKeyId), "AKID-store-target-key");
        assert.equal(d.one(T.key, "store-source-key").inputs.targetUin, uins["store-source-user"]);
        assert.equal(d.one(T.key, "store-target-key").inputs.targetUin, uins["store-target-user"]);
    });

    it("declares the same Tencent Cloud resources at every stage, so no stage re-creates a key", async () => {
        let first: string | undefined;
        for (const stage of STAGES) {
            const d = await declare(() => new Migration("migration", { config: devConfig([`tke2eks:stage=${stage}`, ...(stage === "cutover" ? ["tke2eks:cutover.firstRun=shop-0"] : [])]) }), { stack: "dev" });
            const tencent = d.resources.filter((r) => r.type.startsWith("tencentcloud:") || r.type === "pulumi:providers:tencentcloud");
            assert.equal(tencent.length, 10, stage);
            for (const r of tencent) assert.equal(d.registration(r.urn).packageRef, d.packages[0]?.ref, `${stage}: ${r.name}`);
            const shape = JSON.stringify(tencent.map((r) => [r.urn, r.inputs]));
            assert.doesNotMatch(shape, /AKID|key-of-/);
            first ??= shape;
            assert.equal(shape, first, stage);
        }
    });
});
