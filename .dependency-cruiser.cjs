/**
 * The layers, bottom first: a folder may import its own files and any folder below it, never one
 * above. `npm run lint` and `npm test` check the whole graph against this; `npm run docs` writes
 * the folder graph into CONTRIBUTING.md's layout section (reading the order from the `<layer>-points-down`
 * rules) and a test fails when the two drift.
 */
const LAYERS = ["core", "rules", "modifiers", "cluster", "s3", "preflight", "config", "restore", "policy", "components", "program", "plan", "sandbox", "cli", "scripts"];

const folder = (name) => `^${name}/`;
const SPEC = "\\.spec\\.ts$";

module.exports = {
    forbidden: [
        {
            name: "no-cycle",
            comment: "Modules import one another one way only.",
            severity: "error",
            from: {},
            to: { circular: true },
        },
        ...LAYERS.map((layer, i) => ({
            name: `${layer}-points-down`,
            comment: `${layer}/ may import only ${LAYERS.slice(0, i).join(", ") || "nothing"} of the project's folders.`,
            severity: "error",
            // A rule's specs sit in its folder (rules/<id>/*.spec.ts) and, being tests, may import any layer.
            from: { path: folder(layer), pathNot: SPEC },
            to: { path: `^(${[...LAYERS.slice(i + 1).map((l) => `${l}/`), "index\\.ts$"].join("|")})` },
        })),
        {
            name: "entry-only-starts-program",
            comment: "index.ts, Pulumi's entry, only starts the program.",
            severity: "error",
            from: { path: "^index\\.ts$" },
            to: { path: `^(${LAYERS.filter((l) => l !== "program" && l !== "core").join("|")})/` },
        },
        {
            name: "not-to-test",
            comment: "Shipped code never imports the tests.",
            severity: "error",
            from: { pathNot: ["^test/", SPEC] },
            to: { path: ["^test/", SPEC] },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "^(node_modules|dist|sdks)/" },
        tsConfig: { fileName: "tsconfig.json" },
        tsPreCompilationDeps: true,
    },
};
