/** `tke2eks cutover`'s bad usage: one clear line naming the flag, the value and what is allowed, before any cluster is reached. */
import { strict as assert } from "node:assert";
import { runCutover, type CutoverCliOptions } from "../../cli/cutover";
import { captureIo } from "../support/captureIo";

const OK: CutoverCliOptions = { namespace: ["shop"], timeout: "60", interval: "1", format: "json", kubeconfig: "/no/such/kubeconfig" };

async function refusal(action: string, over: Partial<CutoverCliOptions>): Promise<string> {
    const io = captureIo({});
    try {
        await runCutover(action, { ...OK, ...over }, io);
    } catch (err) {
        return (err as Error).message;
    }
    return assert.fail(`cutover ${action} ran; expected a refusal (stderr: ${io.err()})`);
}

describe("tke2eks cutover: bad usage", () => {
    it("names what is wrong and what is allowed", async () => {
        assert.equal(await refusal("scale-up", {}), "cutover scale-up: use scale-down or scale-back");
        assert.equal(await refusal("scale-down", { namespace: [] }), "cutover scale-down: name the migrated namespaces with --namespace (repeatable)");
        assert.equal(await refusal("scale-back", { namespace: ["Shop"] }), `--namespace "Shop": must be a namespace name (lowercase letters, digits and '-')`);
        assert.equal(await refusal("scale-down", { format: "xml" }), "-o/--output \"xml\": use one of json, yaml, table");
        assert.match(await refusal("scale-down", { timeout: "soon" }), /^--timeout soon: must be a duration like 30s/);
        // All of the above before the kubeconfig is read: that comes last.
        assert.match(await refusal("scale-down", {}), /no\/such\/kubeconfig/);
    });
});
