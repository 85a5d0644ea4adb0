/**
 * Reads a Velero install in either shape the rules meet it: a Helm release as the policy
 * pack sees `kubernetes:helm.sh/v3:Release` (its inputs, `values` following chart 12.1.0),
 * or the live objects the chart or `velero install` renders (the `velero` Deployment and the
 * `node-agent` / `restic` DaemonSet). Every value comes with the JSON pointer it was read from.
 */
import { parse } from "yaml";
import { array, isRecord, kindOf, pointer, record, resolvePointer, str } from "./objects";
import { containers, podTemplate, type Container } from "./podTemplates";
import { defaultVeleroForChart } from "./veleroVersions";
import type { KubeObject } from "./types";

/** A value and the JSON pointer it sits at. */
export interface Located<T> {
    value: T;
    path: string;
}

/**
 * A Helm release of the Velero chart: `chart` is `velero`, ends in `/velero` (a repository
 * path or OCI reference) or is the chart's packaged file, `velero-<version>.tgz` as `helm
 * pull` names it (an air-gapped install).
 */
export function isVeleroRelease(obj: KubeObject): boolean {
    if (obj.apiVersion !== "helm.sh/v3" || kindOf(obj) !== "Release") return false;
    const chart = str(obj.chart)?.trim() ?? "";
    return chart === "velero" || chart.endsWith("/velero") || /(^|\/)velero-\d+\.\d+\.\d+[^/]*\.tgz$/.test(chart);
}

/** The release's chart values (`{}` when absent). */
export function releaseValues(obj: KubeObject): Record<string, unknown> {
    return record(obj.values);
}

/** The pointer of a value under the release's `values`. */
export function valuesPath(...segments: (string | number)[]): string {
    return pointer("values", ...segments);
}

/** The deepest existing pointer along `segments`, so a "missing" finding points at a real place. */
export function deepestExisting(obj: unknown, segments: (string | number)[]): string {
    let found = "";
    for (let i = 1; i <= segments.length; i++) {
        const p = pointer(...segments.slice(0, i));
        if (resolvePointer(obj, p) === undefined) break;
        found = p;
    }
    return found;
}

export interface ImageRef {
    /** Everything before the tag or digest, registry included. */
    repository: string;
    /** The last path segment of the repository, e.g. "velero-plugin-for-aws". */
    name: string;
    tag?: string;
}

/** Splits `registry:5000/velero/velero:v1.18.1@sha256:…` into its parts. */
export function parseImage(image: string): ImageRef {
    const noDigest = image.trim().split("@")[0];
    const slash = noDigest.lastIndexOf("/");
    const colon = noDigest.lastIndexOf(":");
    const hasTag = colon > slash;
    const repository = hasTag ? noDigest.slice(0, colon) : noDigest;
    const ref: ImageRef = { repository, name: repository.slice(repository.lastIndexOf("/") + 1) };
    if (hasTag && colon < noDigest.length - 1) ref.tag = noDigest.slice(colon + 1);
    return ref;
}

function runs(c: Container, word: string): boolean {
    return [...array(c.container.command), ...array(c.container.args)].some((a) => a === word);
}

function imageName(c: Container): string | undefined {
    const image = str(c.container.image);
    return image === undefined ? undefined : parseImage(image).name;
}

/** The `velero server` container of a Deployment, if it is Velero's. */
export function veleroServerContainer(obj: KubeObject): Container | undefined {
    if (kindOf(obj) !== "Deployment") return undefined;
    const tpl = podTemplate(obj);
    if (!tpl) return undefined;
    return containers(tpl).find((c) => c.list === "containers" && (imageName(c) === "velero" || c.name === "velero") && runs(c, "server"));
}

