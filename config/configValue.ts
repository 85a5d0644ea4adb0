/** A config value as the Pulumi engine passes it to a program: a string, with maps and lists as JSON text. */
export function parseConfigValue(raw: string): unknown {
    const t = raw.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
        try {
            return JSON.parse(t);
        } catch {
            return raw;
        }
    }
    return raw;
}
