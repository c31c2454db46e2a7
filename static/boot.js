// The page's first script. It runs before anything else loads, and does six things.
// Any page that uses veritone_auth.browser can load it first (examples/minimal does).
(() => {
  "use strict";
  const here = document.currentScript.src;

  // 1. A sign-in response leaves the address bar and this history entry now, not after
  //    the 0.5-3 s Python takes to start, and even if Python never starts (RFC 9700
  //    §4.3). Python takes the raw text once from takeAuthResponse() and checks all of
  //    it; after that this script holds no copy. The browser's global history still
  //    has the URL as it was navigated to: no script can change that. Any other
  //    fragment (a deep link such as #settings) stays where it is.
  const RESPONSE_KEYS = ["access_token", "error", "state"]; // veritone_auth.callback.RESPONSE_KEYS
  const looksLikeResponse = (hash) =>
    [...new URLSearchParams(hash.slice(1)).keys()].some((key) => RESPONSE_KEYS.includes(key.toLowerCase()));
  let response = location.hash.length > 1 && looksLikeResponse(location.hash) ? location.hash : null;
  if (response !== null) {
    history.replaceState(history.state, "", location.pathname + location.search);
  }
  Object.defineProperty(window, "takeAuthResponse", {
    value: () => {
      const taken = response;
      response = null;
      return taken;
    },
  });

  // 2. A sign-in popup back with a response hands it to the tab that opened it: that
  //    tab polls every 20 ms, takes the response and closes this window. Python is not
  //    started here meanwhile. It would only be torn down mid-start, in the process the
  //    opener shares, and WebKit can then freeze the opener's tab for good (measured in
  //    WebKitGTK 2.50; see the README). If the window is still open after a second (the
  //    opener was reloaded and polls no more), it starts Python, which hands the response
  //    over itself. start.js waits for this promise.
  //    The popup is known by the random name its sign-in gave it, kept in the pending
  //    sign-in that this window's copy of the tab's sessionStorage holds.
  const POPUP_NAME_PREFIX = "veritone-sign-in-"; // veritone_auth.authorize.POPUP_NAME_PREFIX
  const PENDING_KEY = "veritone.pending"; // veritone_auth.store.PENDING_KEY
  const HANDOVER_MS = 1000;
  const isOurPopup = () => {
    if (!window.name.startsWith(POPUP_NAME_PREFIX)) return false;
    try {
      const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY));
      return pending !== null && pending.mode === "popup" && pending.popup_name === window.name;
    } catch {
      return false; // storage blocked, or no record of ours
    }
  };
  const openerOnThisOrigin = () => {
    try {
      const opener = window.opener; // as veritone_auth.browser.popup.opener_on_this_origin() asks
      return Boolean(opener) && opener !== window && !opener.closed &&
        opener.location.origin === location.origin;
    } catch {
      return false; // another origin: reading its location throws
    }
  };
  const handOver = response !== null && isOurPopup() && openerOnThisOrigin();

  //    A login page that sends Cross-Origin-Opener-Policy cuts the popup off from its opener:
  //    back here, window.opener is null, and the window's name may be gone too. Such a popup
  //    hands the response over on a same-origin BroadcastChannel instead, to the tab whose
  //    pending sign-in it answers (named by the popup's name; that tab checks the state as
  //    for any response), and closes once that tab says it took it. With no taker within a
  //    second, Python starts here and finishes the sign-in in this window.
  const CHANNEL = "veritone-auth:sign-in"; // veritone_auth.browser.popup.HANDOVER_CHANNEL
  const pendingPopup = () => {
    try {
      const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY));
      return pending !== null && pending.mode === "popup" && pending.popup_name ? pending : null;
    } catch {
      return null;
    }
  };
  const stateOf = (hash) => new URLSearchParams(hash.slice(1)).get("state");
  const severedPopup = () => {
    if (response === null || window.opener !== null || window.top !== window.self) return null;
    const pending = pendingPopup();
    const ours = pending !== null &&
      (pending.popup_name === window.name || (pending.state !== "" && stateOf(response) === pending.state));
    return ours ? pending : null;
  };
  const broadcast = (pending) => new Promise((resolve) => {
    const channel = new BroadcastChannel(CHANNEL);
    const noTaker = setTimeout(() => { channel.close(); resolve(); }, HANDOVER_MS);
    channel.onmessage = (event) => {
      let message = null;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message === null || message.kind !== "taken" || message.popup !== pending.popup_name) return;
      clearTimeout(noTaker);
      channel.close();
      response = null; // taken: this window holds no copy
      window.close();
    };
    channel.postMessage(JSON.stringify({
      kind: "response", popup: pending.popup_name, at: location.href.split("#")[0], response,
    }));
  });
  const severed = handOver ? null : severedPopup();
  Object.defineProperty(window, "pythonMayStart", {
    value: handOver ? new Promise((resolve) => setTimeout(resolve, HANDOVER_MS))
      : severed !== null ? broadcast(severed) : null,
  });

  // 3. Framed by another site: run nothing (clickjacking onto sign-in, sign-out or
  //    "Copy token"). A meta CSP cannot set frame-ancestors and GitHub Pages cannot
  //    send X-Frame-Options, so the page refuses by itself: window.stop() ends the
  //    parse here, so the page's buttons and the runtime are never loaded, and the
  //    frame goes to a static page that says why (a parse stopped in <head> is never
  //    painted, so the message cannot be written into this one).
  if (window.top !== window.self) {
    response = null;
    window.stop();
    location.replace(new URL("framed.html", here).href);
    return;
  }

  // 4. The runtime is asked for now, with the page, not ~0.4 s later once PyScript has
  //    started: over an emulated 20 Mbit/s line the app was ready 0.2 s sooner cold, over a
  //    9 Mbit/s 150 ms phone line 0.9 s sooner (docs/performance.md). Not in a popup that
  //    hands its response over (to its opener, or on the channel): it never starts Python.
  //    The wasm and the standard library as brotli, which runtime.js decodes, with
  //    brotli-dec-wasm where the engine has no DecompressionStream("brotli") of its own
  //    (Chromium).
  if (!handOver && severed === null) {
    let nativeBrotli = true;
    try { new DecompressionStream("brotli"); } catch { nativeBrotli = false; }
    const RUNTIME_FILES = [
      ["vendor/pyodide/pyodide.asm.wasm.br", "fetch"],
      ["vendor/pyodide/python_stdlib.zip.br", "fetch"],
      ["runtime.js", "module"],
      ...(nativeBrotli ? [] : [
        ["vendor/brotli-dec-wasm/brotli_dec_wasm.js", "module"],
        ["vendor/brotli-dec-wasm/brotli_dec_wasm_bg.wasm", "fetch"],
      ]),
      ["vendor/pyodide/pyodide.mjs", "module"],
      ["vendor/pyodide/pyodide.asm.mjs", "module"],
      ["vendor/pyodide/pyodide-lock.json", "fetch"],
    ];
    for (const [file, as] of RUNTIME_FILES) {
      const link = document.createElement("link");
      link.href = new URL(file, here).href;
      if (as === "module") {
        link.rel = "modulepreload";
      } else {
        link.rel = "preload";
        link.as = as;
        link.crossOrigin = "anonymous"; // as Pyodide's fetch() asks, so the preload is used
      }
      document.head.append(link);
    }
  }

  // 5. Boot watchdog. If the Python runtime cannot load (a missing vendor file, a failed
  //    wasm compile), PyScript only logs to the console and the page would say
  //    "Loading Python…" forever. This shows a visible error instead.
  const LIMIT_MS = 60000;
  // Python is up once PyScript says so (py:ready), even on a page that never changes
  // body[data-auth] from "booting"; the demo and the starter change it too.
  let pythonIsUp = false;
  addEventListener("py:ready", () => { pythonIsUp = true; }, { once: true });
  const fail = (why) => {
    const body = document.body;
    if (pythonIsUp || !body || body.dataset.auth !== "booting" || body.dataset.boot === "failed") return;
    body.dataset.boot = "failed";
    let message = document.getElementById("boot-error");
    if (!message) { // a page without the demo's boot card gets a message all the same
      message = document.createElement("p");
      message.id = "boot-error";
      message.setAttribute("role", "alert");
      body.prepend(message);
    }
    message.textContent = "Python could not start, so sign-in is unavailable. " + why +
      " Reload the page; if it keeps failing, the site was deployed without its vendored runtime.";
    message.hidden = false;
    const retry = document.createElement("button");
    retry.type = "button";
    retry.id = "boot-retry";
    retry.textContent = "Reload";
    retry.addEventListener("click", () => location.reload());
    message.after(retry);
    for (const id of ["boot-status", "boot-progress"]) {
      const shown = document.getElementById(id);
      if (shown) shown.hidden = true;
    }
  };
  // A runtime file's stream that broke after its first bytes went to Pyodide (runtime.js):
  // Pyodide only logs that, and would wait forever.
  addEventListener("runtime:failed", (event) =>
    fail("A file of the runtime broke off while loading (" + event.detail.name + ")."));
  // A 4xx/5xx on a file of the runtime (PyScript, Pyodide, the wheels, the page's Python
  // and config); a missing favicon or image is no reason to say Python could not start.
  const RUNTIME = /\/vendor\/|\/start\.js$|\/runtime\.js$|\.whl$|\.py$|\/pyscript\.toml$|\/config\.json$/;
  // Except what runtime.js can do without: it loads the plain file instead of a .br when the
  // .br, its sizes or the brotli decoder cannot be had.
  const OPTIONAL = /\.br$|\/brotli\.json$|\/brotli-dec-wasm\//;
  const ofRuntime = (url) => {
    const path = new URL(url, location.href).pathname;
    return RUNTIME.test(path) && !OPTIONAL.test(path);
  };
  if ("PerformanceObserver" in window) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.responseStatus >= 400 && ofRuntime(entry.name)) {
          fail("A file failed to load (HTTP " + entry.responseStatus + ").");
        }
      }
    }).observe({ type: "resource", buffered: true });
  }
  // A script or module of the runtime that could not be fetched or run.
  addEventListener("error", (event) => {
    const source = event.target && (event.target.src || event.target.href);
    if (event.target !== window && source && ofRuntime(source)) fail("A file failed to load.");
  }, true);
  addEventListener("unhandledrejection", () => fail("The runtime failed while starting."));
  setTimeout(() => fail("It took longer than " + LIMIT_MS / 1000 + " seconds."), LIMIT_MS);

  // 6. Progress, on a page with the demo's boot card: the bar shows the runtime's bytes
  //    received of their total (runtime.js tells both), then has no value while a named
  //    stage runs. Only the stage's text is a live region, so each stage is announced once,
  //    not each chunk. The card goes with body[data-auth] leaving "booting" (app.css), and
  //    the bar with a failure (fail above).
  {
    const DOWNLOADS = 2; // runtime.js's FILES
    let downloaded = 0;
    // Looked up when used: this script runs before the body is parsed.
    const bar = () => document.getElementById("boot-progress");
    const enter = (text) => {
      const stage = document.getElementById("boot-stage");
      if (!bar() || !stage) return;
      bar().removeAttribute("value");
      if (stage.textContent !== text) stage.textContent = text;
    };
    addEventListener("runtime:progress", ({ detail }) => {
      if (downloaded === DOWNLOADS || !detail.total || !bar()) return;
      bar().max = detail.total;
      bar().value = Math.min(detail.received, detail.total);
    });
    addEventListener("runtime:downloaded", () => {
      if (++downloaded === DOWNLOADS) enter("Starting Python…");
    });
    addEventListener("py:ready", () => enter("Loading the app…"), { once: true });
  }
})();
