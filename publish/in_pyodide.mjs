// Runs one function of a publish module in Pyodide under Node, so that bytecode
// comes from the same CPython build the page runs (publish/stdlib.py and
// publish/wheel.py use it; both are stdlib-only, like publish/bytecode.py).
//   node publish/in_pyodide.mjs '{"module": ..., "function": ..., "source": ..., "target": ..., "options": {...}}'
// The function is called as function(source_bytes, **options) and returns
// (bytes, names): the bytes are written to target, the names counted.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const job = JSON.parse(process.argv[2]);
const pyodide = await loadPyodide();
// This folder's Python files, as the package `publish` on the interpreter's path.
pyodide.FS.mkdirTree("/build/publish");
for (const name of readdirSync(new URL(".", import.meta.url)).filter((n) => n.endsWith(".py"))) {
  pyodide.FS.writeFile(`/build/publish/${name}`, readFileSync(new URL(name, import.meta.url)));
}
const run = pyodide.runPython(`
import importlib, sys
sys.path.insert(0, "/build")
def run(module, function, source, options):
    return getattr(importlib.import_module(module), function)(bytes(source), **options)
run`);
const source = new Uint8Array(readFileSync(job.source));
const [data, names] = run(job.module, job.function, source, pyodide.toPy(job.options)).toJs();
writeFileSync(job.target, data);
console.log(`${job.function}: ${names.length} module(s) compiled`);
