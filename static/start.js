// Starts PyScript. Its worker hook registry holds one built-in hook that is
// compiled with Function() while the page boots, which a CSP without
// 'unsafe-eval' refuses. This page runs Python on the main thread only and
// never starts a worker, so the hook is dropped before PyScript reads it.
import { hooks } from "./vendor/pyscript/core.js";

hooks.worker.onBeforeRunAsync.clear();
