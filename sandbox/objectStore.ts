/**
 * The rehearsal's S3 server: s3rver on 127.0.0.1, path-style, one bucket both clusters' Velero
 * use. s3rver accepts one key pair, so the sandbox's credentials file holds that pair.
 */
import * as fs from "node:fs";
import S3rver from "s3rver";

/** The only key pair s3rver accepts (s3rver's lib/s3rver.js, `S3RVER` / `S3RVER`). */
export const SANDBOX_KEY = Object.freeze({ accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });
/** s3rver serves one region; Velero's aws plugin needs one named. */
export const SANDBOX_REGION = "us-east-1";

export interface ObjectStore {
    endpoint: string;
    bucket: string;
    close(): Promise<void>;
}

export async function startObjectStore(dir: string, bucket: string, port = 0): Promise<ObjectStore> {
    fs.mkdirSync(dir, { recursive: true });
    const server = new S3rver({ address: "127.0.0.1", port, silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
    const address = await server.run();
    return { endpoint: `http://127.0.0.1:${address.port}`, bucket, close: () => server.close() };
}
