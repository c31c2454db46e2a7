// Runs publish/stdlib.py's precompile() in Pyodide under Node, so the
// bytecode comes from the same CPython build the page runs.
//   node publish/stdlib.mjs '{"source": ..., "target": ..., "roots": [...], "comment": ...}'
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const job = JSON.parse(process.argv[2]);
const pyodide = await loadPyodide();
const source = fileURLToPath(new URL("./stdlib.py", import.meta.url));
// Loaded as a plain module namespace: its main() does not run here.
const namespace = pyodide.toPy({ __name__: "publish.stdlib", __file__: source });
pyodide.runPython(readFileSync(source, "utf8"), { globals: namespace });
namespace.set("job", pyodide.toPy({ ...job, source: new Uint8Array(readFileSync(job.source)) }));
const [zip, names] = pyodide
  .runPython("precompile(bytes(job['source']), job['roots'], job['comment'])", { globals: namespace })
  .toJs();
writeFileSync(job.target, zip);
console.log(`precompiled ${names.length} standard-library modules`);
