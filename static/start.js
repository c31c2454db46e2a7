// Starts PyScript, unless boot.js says to wait: a sign-in popup first gives its
// response to the tab that opened it, which closes it (see boot.js).
//
// PyScript's worker hook registry holds one built-in hook that is compiled with
// Function() while the page boots, which a CSP without 'unsafe-eval' refuses. This
// page runs Python on the main thread only and never starts a worker, so the hook is
// dropped before PyScript reads it.
if (window.pythonMayStart) await window.pythonMayStart;
const { hooks } = await import("./vendor/pyscript/core.js");
hooks.worker.onBeforeRunAsync.clear();
