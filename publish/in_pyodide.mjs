// Runs one function of a stdlib-only Python file in Pyodide under Node, so that
// bytecode comes from the same CPython build the page runs (publish/stdlib.py and
// publish/wheel.py use it).
//   node publish/in_pyodide.mjs '{"script": ..., "function": ..., "source": ..., "target": ..., "options": {...}}'
// The function is called as function(source_bytes, **options) and returns
// (bytes, names): the bytes are written to target, the names counted.
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const job = JSON.parse(process.argv[2]);
const pyodide = await loadPyodide();
// Loaded as a plain module namespace: its main() does not run here.
const namespace = pyodide.toPy({ __name__: "in_pyodide", __file__: job.script });
pyodide.runPython(readFileSync(job.script, "utf8"), { globals: namespace });
namespace.set("source", new Uint8Array(readFileSync(job.source)));
namespace.set("options", pyodide.toPy(job.options));
const [data, names] = pyodide
  .runPython(`${job.function}(bytes(source), **options)`, { globals: namespace })
  .toJs();
writeFileSync(job.target, data);
console.log(`${job.function}: ${names.length} module(s) compiled`);
