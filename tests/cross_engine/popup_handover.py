"""Sign-in popups handing their response to the opener, in WebKit, with no driver attached.

The opener here is a plain page on the site's origin that does what the app's opener
does: open the redirect URI with a response, as the popup, poll it every 20 ms for
``takeAuthResponse`` and close it once it has the response. Between popups it
watches its own event loop. Before boot.js held Python back in such a popup,
WebKitGTK 2.50 froze the opener's tab for good within a few popups (the popup was
closed while its runtime started, in the process the two share).

MiniBrowser runs on its own (no WebDriver, which could be the one that hangs), so
the page reports over HTTP to the server that serves it. Used by
tests/cross_engine/test_webkit.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests import engines
from tests.cross_engine.webkit import xvfb
from tests.harness import serve_with_reports

POPUPS = 8
WATCH_MS = 1000

OPENER = """<!doctype html>
<meta charset="utf-8">
<title>popup handover probe</title>
<script type="module">
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const report = (body) => fetch("report", { method: "POST", body: JSON.stringify(body) });
async function worstGap(ms) {
  let last = performance.now(), worst = 0;
  for (const end = last + ms; performance.now() < end; ) {
    await sleep(50);
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }
  return worst;
}
for (let i = 0; i < POPUPS; i++) {
  // As the library does: a pending popup sign-in naming the popup, copied into it on open.
  const name = "veritone-sign-in-probe" + i;
  sessionStorage.setItem("veritone.pending", JSON.stringify({
    state: "probe" + i, started_at: Date.now() / 1000, redirect_uri: "APP", mode: "popup", popup_name: name,
  }));
  const popup = window.open("APP#access_token=probe&token_type=Bearer&state=probe" + i,
                            name, "popup,width=520,height=720");
  let response = null;
  for (const start = performance.now(); response === null && performance.now() - start < 5000; ) {
    await sleep(20);
    try {
      if (popup.takeAuthResponse) response = popup.takeAuthResponse();
    } catch {}  // not on this origin yet
  }
  popup.close();
  await report({ popup: i, taken: response !== null, worstGapMs: Math.round(await worstGap(WATCH_MS)) });
}
await report({ done: true });
</script>
"""


def hand_over(site_folder: Path, stalled_after: float = 15.0) -> list[dict[str, Any]]:
    """Run the opener in MiniBrowser beside the built site; return its reports."""
    found = engines.webkit()
    if found is None:
        raise RuntimeError(engines.missing_message("webkit"))
    _, browser, xvfb_binary = found
    root = Path(tempfile.mkdtemp(prefix="handover-"))
    try:
        (root / "app").symlink_to(site_folder)
        opener = OPENER.replace("POPUPS", str(POPUPS)).replace("WATCH_MS", str(WATCH_MS))
        (root / "opener.html").write_text(opener.replace("APP", "app/"))
        server, reports = serve_with_reports(root)
        url = f"http://127.0.0.1:{server.server_port}/opener.html"
        with xvfb(xvfb_binary) as display:
            # No user gesture without a driver, so window.open needs this setting.
            command = [browser, "--javascript-can-open-windows-automatically=true", url]
            # Its own process group, so that its web and network processes go with it.
            process = subprocess.Popen(
                command,
                env={**os.environ, "DISPLAY": display},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                # A frozen opener reports nothing more: give up once it has been quiet too long.
                def done(got: list[dict[str, Any]]) -> bool:
                    return bool(got) and bool(got[-1].get("done"))

                seen = -1
                while len(reports) != seen and not done(reports):
                    seen = len(reports)
                    reports.wait_for(
                        lambda got, seen=seen: len(got) != seen or done(got), timeout=stalled_after
                    )
            finally:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        server.shutdown()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return reports
