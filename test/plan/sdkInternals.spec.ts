/**
 * The Pulumi SDK internals tke2eks leans on, each reached in one place: checked against the
 * installed SDK, so that an upgrade that renames, drops or changes one fails here, by name,
 * rather than somewhere downstream (or not at all: a lost isConfigSecret would print secrets).
 */
import { strict as assert } from "node:assert";
import * as proxyModule from "@pulumi/policy/proxy";
import * as pulumi from "@pulumi/pulumi";
import { unknownCheckingProxy, UnknownValueError } from "../../policy/sdkProxy";
import { runOffline } from "../../plan/offline";

describe("Pulumi SDK internals", () => {
    it("runtime.isConfigSecret (@internal in @pulumi/pulumi runtime/config.ts) tells the secret keys setAllConfig was given", () => {
        const runtime = pulumi.runtime as { isConfigSecret?: unknown };
        assert.equal(typeof runtime.isConfigSecret, "function", "program/index.ts reads secret keys through it");
        pulumi.runtime.setAllConfig({ "tke2eks:plain": "a", "tke2eks:hidden": "b" }, ["tke2eks:hidden"]);
        const isSecret = runtime.isConfigSecret as (key: string) => unknown;
        assert.equal(isSecret("tke2eks:hidden"), true);
        assert.equal(isSecret("tke2eks:plain"), false);
    });

    it("@pulumi/policy/proxy's unknownCheckingProxy throws its UnknownValueError, with the path, on an unknown value", () => {
        // The policy server's sentinel for a value not known until deploy (@pulumi/policy proxy.ts).
        const { unknownStringValue } = proxyModule as unknown as { unknownStringValue: unknown };
        const props = unknownCheckingProxy({ spec: { clusterIP: unknownStringValue, type: "ClusterIP" } });
        assert.equal(props.spec.type, "ClusterIP");
        assert.throws(
            () => props.spec.clusterIP,
            (e: unknown) => e instanceof UnknownValueError && (e as InstanceType<typeof UnknownValueError>).props.join(".") === "spec.clusterIP",
        );
    });

    it("the mock monitor's registerResource, registerPackage and registerResourceOutputs are wrapped and still record what a program declares", async () => {
        const run = await runOffline({
            project: "sdk-internals",
            stack: "dev",
            config: {},
            program: () => {
                class Parent extends pulumi.ComponentResource {
                    constructor() {
                        super("tke2eks:test:Parent", "p");
                        new ConfigMap("cm", { data: { a: "1" } }, { parent: this, protect: true });
                        this.registerOutputs({ done: true });
                    }
                }
                class ConfigMap extends pulumi.CustomResource {
                    constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
                        super("kubernetes:core/v1:ConfigMap", name, props, opts);
                    }
                }
                new Parent();
                return { done: true };
            },
        });
        const cm = run.registrations.find((r) => r.name === "cm");
        assert.ok(cm, JSON.stringify(run.registrations));
        assert.equal(cm.type, "kubernetes:core/v1:ConfigMap");
        assert.equal(cm.custom, true);
        assert.equal(cm.protect, true);
        assert.deepEqual(cm.inputs, { data: { a: "1" } });
        assert.equal(cm.urn, "urn:pulumi:dev::sdk-internals::tke2eks:test:Parent$kubernetes:core/v1:ConfigMap::cm");
        const parent = run.registrations.find((r) => r.name === "p");
        assert.ok(parent);
        assert.equal(cm.parent, parent.urn);
        assert.deepEqual(run.outputs, { done: true }, "the stack's outputs, through registerResourceOutputs");
    });
});
