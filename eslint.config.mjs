// Lint: typescript-eslint's recommended rules, plus two checks that need the types, each run only
// where it can find something (the type-aware pass is most of eslint's CPU time):
// - Pulumi's rules catch Outputs interpolated into plain template strings: only code that
//   declares resources holds Outputs (components/, program/, plan/, index.ts);
// - no-floating-promises catches a promise nobody awaits (an unawaited assert.rejects is a test
//   that cannot fail): everywhere but the rule catalogue and the modifiers, which are
//   synchronous by design (a new async function there needs `parserOptions` here), except the
//   rules' own specs beside them (rules/<id>/*.spec.ts).
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

const typed = { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } };

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".stryker-tmp/", "reports/", "sdks/", "policy/node_modules/", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  { files: ["**/*.ts"], rules: { "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }] } },
  {
    files: ["**/*.ts"],
    ignores: ["rules/**", "modifiers/**", "!rules/*/*.spec.ts"],
    languageOptions: typed,
    rules: { "@typescript-eslint/no-floating-promises": "error" },
  },
  {
    files: ["components/**/*.ts", "program/**/*.ts", "plan/**/*.ts", "index.ts"],
    languageOptions: typed,
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
    },
  },
);
