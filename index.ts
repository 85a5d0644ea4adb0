// The migration for the selected stack; everything lives in components/ and program/.
import { migrationProgram } from "./program";

export = migrationProgram(process.cwd());
