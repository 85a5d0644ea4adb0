import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LAYERS_DOC, layerGraph, withLayers, type LayerGraph } from "../../scripts/layers-graph";

const ROOT = path.join(__dirname, "..", "..");

describe("layers (dependency-cruiser over the shipped code)", function () {
    this.timeout(60_000);
    let graph: LayerGraph;
    before(() => {
        graph = layerGraph(ROOT);
    });

    it("has no import that points up or closes a cycle", () => {
        assert.deepEqual(graph.violations, []);
    });

    it("every layer imports only layers below it", () => {
        for (const [i, layer] of graph.layers.entries()) {
            const above = [...(graph.imports.get(layer) ?? [])].filter((to) => graph.layers.indexOf(to) > i);
            assert.deepEqual(above, [], `${layer}/ imports ${above.join(", ")}`);
        }
    });

    it(`${LAYERS_DOC}'s layer graph is the code's (run \`npm run docs\` after moving an import)`, () => {
        const doc = fs.readFileSync(path.join(ROOT, LAYERS_DOC), "utf8");
        assert.equal(doc, withLayers(doc, graph));
    });

    it("the check catches an upward import and a cycle (a scratch project with the same config)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-layers-"));
        try {
            const write = (file: string, text: string) => {
                fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
                fs.writeFileSync(path.join(dir, file), text);
            };
            fs.copyFileSync(path.join(ROOT, ".dependency-cruiser.cjs"), path.join(dir, ".dependency-cruiser.cjs"));
            fs.copyFileSync(path.join(ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
            fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
            write("index.ts", 'import "./cli/main";\n');
            write("cli/main.ts", 'import { a } from "../rules/a";\nexport const main = a;\n');
            // The catalogue reaching for a component, and two components importing each other.
            write("rules/a.ts", 'import { c } from "../components/c";\nexport const a = c;\n');
            write("components/c.ts", 'import { d } from "./d";\nexport const c = 1;\nexport const e = d;\n');
            write("components/d.ts", 'import { e } from "./c";\nexport const d = 2;\nexport const f = e;\n');
            const found = layerGraph(dir);
            assert.ok(found.violations.includes("rules/a.ts → components/c.ts (rules-points-down)"), found.violations.join("\n"));
            assert.ok(found.violations.some((v) => v.endsWith("(no-cycle)") && v.startsWith("components/")), found.violations.join("\n"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
