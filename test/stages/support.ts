/** What the stage tests share. */
import type { PlanResource } from "../../plan/model";
import type { Declared } from "../components/harness";

/** Every resource a resource waits for, directly or through others. */
export function closure(d: Declared, r: PlanResource): Set<string> {
    const seen = new Set<string>();
    const todo = [...r.dependencies];
    while (todo.length > 0) {
        const urn = todo.pop()!;
        if (seen.has(urn)) continue;
        seen.add(urn);
        todo.push(...d.registration(urn).dependencies);
    }
    return seen;
}
