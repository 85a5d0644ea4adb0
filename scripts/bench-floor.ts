/**
 * The benchmarks' floors, each a whole process doing the input work of a command and nothing else:
 * - `parse FILE...`: read each file and parse it with the parser preflight uses (JSON.parse for
 *   .json, js-yaml's loadAll with the core schema for the rest), objects discarded;
 * - `backup FILE.tar.gz`: gunzip, untar (tar-stream, as the backup reader) and JSON.parse every
 *   .json entry, objects discarded;
 * - `require LIST`: load the files listed in LIST, one a line (the SDK files `tke2eks plan` loads).
 */
import * as fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { CORE_SCHEMA, loadAll } from "js-yaml";
import { extract } from "tar-stream";

async function backup(file: string): Promise<number> {
    let objects = 0;
    const tar = extract();
    const done = pipeline(fs.createReadStream(file), createGunzip(), tar);
    for await (const entry of tar) {
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        if (entry.header.name.endsWith(".json")) {
            JSON.parse(Buffer.concat(chunks).toString("utf8"));
            objects++;
        }
    }
    await done;
    return objects;
}

function parse(files: string[]): number {
    let docs = 0;
    for (const file of files) {
        const text = fs.readFileSync(file, "utf8");
        if (file.endsWith(".json")) {
            JSON.parse(text);
            docs++;
        } else loadAll(text, () => docs++, { schema: CORE_SCHEMA });
    }
    return docs;
}

async function main(mode: string | undefined, args: string[]): Promise<void> {
    switch (mode) {
        case "parse":
            parse(args);
            return;
        case "backup":
            await backup(args[0]);
            return;
        case "require":
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            for (const m of fs.readFileSync(args[0], "utf8").split("\n").filter(Boolean)) require(m);
            return;
        default:
            throw new Error(`bench-floor: ${mode ?? "(none)"}: use parse FILE..., backup FILE.tar.gz or require LIST`);
    }
}

main(process.argv[2], process.argv.slice(3)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
