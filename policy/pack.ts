/** The pack's name and version as the engine reports them ("tke2eks@v0.1.0"); policy/package.json carries the same version. */
export const PACK_NAME = "tke2eks";
export const PACK_VERSION = "0.1.0";