/** A DaemonSet that runs Velero's node agent (`node-agent server`, or `restic server` before 1.10). */
export function isVeleroNodeAgent(obj: KubeObject): boolean {
    if (kindOf(obj) !== "DaemonSet") return false;
    const tpl = podTemplate(obj);
    if (!tpl) return false;
    return containers(tpl).some(
        (c) => (imageName(c) === "velero" || c.name === "node-agent" || c.name === "restic") && (runs(c, "node-agent") || runs(c, "restic")),
    );
}

/** A plugin init container: its image and where it sits. */
export interface Plugin {
    /** "aws" for velero-plugin-for-aws, "csi" for velero-plugin-for-csi, else the image name. */
    kind: string;
    image: string;
    tag?: string;
    /** Pointer of the image field (or of the templated string holding it). */
    path: string;
}

const PLUGIN_KINDS: Record<string, string> = { "velero-plugin-for-aws": "aws", "velero-plugin-for-csi": "csi" };

function pluginOf(image: string, path: string): Plugin {
    const ref = parseImage(image);
    const plugin: Plugin = { kind: PLUGIN_KINDS[ref.name] ?? ref.name, image, path };
    if (ref.tag !== undefined) plugin.tag = ref.tag;
    return plugin;
}

/**
 * The chart's `initContainers` may be a string it renders as a template; a plain YAML list
 * in it is still readable, a real template is not (its plugins stay unknown).
 */
function releaseInitContainers(values: Record<string, unknown>): { items: unknown[]; path: (i: number) => string } {
    const raw = values.initContainers;
    if (typeof raw === "string") {
        let parsed: unknown;
        try {
            // logLevel "error": the yaml package would print its warnings (an unknown `%` directive)
            // as Node process warnings in the middle of a preview.
            parsed = raw.includes("{{") ? undefined : parse(raw, { logLevel: "error" });
        } catch {
            parsed = undefined;
        }
        return { items: array(parsed), path: () => valuesPath("initContainers") };
    }
    return { items: array(raw), path: (i) => valuesPath("initContainers", i, "image") };
}

export interface VeleroInstall {
    shape: "release" | "deployment";
    /** The Velero image tag as written (`image.tag`, or the server container's image tag). */
    imageTag?: Located<string>;
    /** Where the Velero version is decided: the tag, else `image`/`values` (release) or the image. */
    versionPath: string;
    /** The Velero version the install runs: the tag, else the chart's default; undefined if unknown. */
    version?: string;
    /** The chart version (releases only). */
    chartVersion?: Located<string>;
    /** Feature flags turned on (`configuration.features`, `--features=` arguments). */
    features: string[];
    /** Where the feature flags are (or the deepest existing place they would go). */
    featuresPath: string;
    plugins: Plugin[];
    /** Where the plugin init containers are (or the deepest existing place they would go). */
    pluginsPath: string;
    /** Arguments of `velero server`: the container's args, or the release's `configuration.extraArgs`. */
    serverArgs: Located<string>[];
}

function splitFeatures(v: string): string[] {
    return v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
}

/** The values of `--name=value` / `--name value` arguments. */
export function flagValues(args: Located<string>[], name: string): Located<string>[] {
    const out: Located<string>[] = [];
    args.forEach((a, i) => {
        if (a.value.startsWith(`${name}=`)) out.push({ value: a.value.slice(name.length + 1), path: a.path });
        else if (a.value === name && i + 1 < args.length) out.push({ value: args[i + 1].value, path: args[i + 1].path });
    });
    return out;
}

/** Whether a boolean flag (`--name`, `--name=true`) is on, and where. */
export function boolFlag(args: Located<string>[], name: string): Located<string> | undefined {
    return args.find((a) => a.value === name || a.value === `${name}=true`);
}

function located(list: unknown, basePath: string): Located<string>[] {
    const out: Located<string>[] = [];
    array(list).forEach((a, i) => {
        if (typeof a === "string") out.push({ value: a, path: `${basePath}/${i}` });
    });
    return out;
}

