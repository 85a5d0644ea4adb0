/**
 * eks-image-registry: (stack) The registries each serverless cluster pulls from, to check against containerd 1.4.3 (advisory).
 */
import { rulePolicy } from "../rulePolicy";

export const eksImageRegistry = rulePolicy("eks-image-registry", { aggregate: "target" });
