// Compiles the SDK into bin/ when npm installs it (as the generated local SDK does), and copies
// package.json there, where utilities.getVersion() reads it.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
try {
    execFileSync("tsc", ["--types", "node"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
} catch {
    console.error("@pulumi/tencentcloud: tsc failed in " + root);
    process.exit(1);
}
fs.copyFileSync(path.join(root, "package.json"), path.join(root, "bin", "package.json"));
