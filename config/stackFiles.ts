/**
 * Reads a stack's config the way the Pulumi CLI hands it to a program (every value a string,
 * maps and lists as JSON), from Pulumi.yaml and Pulumi.<stack>.yaml, with `--config`
 * overrides on top. Encrypted values cannot be read offline: they are an error that says
 * how to override them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseConfigValue } from "./configValue";
import { isRecord } from "../rules/objects";
import { UserError } from "../core/errors";
import { readTextFile } from "../core/textFile";

export interface StackConfig {
    project: string;
    stack: string;
    projectDir: string;
    /** The stack file that was read. */
    file: string;
    /** `<namespace>:<key>` → value, as the engine passes it. */
    config: Record<string, string>;
    /** Keys the stack file marks `secure:` (their values come from --config): never printed. */
    secretKeys: string[];
}

function readYaml(file: string): unknown {
    if (!fs.existsSync(file)) throw new UserError(`${file} not found`);
    const read = readTextFile(file);
    if ("unreadable" in read) throw new UserError(`${file} cannot be read: ${read.unreadable}`);
    try {
        return parse(read.text);
    } catch (err) {
        throw new UserError(`${file} is not valid YAML: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}`);
    }
}

/** A key without a namespace belongs to the project, as with `pulumi config set`. */
function fullKey(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Finds `secure:` values anywhere in a config value; returns the path of the first. */
function securePath(value: unknown, at: string): string | undefined {
    if (isRecord(value)) {
        if (Object.keys(value).length === 1 && typeof value.secure === "string") return at;
        for (const [k, v] of Object.entries(value)) {
            const found = securePath(v, `${at}.${k}`);
            if (found) return found;
        }
    } else if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) {
            const found = securePath(v, `${at}[${i}]`);
            if (found) return found;
        }
    }
    return undefined;
}

function asEngineString(value: unknown): string {
    return typeof value === "string" ? value : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * An override's value is a string, as with `pulumi config set`, except that true, false and
 * JSON maps or lists are read as such: chart values need real booleans (a string "false"
 * is true to Helm's templates).
 */
function overrideValue(raw: string): unknown {
    const t = raw.trim();
    return t === "true" || t === "false" ? t === "true" : parseConfigValue(raw);
}

/** Sets `ns:key.a.b` inside the structured config, making maps on the way. */
function setPath(config: Record<string, unknown>, key: string, value: unknown): void {
    const [head, ...rest] = key.split(".");
    if (rest.length === 0) {
        config[head] = value;
        return;
    }
    let cur: Record<string, unknown>;
    if (isRecord(config[head])) {
        cur = config[head] as Record<string, unknown>;
    } else {
        cur = {};
        config[head] = cur;
    }
    for (const seg of rest.slice(0, -1)) {
        if (!isRecord(cur[seg])) cur[seg] = {};
        cur = cur[seg] as Record<string, unknown>;
    }
    cur[rest[rest.length - 1]] = value;
}

/** Project-level config in Pulumi.yaml: `key: value` or `key: {default | value}`. */
function projectDefaults(project: Record<string, unknown>, name: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (!isRecord(project.config)) return out;
    for (const [k, v] of Object.entries(project.config)) {
        const value = isRecord(v) ? (v.value ?? v.default) : v;
        if (value !== undefined) out[fullKey(k, name)] = value;
    }
    return out;
}

export function readStackConfig(projectDir: string, stack: string, overrides: readonly string[] = []): StackConfig {
    const dir = path.resolve(projectDir);
    const projectFile = path.join(dir, "Pulumi.yaml");
    const project = readYaml(projectFile);
    if (!isRecord(project) || typeof project.name !== "string") throw new UserError(`${projectFile} has no project name`);
    const name = project.name;

    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UserError(`stack name "${stack}" may only contain letters, digits, '_', '.' and '-'`);
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const doc = readYaml(file);
    if (doc !== null && doc !== undefined && !isRecord(doc)) throw new UserError(`${file} must be a map with a config: section`);
    const section = isRecord(doc) ? doc.config : undefined;
    if (section !== undefined && section !== null && !isRecord(section)) throw new UserError(`${file}: config must be a map of key: value`);

    const structured: Record<string, unknown> = projectDefaults(project, name);
    for (const [k, v] of Object.entries(isRecord(section) ? section : {})) structured[fullKey(k, name)] = v;

    // Before the overrides: a value given with --config for a secure key is as secret as the stack's.
    const secretKeys = Object.keys(structured).filter((k) => securePath(structured[k], k) !== undefined);
    for (const o of overrides) {
        const eq = o.indexOf("=");
        if (eq <= 0) throw new UserError(`--config ${o}: expected KEY=VALUE, e.g. --config tke2eks:stage=restore`);
        setPath(structured, fullKey(o.slice(0, eq), name), overrideValue(o.slice(eq + 1)));
    }

    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(structured)) {
        const secure = securePath(v, k);
        if (secure) {
            throw new UserError(
                `${secure} in ${file} is encrypted; tke2eks plan runs offline and cannot decrypt it. Give a value for this run with --config ${secure}=...`,
            );
        }
        if (v === null || v === undefined) continue;
        config[k] = asEngineString(v);
    }
    return { project: name, stack, projectDir: dir, file, config, secretKeys };
}
