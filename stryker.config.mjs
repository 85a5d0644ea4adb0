// Mutation testing (`npm run mutation`, not part of `npm test`). One folder at a time:
// `npm run mutation -- --mutate 'rules/**/*.ts'`.
import * as path from "node:path";

// Stryker runs the specs in a copy of the tree under .stryker-tmp/, where test/support/reference.ts's
// default (../shared/reference beside the checkout) points nowhere; the runners inherit this variable.
process.env.TKE2EKS_REFERENCE ??= path.resolve(import.meta.dirname, "..", "shared", "reference");

export default {
  // Globs per folder so files moving inside a folder stay covered; the two wiring files name the
  // migration run's dependencies between stages.
  mutate: [
    "rules/**/*.ts",
    "!rules/*/*.spec.ts",
    "modifiers/**/*.ts",
    "preflight/**/*.ts",
    "components/migrationSteps.ts",
    "components/migrationRun.ts",
  ],
  testRunner: "mocha",
  // .mocharc.json's node-option (tsx as the loader, so a dynamic import() of a .ts module resolves) for Stryker's workers.
  testRunnerNodeArgs: ["--import", "tsx"],
  // The whole suite may kill a mutant; perTest coverage runs only the tests that reach it. Left out: the
  // specs that drive the built CLI (bin/tke2eks runs dist/, compiled from the unmutated source, so no
  // mutant is active there) with sub-second deadlines that a loaded machine misses.
  mochaOptions: {
    config: ".mocharc.json",
    // MUTATION_SPECS (comma-separated globs) narrows the specs for a quicker look at one folder.
    spec: process.env.MUTATION_SPECS?.split(",") ?? ["test/**/*.spec.ts", "rules/*/*.spec.ts"],
    ignore: ["test/cli/main.spec.ts", "test/cluster/gate.spec.ts", "test/cluster/verifyFaults.spec.ts"],
  },
  coverageAnalysis: "perTest",
  // A static mutant (a module-level constant: a rule's title, a lookup table, a regex) is only seen after
  // every spec is loaded again, and then every spec runs: about two minutes each here, ~1000 of them.
  // They are reported as Ignored; MUTATION_STATIC=1 runs them too.
  ignoreStatic: process.env.MUTATION_STATIC !== "1",
  // Mutants that do not type-check are counted as compile errors instead of being run.
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  // The machine's two cores are shared.
  concurrency: 2,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
