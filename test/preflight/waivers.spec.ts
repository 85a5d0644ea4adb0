import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadWaivers, parseWaivers, WaiverBook } from "../../preflight/waivers";
import { UserError } from "../../core/errors";

function rejects(text: string, pattern: RegExp): void {
    assert.throws(
        () => parseWaivers(text, "waivers.yaml"),
        (err: unknown) => err instanceof UserError && pattern.test(err.message) && !err.message.includes("\n"),
    );
}

describe("preflight: waivers", () => {
    it("an alias bomb is a bad waivers file (exit 2 naming it), not an internal error", () => {
        const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
        for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
        rejects(levels.join("\n"), /^waivers waivers\.yaml: cannot be read: .*alias/i);
    });

    it("reads a YAML or JSON list of {rule, namespace, name, reason, expires}", () => {
        const yaml = parseWaivers(
            `- rule: eks-fixed-ip
  namespace: shop
  name: web
  reason: clients use the Service name, not the IP
  expires: 2099-01-31
- rule: eks-image-registry
  reason: every registry checked by the platform team
  expires: "2099-06-30"
`,
            "w.yaml",
        );
        assert.deepEqual(yaml[0], { rule: "eks-fixed-ip", namespace: "shop", name: "web", reason: "clients use the Service name, not the IP", expires: "2099-01-31", entry: 1 });
        assert.deepEqual(yaml[1], { rule: "eks-image-registry", reason: "every registry checked by the platform team", expires: "2099-06-30", entry: 2 });
        const json = parseWaivers(JSON.stringify([{ rule: "eks-no-hostpath", namespace: "m", name: "x", reason: "r", expires: "2099-01-01" }]), "w.json");
        assert.equal(json[0].rule, "eks-no-hostpath");
        assert.deepEqual(parseWaivers("", "empty.yaml"), []);
    });

    it("refuses a bad entry with one error naming the file, the entry and the key", () => {
        const entry = (fields: string) => `- {rule: eks-fixed-ip, namespace: shop, name: web, reason: ok, expires: "2099-01-01", ${fields}}`;
        rejects("- {rule: eks-fixd-ip, name: web, reason: r, expires: 2099-01-01}", /^waivers waivers\.yaml: entry 1 \(eks-fixd-ip web\): rule: "eks-fixd-ip" is not a rule ID \(eks-no-daemonset, /);
        rejects(`${entry("owner: me")}`, /^waivers waivers\.yaml: entry 1 \(eks-fixed-ip shop\/web\): \(top level\): unknown key "owner"$/);
        rejects(`${entry("")}\n- {rule: eks-fixed-ip, name: api, reason: r, expires: 2099-02-30}`, /entry 2 \(eks-fixed-ip api\): expires: "2099-02-30" is not a date \(YYYY-MM-DD\)$/);
        rejects("- {rule: eks-fixed-ip, name: api, reason: r, expires: 31/12/2099}", /expires: "31\/12\/2099" is not a date/);
        rejects("- {rule: eks-fixed-ip, name: api, expires: 2099-01-01}", /entry 1 \(eks-fixed-ip api\): reason: required \(string\)$/);
        rejects("- {rule: eks-fixed-ip, name: api, reason: '  ', expires: 2099-01-01}", /reason: must say why/);
        rejects("- {rule: eks-fixed-ip, name: api, reason: r}", /expires: /);
        rejects("- {rule: eks-fixed-ip, name: '', reason: r, expires: 2099-01-01, extra: 1}", /^waivers waivers\.yaml: entry 1 \(eks-fixed-ip\): name: .*, \(top level\): unknown key "extra"$/);
        // Every bad entry at once, so one edit fixes the file.
        rejects(
            "- {rule: eks-fixd-ip, name: web, reason: r, expires: 2099-01-01}\n- {rule: eks-fixed-ip, name: ok, reason: r, expires: 2099-01-01}\n- {rule: eks-fixed-ip, name: api, reason: r, expires: 2099-13-01}",
            /^waivers waivers\.yaml: 2 bad entries: entry 1 \(eks-fixd-ip web\): rule: "eks-fixd-ip" is not a rule ID .*; entry 3 \(eks-fixed-ip api\): expires: "2099-13-01" is not a date \(YYYY-MM-DD\)$/,
        );
        rejects("rule: eks-fixed-ip", /must be a list of \{rule, namespace, name, reason, expires\}/);
        rejects("- [unclosed", /^waivers waivers\.yaml: malformed YAML\/JSON: /);
    });

    it("names the file when it cannot be read", () => {
        const missing = path.join(os.tmpdir(), "tke2eks-no-such-waivers.yaml");
        assert.throws(() => loadWaivers(missing), (err: unknown) => err instanceof UserError && err.message === `waivers ${missing}: no such file`);
    });

    it("matches exactly one finding's rule and object, valid through the expiry day", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tke2eks-waivers-"));
        const file = path.join(dir, "w.yaml");
        fs.writeFileSync(
            file,
            `- {rule: eks-fixed-ip, namespace: shop, name: web, reason: current, expires: "2026-03-10"}
- {rule: eks-fixed-ip, namespace: shop, name: orders, reason: old, expires: "2026-03-09"}
- {rule: eks-pod-quota, reason: quota raised to 500, expires: "2026-12-31"}
- {rule: eks-no-hostpath, namespace: shop, name: web, reason: stale, expires: "2026-12-31"}
`,
        );
        const book = new WaiverBook(loadWaivers(file), "2026-03-10");
        fs.rmSync(dir, { recursive: true, force: true });
        assert.deepEqual(book.match("eks-fixed-ip", "shop", "web"), { waiver: book.waivers[0], expired: false });
        assert.deepEqual(book.match("eks-fixed-ip", "shop", "orders"), { waiver: book.waivers[1], expired: true });
        assert.deepEqual(book.match("eks-pod-quota", undefined, undefined), { waiver: book.waivers[2], expired: false });
        assert.equal(book.match("eks-fixed-ip", "other", "web"), undefined);
        assert.equal(book.match("eks-fixed-ip", undefined, "web"), undefined);
        assert.equal(book.match("eks-host-network", "shop", "web"), undefined);
        assert.deepEqual(book.unused().map((w) => w.entry), [4]);
    });

    it("prefers a current waiver over an expired one for the same finding", () => {
        const book = new WaiverBook(
            parseWaivers(
                `- {rule: eks-fixed-ip, name: web, namespace: shop, reason: old, expires: "2020-01-01"}
- {rule: eks-fixed-ip, name: web, namespace: shop, reason: renewed, expires: "2099-01-01"}`,
                "w.yaml",
            ),
            "2026-01-01",
        );
        assert.equal(book.match("eks-fixed-ip", "shop", "web")?.waiver.reason, "renewed");
    });
});
