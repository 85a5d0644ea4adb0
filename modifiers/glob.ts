/**
 * The glob syntax Velero matches group-resources (with `.` as separator) and namespaces with
 * (github.com/gobwas/glob): `*` any run of non-separators, `**` any run, `?` one
 * non-separator, `[abc]` / `[!a-z]` classes, `{a,b}` alternatives, `\` escapes.
 * Velero v1.18.2 (go.mod:24, gobwas/glob v0.2.3) compiles a resource modifier's groupResource
 * with `.` as separator (internal/resourcemodifiers/resource_modifiers.go:122) and its
 * namespaces, like a Backup's include/exclude lists, with none
 * (pkg/util/collections/includes_excludes.go:49; resource_modifiers.go:116).
 *
 * Hand-written on purpose: picomatch 4 is a path matcher and parts from gobwas on syntax
 * Velero users write (test/modifiers/globLibraries.spec.ts runs the cases): it has no
 * separator but `/` (so `*` stops at `/` where gobwas without separators goes on, and `.`
 * has to be mapped to `/`), `**` is a globstar only as a whole segment (gobwas: anywhere,
 * syntax/lexer/lexer.go:176-178, so `deploy**` matches `deployments.apps`), `*` matches
 * neither an empty string (gobwas: match/any.go:16-17; the policy pack's "*" for a resource
 * with no provider) nor, by default, a leading dot; it reads `[!a-c]` as the class of `!` and
 * a-c, not its negation (gobwas: syntax/lexer/lexer.go:19); a class never matches the
 * separator (gobwas: compiler/compiler.go:499-505 ignores separators in classes); and it reads
 * `{1..3}`, `!(a)`, `+(a)` and a leading `!` as ranges, extglobs and negation, all plain
 * text to gobwas (glob.go:13-36).
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
