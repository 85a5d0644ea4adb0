import { strict as assert } from "node:assert";
import { PassThrough } from "node:stream";
import { progress } from "../../preflight/progress";

function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
    const stream = Object.assign(new PassThrough(), { isTTY, columns: 120 });
    const chunks: string[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c.toString()));
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join("") };
}

describe("preflight: progress", () => {
    it("shows objects scanned, rate and place on a terminal", async () => {
        const t = terminal(true);
        const bar = await progress(t.stream, true);
        bar.tick(100, { file: "dump.yaml", line: 1 }); // not a multiple of 256: no clock read, no draw
        bar.tick(256, { file: "dump.yaml", line: 9000 });
        await new Promise((resolve) => setTimeout(resolve, 250));
        bar.tick(512, { file: "dump.yaml", line: 18000 });
        bar.stop();
        assert.match(t.text(), /scanning: 256 objects · \d+ objects\/s · dump\.yaml:9000/);
        assert.match(t.text(), /scanning: 512 objects/);
        assert.doesNotMatch(t.text(), /scanning: 100 objects/);
    });

    it("stays quiet when stderr is not a terminal, or with --no-progress", async () => {
        for (const [isTTY, enabled] of [[false, true], [true, false]]) {
            const t = terminal(isTTY);
            const bar = await progress(t.stream, enabled);
            bar.tick(256, { file: "x", line: 1 });
            bar.stop();
            assert.equal(t.text(), "");
        }
    });
});
