import { strict as assert } from "node:assert";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { JsonSplitter } from "../../preflight/jsonSplitter";
import { YamlSplitter, type TextPiece } from "../../preflight/yamlSplitter";

function split(splitter: YamlSplitter | JsonSplitter, text: string, cuts: number[] = []): TextPiece[] {
    const out: TextPiece[] = [];
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
        out.push(...splitter.push(text.slice(from, cut)));
        from = cut;
    }
    out.push(...splitter.push(text.slice(from)));
    return [...out, ...splitter.end()];
}

/** What `kubectl get -A -o yaml` writes: one List, items at column 0, keys sorted. */
const KUBECTL_LIST = `apiVersion: v1
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    template:
      spec:
        containers:
        - args:
          - |
            first line
            - not an item
          image: nginx
          name: web
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
  spec:
    type: NodePort
kind: List
metadata:
  resourceVersion: ""
`;

describe("preflight: YAML splitter", () => {
    it("cuts documents at --- and ... markers, keeping the line each starts on", () => {
        const text = "# leading comment\n---\na: 1\n---\nb: 2\n...\n---\n\n# only a comment\n---\nc: |\n  --x\n  ---y\n";
        const pieces = split(new YamlSplitter(), text);
        assert.deepEqual(
            pieces.map((p) => [parse(p.text), p.line]),
            [
                [{ a: 1 }, 1],
                [{ b: 2 }, 4],
                [{ c: "--x\n---y\n" }, 10],
            ],
        );
    });

    it("streams the items of a kubectl List one by one, dedented, with their lines", () => {
        const pieces = split(new YamlSplitter(), KUBECTL_LIST);
        const items = pieces.filter((p) => p.listItem);
        assert.equal(items.length, 2);
        assert.deepEqual(items.map((p) => p.line), [3, 18]);
        const [deploy, svc] = items.map((p) => parse(p.text) as Record<string, unknown>);
        assert.equal(deploy.kind, "Deployment");
        assert.deepEqual((deploy as { spec: { template: { spec: { containers: { args: string[] }[] } } } }).spec.template.spec.containers[0].args, ["first line\n- not an item\n"]);
        assert.equal(svc.kind, "Service");
        const envelope = pieces.filter((p) => !p.listItem);
        assert.equal(envelope.length, 1);
        assert.deepEqual(parse(envelope[0].text), { apiVersion: "v1", items: null, kind: "List", metadata: { resourceVersion: "" } });
    });

    it("streams indented item sequences too, and leaves a non-sequence items: alone", () => {
        const indented = stringify({ apiVersion: "v1", kind: "List", items: [{ kind: "Pod", metadata: { name: "a" } }, { kind: "Pod", metadata: { name: "b" } }] }, { indentSeq: true });
        const items = split(new YamlSplitter(), indented).filter((p) => p.listItem);
        assert.deepEqual(items.map((p) => (parse(p.text) as { metadata: { name: string } }).metadata.name), ["a", "b"]);
        const mapping = "kind: Thing\nitems:\n  a: 1\nother: 2\n";
        assert.deepEqual(split(new YamlSplitter(), mapping).map((p) => parse(p.text)), [{ kind: "Thing", items: { a: 1 }, other: 2 }]);
        const inline = "kind: List\nitems: []\n";
        assert.deepEqual(split(new YamlSplitter(), inline).map((p) => p.listItem), [false]);
    });

    it("dedents a List entry's lines alike, comments and blank lines of a block scalar too, and names where each piece's content starts", () => {
        const text = "# dump\n---\napiVersion: v1\nitems:\n- # first\n  kind: ConfigMap\n  data:\n    run.sh: |\n      set -e\n      # not a comment\n\n      exit 0\n-\tkind: Secret\nkind: List\n";
        const pieces = split(new YamlSplitter(), text);
        assert.deepEqual(
            pieces.map((p) => [p.listItem, p.line, p.start]),
            [
                [true, 5, 6],
                [true, 13, 13],
                [false, 1, 3],
            ],
        );
        assert.deepEqual(parse(pieces[0].text), { kind: "ConfigMap", data: { "run.sh": "set -e\n# not a comment\n\nexit 0\n" } });
        assert.deepEqual(parse(pieces[1].text), { kind: "Secret" });
        // An entry indented other than its first line: each line loses what whitespace it has, up to the entry's.
        const odd = split(new YamlSplitter(), "items:\n- kind: Pod\n \tmetadata: {name: a}\n").filter((p) => p.listItem);
        assert.deepEqual(parse(odd[0].text), { kind: "Pod", metadata: { name: "a" } });
    });

    it("handles CRLF, a BOM and a last line without newline", () => {
        const pieces = split(new YamlSplitter(), "\uFEFFa: 1\r\n---\r\nb: 2");
        assert.deepEqual(pieces.map((p) => parse(p.text)), [{ a: 1 }, { b: 2 }]);
    });

    it("gives the same pieces however the stream is chunked", () => {
        const text = `a: 1\n---\n${KUBECTL_LIST}---\nz: [1, 2]\n`;
        const whole = split(new YamlSplitter(), text);
        fc.assert(
            fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
                assert.deepEqual(split(new YamlSplitter(), text, cuts), whole);
            }),
        );
    });
});

