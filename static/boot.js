// Boot watchdog. If the Python runtime cannot load (a missing vendor file, a
// failed wasm compile), PyScript only logs to the console and the page would
// say "Loading Python…" forever. This shows a visible error instead.
(() => {
  "use strict";
  // In the sign-in popup, back from Veritone, the page is only a carrier: the opener
  // reads the fragment from it and closes it. Stop loading here so the popup never
  // boots Python, which would compete with the opener for the same main thread.
  let sameOriginOpener = false;
  try { sameOriginOpener = !!window.opener && window.opener.location.origin === location.origin; } catch (e) {}
  if (window.name === "veritone-sign-in" && sameOriginOpener && location.hash) {
    window.stop();
    document.documentElement.dataset.popup = "returning";
    return;
  }
  const LIMIT_MS = 60000;
  const fail = (why) => {
    const body = document.body;
    if (!body || body.dataset.auth !== "booting" || body.dataset.boot === "failed") return;
    body.dataset.boot = "failed";
    const message = document.getElementById("boot-error");
    message.textContent = "Python could not start, so sign-in is unavailable. " + why +
      " Reload the page; if it keeps failing, the site was deployed without its vendored runtime.";
    message.hidden = false;
    document.getElementById("boot-status").hidden = true;
  };
  // A 4xx/5xx on any file the page loads while booting (wasm and zip included).
  if ("PerformanceObserver" in window) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.responseStatus >= 400) fail("A file failed to load (HTTP " + entry.responseStatus + ").");
      }
    }).observe({ type: "resource", buffered: true });
  }
  // A script or module that could not be fetched or run.
  addEventListener("error", (event) => {
    if (event.target !== window) fail("A file failed to load.");
  }, true);
  addEventListener("unhandledrejection", () => fail("The runtime failed while starting."));
  setTimeout(() => fail("It took longer than " + LIMIT_MS / 1000 + " seconds."), LIMIT_MS);
})();
