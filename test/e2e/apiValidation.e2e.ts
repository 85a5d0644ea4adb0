/**
 * The API validation model (restore/apiValidation.ts) against a real kube-apiserver: every
 * case the unit spec holds the model to (test/restore/apiValidationCases.ts) is sent to
 * cluster B as a server-side dry run, and the model must refuse what the server refuses
 * (422 Invalid) and accept what it accepts (201), naming the fields the server names.
 */
import { strict as assert } from "node:assert";
import { apiValidation } from "../../restore/apiValidation";
import { array, record } from "../../rules/objects";
import type { KubeObject } from "../../rules/types";
import { FIELD_CASES, SERVICE_CASES, type ValidationCase } from "../restore/apiValidationCases";
import { Sandbox, startSandbox, stopSandbox } from "./support";

/** The sandbox's kube-apiserver runs with the default --service-node-port-range. */
const NODE_PORTS = { min: 30000, max: 32767 };
/**
 * Kubernetes' unit cases use nodePorts 1 and 12345, which validation alone accepts but the
 * real server's allocator refuses (outside the range): the same case in range is a different
 * number. The map keeps equal ports equal and different ones different, which is all the
 * validation looks at (duplicates by protocol and number).
 */
const IN_RANGE = new Map([
    [1, 30001],
    [12345, 32345],
]);

function inRange(c: ValidationCase): KubeObject {
    if (c.resource !== "services") return c.object;
    const spec = record(c.object.spec);
    const ports = array(spec.ports).map((raw) => {
        const p = record(raw);
        if (typeof p.nodePort !== "number" || (p.nodePort >= NODE_PORTS.min && p.nodePort <= NODE_PORTS.max)) return p;
        const mapped = IN_RANGE.get(p.nodePort);
        if (mapped === undefined) throw new Error(`case "${c.name}": nodePort ${p.nodePort} has no in-range stand-in; add one to IN_RANGE`);
        return { ...p, nodePort: mapped };
    });
    return { ...c.object, spec: { ...spec, ports } };
}

interface Status {
    reason?: string;
    message?: string;
    details?: { causes?: { field?: string; message?: string }[] };
}

describe("e2e: the API validation model against a real kube-apiserver's dry runs", function () {
    this.timeout(10 * 60_000);
    let sandbox: Sandbox;

    before("sandbox up", async () => {
        sandbox = await startSandbox();
    });

    after("sandbox down", async () => {
        await stopSandbox(sandbox);
    });

    for (const c of [...SERVICE_CASES, ...FIELD_CASES]) {
        it(`${c.resource}: ${c.name}`, async () => {
            const object = inRange(c);
            const namespace = String(record(object.metadata).namespace);
            const ours = apiValidation(c.resource, object);
            const answer = await sandbox.dryRunCreate("b", `/api/v1/namespaces/${namespace}/${c.resource}`, object);
            const status = answer.body as Status;
            assert.ok(answer.status === 201 || (answer.status === 422 && status.reason === "Invalid"), `the server neither accepted nor refused as invalid: ${answer.status} ${JSON.stringify(answer.body)}`);
            const refused = answer.status === 422;
            const serverFields = (status.details?.causes ?? []).map((k) => k.field ?? "").sort();
            assert.equal(
                ours.length > 0,
                refused,
                `the model ${ours.length > 0 ? `refuses (${JSON.stringify(ours)})` : "accepts"}, the server ${refused ? `refuses: ${status.message}` : "accepts"}`,
            );
            assert.deepEqual(ours.map((e) => e.field).sort(), serverFields, `the fields the server names: ${status.message}`);
        });
    }
});
