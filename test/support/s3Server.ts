/**
 * A real S3 server (s3rver) on 127.0.0.1 for the tests, holding objects in a temporary
 * folder, filled through the S3 API. It knows one key pair, S3RVER/S3RVER; any other key id
 * is refused with 403 InvalidAccessKeyId.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { s3Client } from "../../s3/client";

export const S3_KEY = Object.freeze({ accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });

export interface TestS3 {
    endpoint: string;
    put(bucket: string, objects: Record<string, Buffer | string>): Promise<void>;
    close(): Promise<void>;
}

export async function startS3(): Promise<TestS3> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-s3-"));
    const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const client = await s3Client({ endpoint, region: "us-east-1", forcePathStyle: true }, S3_KEY);
    const buckets = new Set<string>();
    return {
        endpoint,
        async put(bucket, objects) {
            if (!buckets.has(bucket)) {
                await client.send(new CreateBucketCommand({ Bucket: bucket }));
                buckets.add(bucket);
            }
            for (const [Key, Body] of Object.entries(objects)) await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
        },
        async close() {
            client.destroy();
            await server.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
