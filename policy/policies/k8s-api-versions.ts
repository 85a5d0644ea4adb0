/**
 * k8s-api-versions: objects bound for the serverless cluster in an API version its Kubernetes
 * version (the `targetMinor` config key) no longer serves; every kind of the removals table.
 */
import { API_TABLE, groupAndVersion } from "../../rules/apiVersions";
import type { KindRef } from "../resourceTypes";
import { rulePolicy } from "../rulePolicy";

const KINDS: KindRef[] = [...new Map(API_TABLE.flatMap((r) => r.kinds.map((kind) => ({ group: groupAndVersion(r.apiVersion)[0], kind }))).map((k) => [`${k.group}/${k.kind}`, k])).values()];

export const k8sApiVersions = rulePolicy("k8s-api-versions", { onTarget: KINDS, thresholds: ["targetMinor"] });
