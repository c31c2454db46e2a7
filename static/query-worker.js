// The query worker: Python in a module worker, with its own Pyodide and pyodide-http, so a
// synchronous request blocks only this worker and can time out (veritone_auth.browser.worker).
// A module worker needs no 'unsafe-eval' (a PyScript worker does), and no SharedArrayBuffer:
// the page posts {id, apiUrl, token, query, timeout} and gets {id, result} back, a JSON
// string made by veritone_auth.browser.in_worker.query. The token lives only for its call.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";
import { install } from "./runtime.js";

// Pyodide's wasm and standard library as the page had them, brotli (runtime.js): from the HTTP
// cache, not downloaded again as the plain files (4.86 MB before, 0.15 MB now: docs/performance.md).
install();

// The wheels it unpacks; tests/publish/test_site.py keeps the names in step with the vendored ones.
const WHEELS = ["pyodide_http-0.2.2-py3-none-any.whl", "veritone_auth-0.2.0-py3-none-any.whl"];
const here = new URL(".", import.meta.url);

async function start() {
  const pyodide = await loadPyodide({ indexURL: new URL("vendor/pyodide/", here).href });
  for (const wheel of WHEELS) {
    const response = await fetch(new URL("vendor/wheels/" + wheel, here));
    if (!response.ok) throw new Error(`${wheel}: HTTP ${response.status}`);
    pyodide.unpackArchive(await response.arrayBuffer(), "wheel");
  }
  return pyodide.runPython("from veritone_auth.browser.in_worker import query\nquery");
}
const ready = start();

onmessage = async (event) => {
  const { id, apiUrl, token, query, timeout } = event.data;
  let result;
  try {
    const run = await ready;
    result = run(apiUrl, token, query, timeout);
  } catch (error) {
    // Never the message itself: it could quote the request.
    result = JSON.stringify({ ok: false, error: "api_error", description: `the worker failed (${error.name})` });
  }
  postMessage({ id, result });
};
