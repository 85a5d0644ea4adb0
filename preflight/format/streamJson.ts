/**
 * `JSON.stringify(value, null, 2)` written piece by piece, with some arrays streamed from
 * iterables instead of held in memory: the value names each such array with `streamed(key)`,
 * and the output is byte for byte what stringifying the full value would give.
 */

const MARK = "\u0000streamed:";

/** A placeholder array for `value`, filled from `arrays.get(key)` when written. */
export function streamed(key: string): string[] {
    return [MARK + key];
}

export function* streamJson(value: unknown, arrays: ReadonlyMap<string, Iterable<unknown>>): Generator<string> {
    const text = JSON.stringify(value, null, 2);
    const placeholder = /\[\n( *)"\\u0000streamed:([^"]+)"\n *\]/g;
    let last = 0;
    for (const m of text.matchAll(placeholder)) {
        yield text.slice(last, m.index);
        const indent = m[1];
        let first = true;
        for (const item of arrays.get(m[2]) ?? []) {
            yield `${first ? "[\n" : ",\n"}${indent}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${indent}`)}`;
            first = false;
        }
        yield first ? "[]" : `\n${indent.slice(2)}]`;
        last = m.index + m[0].length;
    }
    yield text.slice(last);
}