function fromRelease(obj: KubeObject): VeleroInstall {
    const values = releaseValues(obj);
    const configuration = record(values.configuration);
    const image = record(values.image);
    const serverArgs = located(configuration.extraArgs, valuesPath("configuration", "extraArgs"));

    const install: VeleroInstall = {
        shape: "release",
        versionPath: deepestExisting(obj, ["values", "image", "tag"]),
        features: [],
        featuresPath: deepestExisting(obj, ["values", "configuration", "features"]),
        plugins: [],
        pluginsPath: deepestExisting(obj, ["values", "initContainers"]),
        serverArgs,
    };
    const chartVersion = str(obj.version);
    if (chartVersion !== undefined && chartVersion.trim() !== "") install.chartVersion = { value: chartVersion, path: "/version" };
    const tag = str(image.tag);
    if (tag !== undefined && tag.trim() !== "") {
        install.imageTag = { value: tag, path: valuesPath("image", "tag") };
        install.version = tag;
    } else {
        const inferred = defaultVeleroForChart(chartVersion);
        if (inferred !== undefined) install.version = inferred;
    }
    if (typeof configuration.features === "string") install.features.push(...splitFeatures(configuration.features));
    for (const f of flagValues(serverArgs, "--features")) install.features.push(...splitFeatures(f.value));

    const init = releaseInitContainers(values);
    init.items.forEach((c, i) => {
        const img = str(record(c).image);
        if (img !== undefined) install.plugins.push(pluginOf(img, init.path(i)));
    });
    return install;
}

function fromDeployment(obj: KubeObject, server: Container): VeleroInstall {
    const imagePath = `${server.path}/image`;
    const image = str(server.container.image);
    const serverArgs = located(server.container.args, `${server.path}/args`);
    const featureArgs = flagValues(serverArgs, "--features");
    const tpl = podTemplate(obj);
    const initPath = tpl ? `${tpl.specPath}/initContainers` : "";
    const install: VeleroInstall = {
        shape: "deployment",
        versionPath: image === undefined ? server.path : imagePath,
        features: featureArgs.flatMap((f) => splitFeatures(f.value)),
        featuresPath: featureArgs[0]?.path ?? (Array.isArray(server.container.args) ? `${server.path}/args` : server.path),
        plugins: [],
        pluginsPath: resolvePointer(obj, initPath) !== undefined ? initPath : (tpl?.specPath ?? ""),
        serverArgs,
    };
    const tag = image === undefined ? undefined : parseImage(image).tag;
    if (tag !== undefined) {
        install.imageTag = { value: tag, path: imagePath };
        install.version = tag;
    }
    if (tpl) {
        for (const c of containers(tpl)) {
            const img = str(c.container.image);
            if (c.list === "initContainers" && img !== undefined) install.plugins.push(pluginOf(img, `${c.path}/image`));
        }
    }
    return install;
}

/** The Velero install an object describes: a Velero release or the `velero` server Deployment. */
export function readVeleroInstall(obj: KubeObject): VeleroInstall | undefined {
    if (isVeleroRelease(obj)) return fromRelease(obj);
    const server = veleroServerContainer(obj);
    return server ? fromDeployment(obj, server) : undefined;
}

/** Velero's `configuration.features` / `--features` names are case-sensitive. */
export function hasFeature(install: VeleroInstall, feature: string): boolean {
    return install.features.includes(feature);
}

/** How a chart template's `if` reads a value: Go templates treat any non-empty value as true. */
export function helmTruthy(v: unknown): boolean {
    if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
    if (Array.isArray(v)) return v.length > 0;
    if (isRecord(v)) return Object.keys(v).length > 0;
    return true;
}

/** A Velero config string read as the aws plugin reads it (Go's strconv.ParseBool). */
export function configTrue(v: unknown): boolean {
    return v === true || (typeof v === "string" && ["1", "t", "T", "TRUE", "true", "True"].includes(v));
}
