/**
 * `-o yaml`: the parser loads only when YAML is asked for, so the commands that import this
 * (await, verify, cutover, preflight, restore-preview) pay nothing for it on their other formats.
 */

/** The same document as `-o json` (given as its chunks), in YAML. */
export async function yamlOf(json: Iterable<string>): Promise<string> {
    const { stringify } = await import("yaml");
    return stringify(JSON.parse([...json].join("")));
}
