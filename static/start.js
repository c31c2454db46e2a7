// Starts PyScript, unless boot.js says to wait: a sign-in popup first gives its
// response to the tab that opened it, which closes it (see boot.js).
import { install } from "./runtime.js";

// Python runs on the page's own stack, never on a WebAssembly stack-switching (JSPI)
// stack. Pyodide switches stacks only where WebAssembly.Suspending exists, and this page
// needs nothing that gives (pyodide.ffi.run_sync). Chromium's sampling heap profiler,
// which Chrome turns on in a share of renderers, walks the native stack up to the
// thread's own stack end, so from a JSPI stack it reads past that stack's top and the
// tab crashes (Chromium 156; docs/engines.md, tests/e2e/test_renderer_crash.py).
delete WebAssembly.Suspending;
delete WebAssembly.Suspender; // JSPI's older, pre-standard API

if (window.pythonMayStart) await window.pythonMayStart;

// Pyodide's wasm and standard library come as brotli, decoded as they arrive (runtime.js).
install();

// PyScript's worker hook registry holds one built-in hook that is compiled with
// Function() while the page boots, which a CSP without 'unsafe-eval' refuses. This
// page runs Python on the main thread only and never starts a worker, so the hook is
// dropped before PyScript reads it.
const { hooks } = await import("./vendor/pyscript/core.js");
hooks.worker.onBeforeRunAsync.clear();
