/** `-o yaml`, apart from ./output so that a command printing no YAML never loads the parser. */
import { stringify } from "yaml";

/** The same document as `-o json` (given as its chunks), in YAML. */
export function yamlOf(json: Iterable<string>): string {
    return stringify(JSON.parse([...json].join("")));
}
