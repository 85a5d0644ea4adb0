/**
 * The API validation model against Kubernetes' own test cases (TestValidateServiceCreate) and
 * the fields the restore fixes touch and the nodePort allocation before them: each case of test/restore/apiValidationCases.ts (the
 * table test/e2e/apiValidation.e2e.ts also sends to a real API server) by its expected errors.
 */
import { strict as assert } from "node:assert";
import { apiValidation, validateService, type FieldError } from "../../restore/apiValidation";
import { FIELD_CASES, SERVICE_CASES, type ValidationCase } from "./apiValidationCases";

function check(c: ValidationCase, model: (c: ValidationCase) => FieldError[]): void {
    const errs = model(c);
    if (c.errors) assert.deepEqual(errs, c.errors);
    if (c.fields) assert.deepEqual(errs.map((e) => e.field).sort(), c.fields);
    assert.equal(errs.length, c.numErrs, JSON.stringify(errs));
}

describe("API validation of Services (Kubernetes' TestValidateServiceCreate cases)", () => {
    for (const c of SERVICE_CASES) it(`${c.name}: ${c.numErrs} error${c.numErrs === 1 ? "" : "s"}`, () => check(c, (k) => validateService(k.object)));
});

describe("API validation of the fields the restore fixes touch (validation.go)", () => {
    for (const c of FIELD_CASES) it(`${c.name}: ${c.fields?.join(", ") || "accepted"}`, () => check(c, (k) => apiValidation(k.resource, k.object)));
});
