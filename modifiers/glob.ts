/**
 * The glob syntax Velero matches group-resources (with `.` as separator) and namespaces with
 * (github.com/gobwas/glob): `*` any run of non-separators, `**` any run, `?` one
 * non-separator, `[abc]` / `[!a-z]` classes, `{a,b}` alternatives, `\` escapes.
 */

function escapeRegExp(s: string): string {
    return s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/** Compiles a glob; throws on an unclosed `[` or `{`. `flags`: RegExp flags, e.g. "i". */
export function globToRegExp(pattern: string, separators = "", flags = ""): RegExp {
    const notSep = separators ? `[^${escapeRegExp(separators)}]` : "[\\s\\S]";
    let i = 0;
    const parse = (inBraces: boolean): string => {
        let out = "";
        while (i < pattern.length) {
            const c = pattern[i];
            if (inBraces && (c === "," || c === "}")) return out;
            i++;
            if (c === "\\") {
                if (i >= pattern.length) throw new Error(`glob "${pattern}" ends with an escape`);
                out += escapeRegExp(pattern[i++]);
            } else if (c === "*") {
                if (pattern[i] === "*") {
                    i++;
                    out += "[\\s\\S]*";
                } else {
                    out += `${notSep}*`;
                }
            } else if (c === "?") {
                out += notSep;
            } else if (c === "[") {
                const close = pattern.indexOf("]", i);
                if (close < 0) throw new Error(`glob "${pattern}" has an unclosed "["`);
                let body = pattern.slice(i, close);
                i = close + 1;
                const negate = body.startsWith("!");
                if (negate) body = body.slice(1);
                out += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
            } else if (c === "{") {
                const alternatives: string[] = [];
                for (;;) {
                    alternatives.push(parse(true));
                    if (i >= pattern.length) throw new Error(`glob "${pattern}" has an unclosed "{"`);
                    if (pattern[i++] === "}") break;
                }
                out += `(?:${alternatives.join("|")})`;
            } else {
                out += escapeRegExp(c);
            }
        }
        return out;
    };
    return new RegExp(`^${parse(false)}$`, flags);
}
