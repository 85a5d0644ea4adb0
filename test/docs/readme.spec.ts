import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { withTable } from "../../scripts/rules-table";
import { RULE_IDS } from "../../rules";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

describe("README", () => {
    it("has the rule table the catalogue generates (run `npm run docs` after changing a rule)", () => {
        assert.equal(README, withTable(README));
    });

    it("documents every DESIGN rule ID", () => {
        for (const id of RULE_IDS) assert.ok(README.includes(`| \`${id}\` |`), id);
    });

    it("quick start is what CI runs", () => {
        const ci = fs.readFileSync(path.join(__dirname, "..", "..", ".ci", "run"), "utf8");
        for (const cmd of [". scripts/use-node.sh", "npm ci", "./bin/tke2eks plan --stack dev", "npm test"]) {
            assert.ok(README.includes(cmd), `README lacks ${cmd}`);
            assert.ok(ci.includes(cmd), `.ci/run lacks ${cmd}`);
        }
    });
});