describe("preflight: JSON splitter", () => {
    const list = JSON.stringify(
        {
            apiVersion: "v1",
            items: [
                { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { "a}": "{[\"items\"]}", b: "\\\"" } },
                { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "NodePort" } },
            ],
            kind: "List",
            metadata: { resourceVersion: "" },
        },
        null,
        4,
    );

    it("streams a List's items and keeps the List with an empty items array", () => {
        const pieces = split(new JsonSplitter(), list);
        const items = pieces.filter((p) => p.listItem).map((p) => JSON.parse(p.text) as { kind: string; data?: unknown });
        assert.deepEqual(items.map((i) => i.kind), ["ConfigMap", "Service"]);
        assert.deepEqual(items[0].data, { "a}": "{[\"items\"]}", b: "\\\"" });
        assert.deepEqual(pieces.filter((p) => p.listItem).map((p) => p.line), [4, 15]);
        const envelope = pieces.filter((p) => !p.listItem);
        assert.deepEqual(JSON.parse(envelope[0].text), { apiVersion: "v1", items: [], kind: "List", metadata: { resourceVersion: "" } });
    });

    it("cuts concatenated top-level values and leaves nested items arrays alone", () => {
        const text = '{"kind":"A","spec":{"items":[1,2]}}\n{"kind":"B"}\n[1]';
        const pieces = split(new JsonSplitter(), text);
        assert.deepEqual(pieces.map((p) => JSON.parse(p.text)), [{ kind: "A", spec: { items: [1, 2] } }, { kind: "B" }, [1]]);
        assert.deepEqual(pieces.map((p) => p.line), [1, 2, 3]);
    });

    it("hands an unfinished value over for JSON.parse to report", () => {
        const pieces = split(new JsonSplitter(), '{"kind": "A", "items": [{"a": 1}, {"b": ');
        assert.equal(pieces.length, 2);
        assert.throws(() => JSON.parse(pieces[1].text));
    });

    it("gives the same pieces however the stream is chunked", () => {
        const text = `${list}\n{"kind": "Pod", "items": "not a list"}`;
        const whole = split(new JsonSplitter(), text);
        fc.assert(
            fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
                assert.deepEqual(split(new JsonSplitter(), text, cuts), whole);
            }),
        );
    });

    it("splits any JSON List into items that parse back to the same objects", () => {
        fc.assert(
            fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 5 }), fc.integer({ min: 0, max: 4 }), (items, indent) => {
                const text = JSON.stringify({ kind: "List", items }, null, indent);
                const pieces = split(new JsonSplitter(), text);
                assert.deepEqual(pieces.filter((p) => p.listItem).map((p) => JSON.parse(p.text) as unknown), JSON.parse(JSON.stringify(items)));
            }),
        );
    });
});
