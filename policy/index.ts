/**
 * The CrossGuard policy pack. Constructing a PolicyPack starts the analyzer's gRPC server, so
 * this file does nothing else and nothing imports it: plan and tests use ./policies.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME } from "./pack";
import { policies } from "./policies";

new PolicyPack(PACK_NAME, { policies });
