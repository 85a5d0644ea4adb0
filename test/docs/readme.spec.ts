import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { HEADERS, withTable, type Readme } from "../../scripts/rules-table";
import { RULE_IDS } from "../../rules";

const read = (readme: Readme) => fs.readFileSync(path.join(__dirname, "..", "..", readme), "utf8");
const README = read("README.md");

describe("README", () => {
    for (const readme of Object.keys(HEADERS) as Readme[]) {
        it(`${readme} has the rule table the catalogue generates (run \`npm run docs\` after changing a rule)`, () => {
            const text = read(readme);
            assert.equal(text, withTable(text, readme));
        });

        it(`${readme} documents every DESIGN rule ID`, () => {
            const text = read(readme);
            for (const id of RULE_IDS) assert.ok(text.includes(`| \`${id}\` |`), `${readme}: ${id}`);
        });
    }

    it("quick start is what CI runs", () => {
        const ci = fs.readFileSync(path.join(__dirname, "..", "..", ".ci", "run"), "utf8");
        for (const cmd of [". scripts/use-node.sh", "npm ci", "./bin/tke2eks plan --stack dev", "npm test"]) {
            assert.ok(README.includes(cmd), `README lacks ${cmd}`);
            assert.ok(ci.includes(cmd), `.ci/run lacks ${cmd}`);
        }
    });
});
