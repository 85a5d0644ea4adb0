/**
 * Which resources a policy judges: those sent to the serverless cluster (told by their
 * Kubernetes provider's name), minus the namespaces and names the user exempts.
 */
import type { PolicyProviderResource } from "@pulumi/policy";
import { roleProviderGlobs } from "../config/naming";
import { globToRegExp } from "../modifiers/glob";
import { groupOf, kindOf, record, str } from "../rules/objects";
import type { KubeObject } from "../rules";

/**
 * Providers named "target" or "serverless", or ending in "-target" / "-serverless", deploy to
 * the serverless cluster: the migration's provider names end in the role (config/naming.ts).
 * Suffixes, so that a stack called "target" does not make its source look like the target; and
 * not "eks", which the project's own name contains.
 */
export const DEFAULT_TARGET_PROVIDERS: readonly string[] = [...roleProviderGlobs("target"), "serverless", "*-serverless"];

/**
 * Velero's glob syntax (modifiers/glob.ts), as in a Backup's namespace lists, with no separator:
 * `*` any run of characters, `?` one, `[abc]`, `{a,b}`, `\` escapes. Throws on an unclosed `[` or `{`
 * (policy/config.ts checks the config's globs first).
 */
export function globMatcher(globs: readonly string[], ignoreCase = false): (s: string) => boolean {
    const res = globs.map((g) => globToRegExp(g, "", ignoreCase ? "i" : ""));
    return (s) => res.some((re) => re.test(s));
}

/**
 * A provider is the serverless target when its name matches one of the patterns (case
 * insensitive); a pattern starting with "urn:" is matched against the provider's URN instead.
 * A resource with no provider matches only "*".
 */
export function isTargetProvider(provider: Pick<PolicyProviderResource, "name" | "urn"> | undefined, patterns: readonly string[]): boolean {
    const byUrn = globMatcher(patterns.filter((p) => p.startsWith("urn:")));
    const byName = globMatcher(
        patterns.filter((p) => !p.startsWith("urn:")),
        true,
    );
    return provider ? byName(provider.name) || byUrn(provider.urn) : byName("");
}

/** Namespace and name of an object, read only when asked (they may be unknown during preview). */
export interface Identity {
    namespace(): string | undefined;
    name(): string | undefined;
}

/** A Helm release carries `namespace` and `name` as inputs, any other object in `metadata`. */
export function identityOf(obj: KubeObject): Identity {
    const isRelease = kindOf(obj) === "Release" && groupOf(str(obj.apiVersion) ?? "") === "helm.sh";
    const holder = () => (isRelease ? obj : record(obj.metadata));
    return {
        namespace: () => str(holder().namespace),
        name: () => str(holder().name),
    };
}

export interface Exemptions {
    /** Namespace globs. */
    excludeNamespaces: readonly string[];
    /** Name globs; one containing "/" matches "namespace/name". */
    excludeNames: readonly string[];
}

export function exemptionMatcher(ex: Exemptions): (obj: KubeObject) => boolean {
    const namespaces = globMatcher(ex.excludeNamespaces);
    const qualified = globMatcher(ex.excludeNames.filter((n) => n.includes("/")));
    const plain = globMatcher(ex.excludeNames.filter((n) => !n.includes("/")));
    return (obj) => {
        if (ex.excludeNamespaces.length === 0 && ex.excludeNames.length === 0) return false;
        const id = identityOf(obj);
        // A missing namespace is "default", where Kubernetes puts a namespaced object.
        const namespace = () => id.namespace() ?? "default";
        if (ex.excludeNamespaces.length > 0 && namespaces(namespace())) return true;
        if (ex.excludeNames.length === 0) return false;
        const name = id.name();
        return name !== undefined && (plain(name) || qualified(`${namespace()}/${name}`));
    };
}
