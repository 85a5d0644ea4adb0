/** The rules' automatic fixes as Velero restore resource modifiers: build, validate, replay. */
export * from "./veleroFormat";
export * from "./jsonPatch";
export * from "./groupResources";
export * from "./build";
export * from "./validate";
export * from "./replay";
export * from "./fixEdits";
export * from "./mergePatch";
export * from "./mergeKeys";
export * from "./veleroLines";
export * from "./userRules";
export * from "./trace";
