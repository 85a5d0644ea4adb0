/**
 * Minimal typed binding of Tencent Cloud's Pulumi provider: the module layout
 * (`cos`, `cam`, `Provider`) matches the generated SDK, so swapping it in changes no code.
 */
export * as cos from "./cos";
export * as cam from "./cam";
export { Provider, type ProviderArgs } from "./provider";
export { PLUGIN_VERSION, PLUGIN_DOWNLOAD_URL } from "./utilities";
