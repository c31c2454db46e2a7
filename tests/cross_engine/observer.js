// Loaded before the page's own scripts in the WebKit tests' build of the site (see
// observed.py): WebKitWebDriver reads no console, so this reports what a console would
// show as an error to the server that serves the page. It sends text only, never a
// page's storage.
(() => {
  "use strict";
  const report = (kind, text) =>
    navigator.sendBeacon("/console", JSON.stringify({ kind, text: String(text), page: location.pathname }));
  const original = console.error;
  console.error = function (...args) {
    report("console.error", args.map(String).join(" "));
    return original.apply(this, args);
  };
  addEventListener("error", (event) => {
    if (event.target === window) {
      report("uncaught", event.message);
      return;
    }
    const what = event.target.src || event.target.href || event.target.tagName;
    // A window being closed cancels its loads, and that is no failure: a sign-in popup whose
    // opener took the response closes it, maybe while it was starting Python after waiting
    // a second for its opener (static/boot.js). A closing window runs no more timers.
    setTimeout(() => { if (!window.closed) report("failed load", what); }, 0);
  }, true);
  addEventListener("unhandledrejection", (event) => report("unhandled rejection", event.reason));
  addEventListener("securitypolicyviolation", (event) =>
    report("csp", event.violatedDirective + " " + event.blockedURI));
})();
